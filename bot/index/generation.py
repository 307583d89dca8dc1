"""One index generation written whole: Chroma vectors, passages.jsonl, BM25, then the switch."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.cite_parse import parse_authority, rule_of
from bot.core.errors import (
    ConfigError,
    DocumentError,
    GuideError,
    IndexDamagedError,
    IndexMissingError,
)
from bot.core.files import free_mb, private_dir, private_tree
from bot.core.settings import Settings
from bot.core.types import DocKind, Document, Passage
from bot.index import guide_set, guide_store
from bot.index.bm25 import BM25_TOKENIZER, bm25_tokens, build_bm25
from bot.index.embed import Embedder
from bot.index.lock import writer_lock
from bot.index.passage_keys import write_keys
from bot.index.screen import blanked, screen
from bot.index.snapshot import IndexedDocument, IndexSnapshot, live_generation, load_snapshot
from bot.index.vectors import VectorWriter

if TYPE_CHECKING:
    import bm25s

Progress = Callable[[str, int, int], None]

MB = 1024 * 1024
#: Disk bytes one stored vector costs, roughly (384 floats in SQLite, HNSW and its log).
VECTOR_BYTES = 384 * 4 * 4


@dataclass(frozen=True)
class IndexReport:
    documents: int
    passages: int
    embedded: int  # vectors computed in this run
    reused: int  # passages whose vector was already stored
    removed: int  # vectors deleted because the previous generation used them and this one not
    errors: tuple[DocumentError, ...]
    seconds: float
    generation: str
    guides: int = 0  # guides verified and served
    guides_waiting: str | None = None  # "2 guides wait for sources: Fed. R. App. P. (2)"
    guide_errors: tuple[GuideError, ...] = ()  # guides files and guides not served
    asks_embedded: int = 0  # guide asks embedded in this run (the others were reused)
    added: tuple[str, ...] = ()  # document ids this generation has and the previous had not
    updated: tuple[str, ...] = ()  # document ids whose file changed
    dropped: tuple[str, ...] = ()  # document ids the previous generation had and this one not
    notes: tuple[str, ...] = ()  # what the run repaired or moved


#: A document as a generation records it, with its passages.
Entry = tuple[IndexedDocument, Sequence[Passage]]


def embedded_text(passage: Passage) -> str:
    """What the embedder sees: rule and statute text gets its heading for context."""
    if passage.kind is not DocKind.ORDER and passage.heading:
        return f"{passage.heading}\n{passage.text}"
    return passage.text


def vector_id(passage: Passage, text: str) -> str:
    """Chroma key: changes whenever the passage or the text embedded for it changes."""
    digest = hashlib.sha256(f"{passage.passage_id}\x00{text}".encode())
    return digest.hexdigest()[:40]


def bm25_text(passage: Passage, text: str) -> str:
    # The label lets a case name ("Masterson") find the order's passages.
    return f"{passage.label}\n{text}"


def write_generation(
    settings: Settings,
    entries: Sequence[tuple[Document | IndexedDocument, Sequence[Passage]]],
    errors: Sequence[DocumentError],
    embedder: Embedder,
    progress: Progress,
    started: float,
    guides: guide_set.GuideSet | None = None,
) -> IndexReport:
    """Embed what is new, verify `guides` against the new passages, write `gen-<id>/`, switch
    `current`, then drop the vectors only the previous generation used. One writer per data
    folder at a time (bot.index.lock)."""
    records = [
        (r if isinstance(r, IndexedDocument) else document_record(r, found), found)
        for r, found in entries
    ]
    with writer_lock(settings):
        previous = _previous(settings)
        screened = screen([found for _, found in records])
        final = [(r, found) for (r, _), found in zip(records, screened, strict=True)]
        chosen = guides or guide_set.GuideSet()
        return _write(settings, final, errors, embedder, progress, started, previous, chosen)


def _previous(settings: Settings) -> IndexSnapshot | None:
    try:
        return load_snapshot(settings, served=False)
    except (IndexMissingError, IndexDamagedError, ConfigError):
        return None  # nothing (readable) to keep: this run's generation replaces it


def _write(
    settings: Settings,
    entries: Sequence[Entry],
    errors: Sequence[DocumentError],
    embedder: Embedder,
    progress: Progress,
    started: float,
    previous: IndexSnapshot | None,
    guides: guide_set.GuideSet,
) -> IndexReport:
    from bot.index.guide_check import verify_guides

    index_dir = private_dir(settings.index_dir)
    live: list[tuple[str, Passage, str]] = []  # (vector id, passage, embedded text)
    for _, found in entries:
        for passage in found:
            text = embedded_text(ranked(passage))
            live.append((vector_id(passage, text), passage, text))
    check_free_space(settings, live)
    unique = {vid: (passage, text) for vid, passage, text in live}
    notes: list[str] = []
    vectors = VectorWriter(settings, embedder.name, notes)
    # The word index is built on a thread of its own while the encoder embeds: tokenizing and
    # stemming 100k passages is pure Python, and the encoder leaves a core's worth of gaps.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bm25") as words:
        bm25 = words.submit(build_bm25, [bm25_text(p, text) for _, p, text in live])
        pending = vectors.missing(list(unique), progress)
        if pending and previous is not None and previous.collection is None:
            # A generation from before collections carried the folder's identity: its vectors
            # are copied from the shared collection instead of being computed again.
            pending = vectors.copy_legacy(pending, unique, progress)
        embedded = vectors.embed_and_store(embedder, pending, unique, progress)
        word_index = bm25.result()
    check = verify_guides(guides.guides, entries)
    check = replace(check, failed=(*guides.errors, *check.failed))
    rows = guide_store.ask_rows(check.served)
    progress("asks", 0, len(rows))
    ask_vectors, ask_keys, asks_embedded = guide_store.embed_asks(
        rows, embedder, guide_store.previous_vectors(live_folder(settings))
    )
    progress("asks", len(rows), len(rows))

    generation = time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)
    gen_dir = index_dir / f"gen-{generation}"
    try:
        _write_folder(
            gen_dir, generation, embedder.name, vectors.name, entries, live, word_index, progress
        )
        guide_store.write_guides(
            gen_dir,
            check.served,
            rows,
            ask_vectors,
            ask_keys,
            bm25_tokens,
            check.waiting,
            [str(error) for error in check.failed],
        )
        guide_set.write_unserved(gen_dir, guides, check)
        _switch(index_dir, gen_dir.name)
    except OSError as error:
        shutil.rmtree(gen_dir, ignore_errors=True)
        raise ConfigError(
            f"Could not write the index in {index_dir} ({error.strerror or error}); "
            "the previous index is still in use."
        ) from error
    except BaseException:
        shutil.rmtree(gen_dir, ignore_errors=True)
        raise
    removed = 0
    if previous is not None and previous.collection == vectors.name:
        removed = vectors.delete(set(previous.vector_ids) - set(unique), progress)
    _drop_old_generations(index_dir, gen_dir.name)
    private_tree(settings.data_dir)
    before = {d.doc_id: d.content_hash for d in previous.documents} if previous else {}
    after = {r.doc_id: r.content_hash for r, _ in entries}
    return IndexReport(
        documents=len(entries),
        passages=len(live),
        embedded=embedded,
        reused=len(live) - embedded,
        removed=removed,
        errors=tuple(errors),
        seconds=time.perf_counter() - started,
        generation=generation,
        guides=len(check.served),
        guides_waiting=check.waiting_line(),
        guide_errors=tuple(check.failed),
        asks_embedded=asks_embedded,
        added=tuple(d for d in after if d not in before),
        updated=tuple(d for d in after if d in before and before[d] != after[d]),
        dropped=tuple(d for d in before if d not in after),
        notes=tuple(notes),
    )


def live_folder(settings: Settings) -> Path | None:
    try:
        return live_generation(settings)
    except (IndexMissingError, IndexDamagedError, ConfigError):
        return None


def ranked(passage: Passage) -> Passage:
    """The passage as ranking sees it: sentences addressed to the reader left out."""
    if not passage.reader_addressed:
        return passage
    return replace(passage, text=blanked(passage.text, passage.reader_addressed))


def check_free_space(settings: Settings, live: Sequence[tuple[str, Passage, str]]) -> None:
    """Refuse before writing when the disk would fill: a full disk can damage the store."""
    text_mb = sum(len(text.encode("utf-8")) for _, _, text in live) / MB
    # passages.jsonl, documents.json and BM25 hold the text about three times; each vector
    # costs its floats a few times over in Chroma's files.
    needed = settings.min_free_mb + 3 * text_mb + len(live) * VECTOR_BYTES / MB
    free = free_mb(settings.index_dir)
    if free < needed:
        raise ConfigError(
            f"Not enough free space for the index in {settings.index_dir}: {free:.0f} MB free, "
            f"about {needed:.0f} MB needed (the new generation plus PROCBOT_MIN_FREE_MB="
            f"{settings.min_free_mb}). Free some space; the previous index is still in use."
        )


def _write_folder(
    gen_dir: Path,
    generation: str,
    embedder_name: str,
    collection: str,
    entries: Sequence[Entry],
    live: Sequence[tuple[str, Passage, str]],
    word_index: bm25s.BM25,
    progress: Progress,
) -> None:
    gen_dir.mkdir(parents=True)
    progress("write", 0, 3)
    line_bytes = []
    with open(gen_dir / "passages.jsonl", "wb") as out:
        for vid, passage, _ in live:
            record = json.dumps({"vector_id": vid, **asdict(passage)}, ensure_ascii=False)
            line = (record + "\n").encode("utf-8")
            out.write(line)
            line_bytes.append(len(line))
    # What serving filters on, as columns: a start reads this, not every passage's text.
    write_keys(gen_dir, ((vid, passage) for vid, passage, _ in live), line_bytes)
    documents = [asdict(record) for record, _ in entries]
    (gen_dir / "documents.json").write_text(
        json.dumps(documents, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    progress("write", 1, 3)
    word_index.save(str(gen_dir / "bm25"), show_progress=False)
    meta = {
        "generation": generation,
        "embedder": embedder_name,
        "bm25": BM25_TOKENIZER,
        "collection": collection,
    }
    (gen_dir / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    progress("write", 3, 3)


def document_record(document: Document, found: Sequence[Passage]) -> IndexedDocument:
    """What a generation records about one knowledge file."""
    return IndexedDocument(
        doc_id=document.doc_id,
        path=document.path,
        kind=document.kind,
        title=document.title,
        content_hash=document.content_hash,
        passage_ids=tuple(p.passage_id for p in found),
        court=document.court,
        version=document.version,
        complete=document.complete,
        secondary=document.secondary,
        docket=document.docket,
        date=document.date,
        citation_prefix=_prefix(found),
        rules=len({rule_of(p.authority) for p in found if p.authority}),
    )


def _prefix(found: Sequence[Passage]) -> str | None:
    """The citation prefix a book's passages carry: "Fed. R. App. P.", "28 U.S.C."."""
    prefixes = {parse_authority(p.authority).code for p in found if p.authority}
    return " / ".join(sorted(prefixes)) or None


def _switch(index_dir: Path, folder: str) -> None:
    """Point `current` at `folder` with one atomic rename."""
    temp = index_dir / f".current-{folder}.tmp"
    with open(temp, "w", encoding="utf-8") as out:
        out.write(folder + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, index_dir / "current")


def _drop_old_generations(index_dir: Path, live: str) -> None:
    for old in index_dir.glob("gen-*"):
        if old.name != live and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    for temp in index_dir.glob(".current-*.tmp"):
        temp.unlink(missing_ok=True)
