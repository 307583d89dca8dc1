"""The live index generation read back: passages, documents, BM25, and the sources summary."""

from __future__ import annotations

import json
import os
import re
import threading
import weakref
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, overload

import bm25s
import numpy as np

from bot.core.errors import ConfigError, IndexDamagedError, IndexMissingError
from bot.core.settings import Settings
from bot.core.types import DocKind, Passage, RuleBook, SentenceSpan, SourcesSummary
from bot.index.bm25 import BM25_TOKENIZER
from bot.index.guide_store import StoredGuides, read_guides_part
from bot.index.passage_keys import KeyColumns, KeysUnreadable, PassageKey, key_of, read_keys
from bot.index.screen import blanked


@dataclass(frozen=True)
class IndexedDocument:
    """What a generation records about one knowledge file."""

    doc_id: str
    path: str
    kind: DocKind
    title: str
    content_hash: str
    passage_ids: tuple[str, ...]
    court: str | None = None
    version: str | None = None
    complete: bool = True
    secondary: bool = False
    docket: str | None = None
    date: str | None = None
    citation_prefix: str | None = None  # rule books: "Fed. R. App. P."
    rules: int = 0  # rule books and statutes: how many rules or sections the file yielded


#: Full passages kept decoded after a read: a few answers' worth, whatever the corpus size.
PASSAGE_CACHE = 2048


class PassageTable(Sequence[Passage]):
    """A generation's passages: their keys in memory, each full passage (text, label, heading,
    pinpoint) read from passages.jsonl when asked for, so serving memory does not grow with
    the text of the corpus.

    The file stays open: a later index run may delete the folder, and the open descriptor
    still reads the generation this table belongs to.
    """

    def __init__(
        self,
        path: Path,
        keys: Sequence[PassageKey],
        offsets: Sequence[int],
        decode: Callable[[dict[str, Any]], Passage],
    ) -> None:
        self.keys = tuple(keys)
        self._offsets = np.asarray(offsets, dtype=np.int64)  # one more than keys: the end
        self._decode = decode
        self._fd = os.open(path, os.O_RDONLY)
        self._closer = weakref.finalize(self, os.close, self._fd)
        self._cache: OrderedDict[int, Passage] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.keys)

    @overload
    def __getitem__(self, index: int) -> Passage: ...

    @overload
    def __getitem__(self, index: slice) -> list[Passage]: ...

    def __getitem__(self, index: int | slice) -> Passage | list[Passage]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self.keys):
            raise IndexError(index)
        with self._lock:
            found = self._cache.get(index)
            if found is not None:
                self._cache.move_to_end(index)
                return found
        passage = self._read(index)
        with self._lock:
            self._cache[index] = passage
            if len(self._cache) > PASSAGE_CACHE:
                self._cache.popitem(last=False)
        return passage

    def __iter__(self) -> Iterator[Passage]:
        # A full pass (lookups of a whole book, an index run) decodes without filling the cache.
        for index in range(len(self.keys)):
            yield self._read(index)

    def _read(self, index: int) -> Passage:
        start, end = int(self._offsets[index]), int(self._offsets[index + 1])
        record = json.loads(os.pread(self._fd, end - start, start))
        record.pop("vector_id", None)
        return self._decode(record)


def keys_of(passages: Sequence[Passage]) -> Sequence[PassageKey | Passage]:
    """What filters read of each passage: a table's keys (no text read), or the passages
    themselves when a plain sequence was given (they carry the same fields)."""
    return passages.keys if isinstance(passages, PassageTable) else passages


class PassagesById(Mapping[str, Passage]):
    """Passages by id over a PassageTable: a dictionary of positions, text read on demand."""

    def __init__(self, table: PassageTable) -> None:
        self.table = table
        self.position = {key.passage_id: i for i, key in enumerate(table.keys)}

    def __getitem__(self, passage_id: str) -> Passage:
        return self.table[self.position[passage_id]]

    def __contains__(self, passage_id: object) -> bool:
        return passage_id in self.position

    def __iter__(self) -> Iterator[str]:
        return iter(self.position)

    def __len__(self) -> int:
        return len(self.position)


@dataclass(frozen=True)
class IndexSnapshot:
    """One live generation: keys, documents and BM25 in memory, passage text read on demand
    from the generation's file (kept open, so the folder may be deleted later)."""

    generation: str
    embedder: str
    passages: Sequence[Passage]  # a PassageTable when loaded from a generation
    by_id: Mapping[str, Passage]
    vector_ids: tuple[str, ...]  # parallel to `passages`
    documents: tuple[IndexedDocument, ...]
    bm25: bm25s.BM25
    guides: StoredGuides = field(default_factory=StoredGuides)
    collection: str | None = None  # the Chroma collection of its vectors (None: written before
    # collections carried the data folder's identity)


#: What `current` may hold: the name of one generation folder.
_GENERATION_NAME = re.compile(r"gen-[0-9A-Za-z_-]+")


def live_generation(settings: Settings) -> Path:
    """The folder `current` names; IndexMissingError when nothing was ever switched in."""
    pointer = settings.index_dir / "current"
    try:
        name = pointer.read_bytes().decode("utf-8").strip()
    except FileNotFoundError:
        raise IndexMissingError(str(settings.index_dir)) from None
    except UnicodeDecodeError:
        name = "\ufffd"
    except OSError as error:
        raise ConfigError(
            f"Cannot read the index in {settings.index_dir} ({error.strerror or error}); "
            "check PROCBOT_DATA_DIR."
        ) from None
    if not _GENERATION_NAME.fullmatch(name):
        raise IndexDamagedError(
            str(settings.index_dir), f"`current` holds {name[:40]!r}, not a generation's name"
        )
    folder = settings.index_dir / name
    if not folder.is_dir():
        raise IndexDamagedError(str(settings.index_dir), f"`current` names {name}, which is gone")
    return folder


def live_meta(settings: Settings) -> dict[str, Any]:
    """The live generation's meta.json: its id, embedder, tokenizer and collection."""
    folder = live_generation(settings)
    return _meta(settings, folder)


def _meta(settings: Settings, folder: Path) -> dict[str, Any]:
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if not isinstance(meta, dict) or not {"generation", "embedder"} <= set(meta):
            raise ValueError("not a generation's meta")
    except FileNotFoundError:
        raise IndexDamagedError(
            str(settings.index_dir), f"{folder.name}/meta.json is missing"
        ) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise IndexDamagedError(
            str(settings.index_dir), f"{folder.name}/meta.json cannot be read ({error})"
        ) from None
    return meta


def _passage(record: dict[str, Any], served: bool = True) -> Passage:
    record["kind"] = DocKind(record["kind"])
    record["sentences"] = tuple(SentenceSpan(**s) for s in record.get("sentences") or ())
    record["mentions"] = tuple(record.get("mentions") or ())
    spans = tuple((int(a), int(b)) for a, b in record.get("reader_addressed") or ())
    record["reader_addressed"] = spans
    if spans and served:
        # Served text never carries what addresses the reader; offsets stay as they were.
        record["text"] = blanked(record["text"], spans)
    return Passage(**record)


def _check_tokenizer(recorded: Any, settings: Settings) -> None:
    if recorded != BM25_TOKENIZER:
        # Query words stemmed one way never meet index words stemmed another: BM25 would
        # silently find nothing, so the old generation is refused rather than served.
        raise ConfigError(
            f"The index in {settings.index_dir} was built with a different BM25 tokenizer "
            f"({recorded}) than this version of procbot uses ({BM25_TOKENIZER}). "
            "Run `procbot index` again: it rebuilds the word index and reuses every stored "
            "embedding."
        )


def load_snapshot(settings: Settings, *, served: bool = True) -> IndexSnapshot:
    """The live generation, read whole into memory.

    `served` blanks the sentences that address the reader (what search and answers see);
    index runs read the text as indexed, to carry it into the next generation.

    A run in another process may switch `current` and delete the folder just read from it;
    the new generation is then read instead, so a reader never sees half of a switch.
    """
    for _ in range(3):
        folder = live_generation(settings)
        try:
            return _load(settings, folder, served)
        except IndexDamagedError:
            if live_generation(settings) == folder:
                raise
    return _load(settings, live_generation(settings), served)


def _keys(folder: Path, where: str) -> KeyColumns:
    """The generation's keys from its keys file, or, for a generation written without one (or
    whose file does not match), from every line of passages.jsonl: slower, and it finds a
    damaged line."""
    path = folder / "passages.jsonl"
    try:
        return read_keys(folder, path.stat().st_size)
    except KeysUnreadable:
        pass
    keys: list[PassageKey] = []
    vector_ids: list[str] = []
    offsets = [0]
    strings: dict[str, str] = {}
    with open(path, "rb") as lines:
        for number, line in enumerate(lines, 1):
            try:
                record = json.loads(line)
                vector_ids.append(record["vector_id"])
                keys.append(key_of(record, strings))
            except (ValueError, KeyError, TypeError, AttributeError):
                raise IndexDamagedError(
                    where, f"{folder.name}/passages.jsonl line {number} is not a passage"
                ) from None
            offsets.append(offsets[-1] + len(line))
    return KeyColumns(tuple(keys), tuple(vector_ids), tuple(offsets))


def _load(settings: Settings, folder: Path, served: bool) -> IndexSnapshot:
    meta = _meta(settings, folder)
    _check_tokenizer(meta.get("bm25"), settings)
    where = str(settings.index_dir)
    try:
        columns = _keys(folder, where)
        passages = PassageTable(
            folder / "passages.jsonl",
            columns.keys,
            columns.offsets,
            partial(_passage, served=served),
        )
        documents = tuple(
            IndexedDocument(
                **{
                    **record,
                    "kind": DocKind(record["kind"]),
                    "passage_ids": tuple(record["passage_ids"]),
                }
            )
            for record in json.loads((folder / "documents.json").read_text(encoding="utf-8"))
        )
    except FileNotFoundError as error:
        raise IndexDamagedError(where, f"{Path(error.filename).name} is missing") from None
    except (ValueError, KeyError, TypeError) as error:
        raise IndexDamagedError(
            where, f"{folder.name}/documents.json cannot be read ({type(error).__name__})"
        ) from None
    try:
        # Memory-mapped: a query touches only its words' postings, not the whole word index.
        bm25 = bm25s.BM25.load(str(folder / "bm25"), mmap=True, show_progress=False)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise IndexDamagedError(
            where, f"the word index {folder.name}/bm25 cannot be read ({type(error).__name__})"
        ) from None
    if bm25.scores.get("num_docs", len(passages)) != len(passages):
        raise IndexDamagedError(where, f"{folder.name}/bm25 does not match its passages")
    try:
        guides = read_guides_part(folder)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise IndexDamagedError(
            where, f"the guides of {folder.name} cannot be read ({type(error).__name__})"
        ) from None
    return IndexSnapshot(
        generation=meta["generation"],
        embedder=meta["embedder"],
        passages=passages,
        by_id=PassagesById(passages),
        vector_ids=columns.vector_ids,
        documents=documents,
        bm25=bm25,
        guides=guides,
        collection=meta.get("collection"),
    )


def home_court(snapshot: IndexSnapshot) -> str | None:
    """The court most indexed orders come from: whose local rules a bare "L.R. 230" means and
    outside which an order is only persuasive, unless PROCBOT_COURT names another."""
    courts = Counter(d.court for d in snapshot.documents if d.kind is DocKind.ORDER and d.court)
    return courts.most_common(1)[0][0] if courts else None


def summarize(snapshot: IndexSnapshot, dense: str | None = None) -> SourcesSummary:
    """Counts and versions of what the live generation holds."""
    documents = snapshot.documents
    orders = [d for d in documents if d.kind is DocKind.ORDER]
    books = tuple(
        RuleBook(
            d.doc_id,
            d.title,
            d.version,
            d.secondary,
            len(d.passage_ids),
            kind=str(d.kind),
            prefix=d.citation_prefix,
            rules=d.rules,
        )
        for d in documents
        if d.kind is not DocKind.ORDER
    )
    by_kind = Counter(str(d.kind) for d in documents)
    by_court = Counter(d.court or "(none)" for d in documents)
    return SourcesSummary(
        generation=snapshot.generation,
        documents=len(documents),
        passages=len(snapshot.passages),
        by_kind=tuple(sorted(by_kind.items())),
        by_court=tuple(sorted(by_court.items())),
        orders=len(orders),
        excerpts=sum(1 for d in orders if not d.complete),
        rule_books=books,
        guides=len(snapshot.guides.guides),
        guides_waiting=snapshot.guides.waiting,
        guides_failed=snapshot.guides.failed,
        dense=dense,
    )
