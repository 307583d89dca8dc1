"""Incremental, content-keyed index generations: Chroma vectors, passages.jsonl and BM25."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.core.citations import parse_authority, rule_of
from bot.core.errors import (
    ConfigError,
    DocumentError,
    GuideError,
    IndexMissingError,
    InputError,
)
from bot.core.settings import Settings
from bot.core.types import DocKind, Document, Passage
from bot.index import guide_store
from bot.index.bm25 import BM25_TOKENIZER, bm25_tokens, build_bm25
from bot.index.embed import Embedder
from bot.index.snapshot import IndexedDocument
from bot.index.store import open_client, open_collection

if TYPE_CHECKING:
    from bot.index.guide_check import GuideCheck

Progress = Callable[[str, int, int], None]

#: Texts per embedder call: big enough for full-speed batches, small enough for smooth progress.
EMBED_CHUNK = 1024


@dataclass(frozen=True)
class IndexReport:
    documents: int
    passages: int
    embedded: int  # vectors computed in this run
    reused: int  # passages whose vector was already stored
    removed: int  # vectors deleted because no live passage uses them any more
    errors: tuple[DocumentError, ...]
    seconds: float
    generation: str
    guides: int = 0  # guides verified and served
    guides_waiting: str | None = None  # "2 guides wait for sources: Fed. R. App. P. (2)"
    guide_errors: tuple[GuideError, ...] = ()  # guides files and guides not served
    asks_embedded: int = 0  # guide asks embedded in this run (the others were reused)


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


def _document_entries(
    paths: Iterable[Path], progress: Progress
) -> tuple[list[tuple[Document, list[Passage]]], list[DocumentError]]:
    from bot.ingest.chunk import passages as chunk_passages
    from bot.ingest.load import read_documents

    documents, errors = read_documents(list(paths))
    errors = list(errors)
    entries: list[tuple[Document, list[Passage]]] = []
    seen: dict[str, Document] = {}
    for done, document in enumerate(documents, 1):
        progress("read", done, len(documents))
        first = seen.get(document.doc_id)
        if first is not None:
            # The same file reached twice (knowledge/ and the corpus both hold Masterson) is
            # one document; two different files under one name would make ids ambiguous.
            if first.content_hash != document.content_hash:
                errors.append(DocumentError(document.path, f"has the same name as {first.path}"))
            continue
        try:
            found = chunk_passages(document)
        except DocumentError as error:
            errors.append(error)
            continue
        seen[document.doc_id] = document
        entries.append((document, found))
    return entries, errors


def build_index(
    settings: Settings,
    paths: Iterable[Path],
    embedder: Embedder,
    progress: Progress | None = None,
) -> IndexReport:
    """Index `paths` into a new generation and switch to it; the old one serves until then."""
    started = time.perf_counter()
    notify: Progress = progress or (lambda stage, done, total: None)
    from bot.index.guide_check import verify_guides
    from bot.ingest.guides import read_guides

    targets = list(paths)
    entries, errors = _document_entries(targets, notify)
    guides, guide_errors = read_guides(targets)
    if not entries:
        # Switching to an empty generation would delete every vector: a typo in a path must
        # never wipe the index the bot is serving.
        skipped = "; ".join(str(error) for error in errors) or "no .txt, .md or .pdf files"
        where = ", ".join(str(path) for path in targets) or "(no paths given)"
        raise InputError(
            f"Nothing to index in {where}: {skipped}. The previous index is still in use."
        )
    check = verify_guides(guides, entries)
    check = replace(check, failed=(*guide_errors, *check.failed))
    return write_generation(settings, entries, errors, embedder, notify, started, check)


def write_generation(
    settings: Settings,
    entries: Sequence[tuple[Document, Sequence[Passage]]],
    errors: Sequence[DocumentError],
    embedder: Embedder,
    progress: Progress,
    started: float,
    guides: GuideCheck | None = None,
) -> IndexReport:
    """Embed what is new, write `gen-<id>/`, switch `current`, then drop orphan vectors."""
    index_dir = settings.index_dir
    index_dir.mkdir(parents=True, exist_ok=True)
    client = open_client(settings)
    collection = open_collection(settings, embedder.name, client)
    batch = client.get_max_batch_size()

    live: list[tuple[str, Passage, str]] = []  # (vector id, passage, embedded text)
    for _, found in entries:
        for passage in found:
            text = embedded_text(passage)
            live.append((vector_id(passage, text), passage, text))
    unique = {vid: (passage, text) for vid, passage, text in live}
    pending = _missing_vectors(collection, list(unique), batch, progress)
    embedded = _embed_and_store(collection, embedder, pending, unique, batch, progress)
    served = guides.served if guides else ()
    rows = guide_store.ask_rows(served)
    progress("asks", 0, len(rows))
    ask_vectors, ask_keys, asks_embedded = guide_store.embed_asks(
        rows, embedder, guide_store.previous_vectors(_live_folder(settings))
    )
    progress("asks", len(rows), len(rows))

    generation = time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)
    gen_dir = index_dir / f"gen-{generation}"
    try:
        _write_folder(gen_dir, generation, embedder.name, entries, live, progress)
        guide_store.write_guides(
            gen_dir,
            served,
            rows,
            ask_vectors,
            ask_keys,
            bm25_tokens,
            guides.waiting if guides else (),
            [str(error) for error in guides.failed] if guides else (),
        )
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
    removed = _drop_orphans(collection, set(unique), batch, progress)
    _drop_old_generations(index_dir, gen_dir.name)
    return IndexReport(
        documents=len(entries),
        passages=len(live),
        embedded=embedded,
        reused=len(live) - embedded,
        removed=removed,
        errors=tuple(errors),
        seconds=time.perf_counter() - started,
        generation=generation,
        guides=len(served),
        guides_waiting=guides.waiting_line() if guides else None,
        guide_errors=tuple(guides.failed) if guides else (),
        asks_embedded=asks_embedded,
    )


def _live_folder(settings: Settings) -> Path | None:
    from bot.index.snapshot import live_generation

    try:
        return live_generation(settings)
    except (IndexMissingError, ConfigError):
        return None


def _missing_vectors(collection: Any, ids: list[str], batch: int, progress: Progress) -> list[str]:
    have: set[str] = set()
    for start in range(0, len(ids), batch):
        have.update(collection.get(ids=ids[start : start + batch], include=[])["ids"])
        progress("check", min(start + batch, len(ids)), len(ids))
    return [vid for vid in ids if vid not in have]


def _embed_and_store(
    collection: Any,
    embedder: Embedder,
    pending: list[str],
    unique: Mapping[str, tuple[Passage, str]],
    batch: int,
    progress: Progress,
) -> int:
    # Similar lengths side by side: each forward pass pads to its longest text.
    pending = sorted(pending, key=lambda vid: len(unique[vid][1]))
    progress("embed", 0, len(pending))
    for start in range(0, len(pending), EMBED_CHUNK):
        ids = pending[start : start + EMBED_CHUNK]
        vectors = embedder.embed_documents([unique[vid][1] for vid in ids])
        metadatas = [_vector_metadata(unique[vid][0]) for vid in ids]
        for at in range(0, len(ids), batch):
            collection.add(
                ids=ids[at : at + batch],
                embeddings=vectors[at : at + batch],
                metadatas=metadatas[at : at + batch],
            )
        progress("embed", start + len(ids), len(pending))
    return len(pending)


def _vector_metadata(passage: Passage) -> dict[str, str]:
    meta = {"passage_id": passage.passage_id, "doc_id": passage.doc_id, "kind": str(passage.kind)}
    if passage.court:
        meta["court"] = passage.court
    return meta


def _write_folder(
    gen_dir: Path,
    generation: str,
    embedder_name: str,
    entries: Sequence[tuple[Document, Sequence[Passage]]],
    live: Sequence[tuple[str, Passage, str]],
    progress: Progress,
) -> None:
    gen_dir.mkdir(parents=True)
    progress("write", 0, 3)
    with open(gen_dir / "passages.jsonl", "w", encoding="utf-8") as out:
        for vid, passage, _ in live:
            out.write(json.dumps({"vector_id": vid, **asdict(passage)}, ensure_ascii=False))
            out.write("\n")
    documents = [_document_record(document, found) for document, found in entries]
    (gen_dir / "documents.json").write_text(
        json.dumps(documents, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    progress("write", 1, 3)
    build_bm25([bm25_text(p, text) for _, p, text in live]).save(
        str(gen_dir / "bm25"), show_progress=False
    )
    meta = {"generation": generation, "embedder": embedder_name, "bm25": BM25_TOKENIZER}
    (gen_dir / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    progress("write", 3, 3)


def _document_record(document: Document, found: Sequence[Passage]) -> dict[str, Any]:
    record = IndexedDocument(
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
    return asdict(record)


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


def _drop_orphans(collection: Any, live: set[str], batch: int, progress: Progress) -> int:
    stored: list[str] = []
    offset = 0
    while True:
        page = collection.get(include=[], limit=batch, offset=offset)["ids"]
        stored.extend(page)
        if len(page) < batch:
            break
        offset += batch
    orphans = [vid for vid in stored if vid not in live]
    for start in range(0, len(orphans), batch):
        collection.delete(ids=orphans[start : start + batch])
        progress("clean", min(start + batch, len(orphans)), len(orphans))
    return len(orphans)


def _drop_old_generations(index_dir: Path, live: str) -> None:
    for old in index_dir.glob("gen-*"):
        if old.name != live and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    for temp in index_dir.glob(".current-*.tmp"):
        temp.unlink(missing_ok=True)
