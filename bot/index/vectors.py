"""The generation's vectors in Chroma: find what is missing, embed and store it, drop the old."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor

from bot.core.errors import ConfigError
from bot.core.settings import Settings
from bot.core.types import Passage
from bot.index.embed import Embedder
from bot.index.store import (
    STORE_ERRORS,
    StoreUnavailable,
    is_damaged,
    is_disk_full,
    legacy_collection_name,
    named_collection,
    open_client,
    open_collection,
    set_aside_store,
)

log = logging.getLogger("bot.index")

Progress = Callable[[str, int, int], None]

#: Texts per embedder call: big enough for full-speed batches, small enough for smooth progress.
EMBED_CHUNK = 1024
KEPT = "the previous index is still in use"


class VectorWriter:
    """This data folder's collection for one embedder, opened for an index run.

    A damaged embedded store (a crash or a full disk in the middle of a write) is set aside
    and built again from the run's passages, with a warning, instead of failing every run.
    """

    def __init__(self, settings: Settings, embedder_name: str, notes: list[str]) -> None:
        self.settings = settings
        self.embedder_name = embedder_name
        self.notes = notes
        self.rebuilt = False
        try:
            self.client, self.collection = self._open()
        except (*STORE_ERRORS, StoreUnavailable) as error:
            self._rebuild_or_fail("open the vector store", error)
        self.batch = self.client.get_max_batch_size()

    @property
    def name(self) -> str:
        return self.collection.name

    def _open(self, fresh: bool = False):
        client = open_client(self.settings, fresh=fresh)
        return client, open_collection(self.settings, self.embedder_name, client)

    def _failure(self, doing: str, error: BaseException) -> ConfigError:
        if isinstance(error, StoreUnavailable):  # its message already says where and why
            return ConfigError(f"{error} The previous index is still in use.")
        if self.settings.chroma_url:
            # The variable is named: a server that went away mid-run is started again, or
            # CHROMA_URL fixed, before the run is repeated.
            where = f"on the Chroma server at {self.settings.chroma_url} (CHROMA_URL)"
        else:
            where = f"in {self.settings.index_dir / 'chroma'}"
        problem = "the disk is full" if is_disk_full(error) else f"{type(error).__name__}"
        return ConfigError(f"Could not {doing} {where} ({problem}: {error}); {KEPT}.")

    def _rebuild_or_fail(self, doing: str, error: BaseException) -> None:
        """Set a damaged embedded store aside and start a new one; anything else refuses."""
        if self.settings.chroma_url or self.rebuilt or not is_damaged(error):
            raise self._failure(doing, error) from None
        aside = set_aside_store(self.settings)
        message = (
            f"The vector store in {self.settings.index_dir / 'chroma'} was damaged "
            f"({error}); it was moved to {aside} and is rebuilt from this generation's passages."
        )
        log.warning(message)
        self.notes.append(message)
        self.rebuilt = True
        try:
            self.client, self.collection = self._open(fresh=True)
        except (*STORE_ERRORS, StoreUnavailable) as again:
            raise self._failure(doing, again) from None

    def missing(self, ids: list[str], progress: Progress) -> list[str]:
        """The ids not stored yet; a damaged embedded store is rebuilt (all ids missing)."""
        try:
            return self._missing(ids, progress)
        except STORE_ERRORS as error:
            self._rebuild_or_fail("read the vector store", error)
            self.batch = self.client.get_max_batch_size()
            return list(ids)

    def _missing(self, ids: list[str], progress: Progress) -> list[str]:
        have: set[str] = set()
        for start in range(0, len(ids), self.batch):
            have.update(self.collection.get(ids=ids[start : start + self.batch], include=[])["ids"])
            progress("check", min(start + self.batch, len(ids)), len(ids))
        return [vid for vid in ids if vid not in have]

    def copy_legacy(
        self, pending: list[str], unique: Mapping[str, tuple[Passage, str]], progress: Progress
    ) -> list[str]:
        """Copy vectors an older generation keeps in the shared legacy collection; the ids
        still missing afterwards. The legacy collection itself is never changed."""
        name = legacy_collection_name(self.settings, self.embedder_name)
        try:
            legacy = named_collection(self.settings, name, self.client)
        except ConfigError:
            return pending
        copied: set[str] = set()
        try:
            for start in range(0, len(pending), self.batch):
                found = legacy.get(
                    ids=pending[start : start + self.batch], include=["embeddings", "metadatas"]
                )
                if found["ids"]:
                    self.collection.add(
                        ids=found["ids"],
                        embeddings=found["embeddings"],
                        metadatas=[_metadata(unique[vid][0]) for vid in found["ids"]],
                    )
                    copied.update(found["ids"])
                progress("copy", min(start + self.batch, len(pending)), len(pending))
        except STORE_ERRORS as error:
            raise self._failure("copy vectors from the older collection", error) from None
        return [vid for vid in pending if vid not in copied]

    def embed_and_store(
        self,
        embedder: Embedder,
        pending: list[str],
        unique: Mapping[str, tuple[Passage, str]],
        progress: Progress,
    ) -> int:
        # Similar lengths side by side: each forward pass pads to its longest text.
        pending = sorted(pending, key=lambda vid: len(unique[vid][1]))
        progress("embed", 0, len(pending))

        def store(ids: list[str], vectors: list[list[float]], done: int) -> None:
            metadatas = [_metadata(unique[vid][0]) for vid in ids]
            try:
                for at in range(0, len(ids), self.batch):
                    self.collection.add(
                        ids=ids[at : at + self.batch],
                        embeddings=vectors[at : at + self.batch],
                        metadatas=metadatas[at : at + self.batch],
                    )
            except STORE_ERRORS as error:
                raise self._failure("store the vectors", error) from None
            progress("embed", done, len(pending))

        # Chroma stores one chunk on a thread of its own while the encoder embeds the next:
        # the encoder, the slow part, does not wait for the store. One chunk at most is queued.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="chroma-add") as writer:
            writing: Future[None] | None = None
            for start in range(0, len(pending), EMBED_CHUNK):
                ids = pending[start : start + EMBED_CHUNK]
                vectors = embedder.embed_documents([unique[vid][1] for vid in ids])
                if writing is not None:
                    writing.result()  # a store error stops the run here
                writing = writer.submit(store, ids, vectors, start + len(ids))
            if writing is not None:
                writing.result()
        return len(pending)

    def delete(self, ids: set[str], progress: Progress) -> int:
        """Delete `ids` (vectors only the previous generation used); a failure only leaves
        unused vectors behind, so it is logged, not raised."""
        doomed = sorted(ids)
        try:
            for start in range(0, len(doomed), self.batch):
                self.collection.delete(ids=doomed[start : start + self.batch])
                progress("clean", min(start + self.batch, len(doomed)), len(doomed))
        except STORE_ERRORS as error:
            log.warning("could not delete %d unused vectors: %s", len(doomed), error)
            return 0
        return len(doomed)


def _metadata(passage: Passage) -> dict[str, str]:
    meta = {"passage_id": passage.passage_id, "doc_id": passage.doc_id, "kind": str(passage.kind)}
    if passage.court:
        meta["court"] = passage.court
    return meta
