"""Index runs over the live generation: build a whole set, update some documents, remove some."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from bot.core.errors import DocumentError, IndexMissingError, InputError
from bot.core.settings import Settings
from bot.core.types import Document, Passage
from bot.index import guide_set
from bot.index.embed import Embedder
from bot.index.generation import (
    Entry,
    IndexReport,
    Progress,
    document_record,
    live_folder,
    write_generation,
)
from bot.index.lock import writer_lock
from bot.index.snapshot import IndexedDocument, load_snapshot


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
    """Index exactly `paths` (the whole set) into a new generation and switch to it."""
    started = time.perf_counter()
    notify: Progress = progress or (lambda stage, done, total: None)
    targets = list(paths)
    entries, errors = _read(targets, notify)
    guides = guide_set.read(targets)
    return write_generation(settings, entries, errors, embedder, notify, started, guides)


def update_index(
    settings: Settings,
    paths: Iterable[Path],
    embedder: Embedder,
    progress: Progress | None = None,
) -> IndexReport:
    """Add or update the documents of `paths` in the live generation; every other stays."""
    started = time.perf_counter()
    notify: Progress = progress or (lambda stage, done, total: None)
    targets = list(paths)
    given = guide_set.read(targets)
    # A guides file alone is an update too; only a run with neither documents nor guides is
    # refused (it would change nothing, or a typo would go unnoticed).
    entries, errors = _read(targets, notify, guides_only=bool(given.guides or given.errors))
    with writer_lock(settings):
        previous = previous_entries(settings)
        fresh = {record.doc_id for record, _ in entries}
        kept = [(r, found) for r, found in previous if r.doc_id not in fresh]
        if not kept and not entries:
            _nothing_to_index(targets, errors)
        # Guides too: PATHS' guides files replace their earlier read; every other guide stays,
        # and all are verified again against the new generation's passages.
        guides = guide_set.updated(_previous_guides(settings), targets, given)
        return write_generation(settings, kept + entries, errors, embedder, notify, started, guides)


def remove_from_index(
    settings: Settings,
    paths: Iterable[Path],
    embedder: Embedder,
    progress: Progress | None = None,
) -> IndexReport:
    """A new generation without the documents of `paths` (files, folders or document ids)."""
    started = time.perf_counter()
    notify: Progress = progress or (lambda stage, done, total: None)
    with writer_lock(settings):
        previous = previous_entries(settings)
        guides = _previous_guides(settings)
        kept = list(previous)
        for path in paths:
            left = [(r, found) for r, found in kept if not _names(path, r)]
            guides_left = guide_set.without(guides, path)
            if len(left) == len(kept) and guides_left == guides:
                raise InputError(
                    f"{path} is not indexed (no indexed document or guide has that file, folder "
                    "or id); `procbot sources --json` lists what is. Nothing was changed."
                )
            kept, guides = left, guides_left
        if not kept:
            raise InputError(
                "Removing that would leave the index empty; nothing was changed. "
                "Use `procbot index --replace PATH` to index another set instead."
            )
        return write_generation(settings, kept, [], embedder, notify, started, guides)


def _names(path: Path, record: IndexedDocument) -> bool:
    """Does `path` (a file, a folder holding it, or a document id) name this document?"""
    if str(path) == record.doc_id:
        return True
    wanted = Path(path).resolve()
    recorded = Path(record.path).resolve()
    return recorded == wanted or wanted in recorded.parents


def _read(
    targets: list[Path], notify: Progress, *, guides_only: bool = False
) -> tuple[list[Entry], list[DocumentError]]:
    """The documents of `targets`; none is an error unless `guides_only` (guides files)."""
    documents, errors = _document_entries(targets, notify)
    if not documents and not guides_only:
        _nothing_to_index(targets, errors)
    return [(document_record(d, found), found) for d, found in documents], errors


def _nothing_to_index(targets: Sequence[Path], errors: Sequence[DocumentError]) -> None:
    # Switching to an empty generation would drop every vector: a typo in a path must
    # never wipe the index the bot is serving.
    skipped = "; ".join(str(error) for error in errors) or "no .txt, .md or .pdf files"
    where = ", ".join(str(path) for path in targets) or "(no paths given)"
    raise InputError(f"Nothing to index in {where}: {skipped}. The previous index is still in use.")


def previous_entries(settings: Settings) -> list[Entry]:
    """The live generation's documents with their passages as indexed (text not blanked);
    IndexDamagedError (naming the repair) when it cannot be read."""
    try:
        snapshot = load_snapshot(settings, served=False)
    except IndexMissingError:
        return []
    by_doc: dict[str, list[Passage]] = {}
    for passage in snapshot.passages:
        by_doc.setdefault(passage.doc_id, []).append(passage)
    return [(record, by_doc.get(record.doc_id, [])) for record in snapshot.documents]


def _previous_guides(settings: Settings) -> guide_set.GuideSet:
    """Every guide the live generation read (served, waiting or failed), to verify again."""
    folder = live_folder(settings)
    return guide_set.stored(folder) if folder is not None else guide_set.GuideSet()
