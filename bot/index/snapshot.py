"""The live index generation read back: passages, documents, BM25, and the sources summary."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bm25s

from bot.core.errors import ConfigError, IndexMissingError
from bot.core.settings import Settings
from bot.core.types import DocKind, Passage, RuleBook, SourcesSummary
from bot.index.bm25 import BM25_TOKENIZER
from bot.index.guide_store import StoredGuides, read_guides_part


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


@dataclass(frozen=True)
class IndexSnapshot:
    """One live generation, loaded into memory whole so its folder may be deleted later."""

    generation: str
    embedder: str
    passages: tuple[Passage, ...]
    by_id: Mapping[str, Passage]
    vector_ids: tuple[str, ...]  # parallel to `passages`
    documents: tuple[IndexedDocument, ...]
    bm25: bm25s.BM25
    guides: StoredGuides = field(default_factory=StoredGuides)


def live_generation(settings: Settings) -> Path:
    """The folder `current` names; IndexMissingError when nothing was ever switched in."""
    pointer = settings.index_dir / "current"
    try:
        folder = settings.index_dir / pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise IndexMissingError(str(settings.index_dir)) from None
    except OSError as error:
        raise ConfigError(
            f"Cannot read the index in {settings.index_dir} ({error.strerror or error}); "
            "check PROCBOT_DATA_DIR."
        ) from None
    if not (folder / "passages.jsonl").is_file():
        raise IndexMissingError(str(settings.index_dir))
    return folder


def _passage(record: dict[str, Any]) -> Passage:
    record["kind"] = DocKind(record["kind"])
    record["mentions"] = tuple(record.get("mentions") or ())
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


def load_snapshot(settings: Settings) -> IndexSnapshot:
    """The live generation, read whole into memory."""
    folder = live_generation(settings)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    _check_tokenizer(meta.get("bm25"), settings)
    passages: list[Passage] = []
    vector_ids: list[str] = []
    with open(folder / "passages.jsonl", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            vector_ids.append(record.pop("vector_id"))
            passages.append(_passage(record))
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
    bm25 = bm25s.BM25.load(str(folder / "bm25"), mmap=False, show_progress=False)
    return IndexSnapshot(
        generation=meta["generation"],
        embedder=meta["embedder"],
        passages=tuple(passages),
        by_id={p.passage_id: p for p in passages},
        vector_ids=tuple(vector_ids),
        documents=documents,
        bm25=bm25,
        guides=read_guides_part(folder),
    )


def home_court(snapshot: IndexSnapshot) -> str | None:
    """The court most indexed orders come from: whose local rules a bare "L.R. 230" means and
    outside which an order is only persuasive, unless PROCBOT_COURT names another."""
    courts = Counter(d.court for d in snapshot.documents if d.kind is DocKind.ORDER and d.court)
    return courts.most_common(1)[0][0] if courts else None


def summarize(snapshot: IndexSnapshot) -> SourcesSummary:
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
    )
