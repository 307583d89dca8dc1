"""The engine's typed components, made once and shared: embedder, store, snapshot, retriever."""

from __future__ import annotations

import functools
import logging
import threading
from typing import TYPE_CHECKING

from bot.core.errors import ConfigError
from bot.core.settings import Settings
from bot.index.snapshot import IndexSnapshot, live_generation, load_snapshot

if TYPE_CHECKING:
    # Imported where used: `procbot rule` and `deadline` read the index only, and must not
    # pay for importing Chroma, LangChain, the answer stage or the model's libraries.
    from chromadb.api.models.Collection import Collection
    from langchain_core.language_models import BaseChatModel

    from bot.answer.guides import GuideMatcher
    from bot.index.embed import Embedder
    from bot.search.retrieve import Retriever

log = logging.getLogger("bot.app")

#: Ids per look-up when checking the store: below Chroma's batch limit and SQLite's variables.
COVERAGE_BATCH = 5000


class Components:
    """What the engine serves one data folder with: typed components, each made once.

    They are explicit: an `Embedder`, the Chroma `Collection`, the live
    `IndexSnapshot`, the `Retriever` over both, and an optional chat model. Each may be passed
    in (tests, another embedder) or is made from the settings on first use and shared by every
    later call (the bot serves many chats from one engine). Commands that read only the index
    (`rule`, `sources`) never load the embedding model. Whenever an index run, here or in
    another process, switches in a new generation, the next call serves it.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        embedder: Embedder | None = None,
        chat_model: BaseChatModel | None = None,
    ) -> None:
        self.settings = settings
        self._lock = threading.RLock()
        self._embedder: Embedder | None = embedder
        self._chat_model: BaseChatModel | None = chat_model
        self._collection: Collection | None = None
        self._snapshot: IndexSnapshot | None = None
        self._retriever: Retriever | None = None
        self._generation: str | None = None  # folder name of the generation being served
        self._guides: GuideMatcher | None = None

    # -- components, made once -----------------------------------------------------------

    @property
    def embedder(self) -> Embedder:
        from bot.index.embed import make_embedder

        with self._lock:
            if self._embedder is None:
                self._embedder = make_embedder(self.settings)
            return self._embedder

    @property
    def snapshot(self) -> IndexSnapshot:
        """The live generation, read again when another run switched it."""
        # One small file read per call: a `procbot index` run in another process must not
        # leave this engine serving a generation whose vectors are being deleted.
        live = live_generation(self.settings).name
        with self._lock:
            if self._snapshot is None or self._generation != live:
                self._snapshot = load_snapshot(self.settings)
                self._retriever = None
                self._generation = live
            return self._snapshot

    @property
    def retriever(self) -> Retriever:
        """The retriever over the live snapshot and the collection its generation names.

        A new generation gets its collection opened again: an embedded store is read afresh
        from disk (chromadb's in-memory copy never sees vectors another process added). When
        the store cannot be opened or lacks the generation's vectors, the retriever still
        serves BM25 and exact authorities and says why in `sources().dense`.
        """
        snapshot = self.snapshot
        embedder = self.embedder
        one_blas_thread()
        with self._lock:
            if self._retriever is None or self._retriever.snapshot is not snapshot:
                # Read anew once per generation: chromadb's cached copy of an embedded store
                # (this engine's earlier one, another engine's, an index run's) never sees
                # vectors another process added.
                collection = self._open_collection(snapshot, fresh=False)
                from bot.search.retrieve import Retriever

                self._retriever = Retriever(
                    self.settings,
                    embedder,
                    snapshot,
                    collection,
                    reopen=lambda: self._open_collection(snapshot, fresh=True, quiet=False),
                )
                self._check_coverage(self._retriever)
            return self._retriever

    def _open_collection(
        self, snapshot: IndexSnapshot, *, fresh: bool, quiet: bool = True
    ) -> Collection | None:
        from bot.index.store import legacy_collection_name, named_collection, open_client

        name = snapshot.collection or legacy_collection_name(self.settings, snapshot.embedder)
        try:
            client = open_client(
                self.settings,
                fresh=fresh and not self.settings.chroma_url,
                generation=snapshot.generation,
            )
            self._collection = named_collection(self.settings, name, client)
        except ConfigError as error:
            if not quiet:
                raise
            log.warning("dense retrieval is unavailable: %s", error)
            self._collection = None
        return self._collection

    def _check_coverage(self, retriever: Retriever) -> None:
        """Say so when the store lacks vectors of the generation being served."""
        from bot.search.retrieve import DENSE_ERRORS

        if retriever.collection is None:
            return
        try:
            problem = coverage(retriever.collection, retriever.snapshot)
        except DENSE_ERRORS as error:
            retriever._dense_failed(error)
            return
        if problem:
            retriever.dense_incomplete = problem
            log.warning("dense retrieval is incomplete: %s", problem)

    @property
    def guides(self) -> GuideMatcher:
        """The guide matcher over the live snapshot's verified guides (query vectors shared
        with the retriever, so a question is embedded once)."""
        from bot.answer.guides import GuideMatcher
        from bot.index.bm25 import query_tokens

        retriever = self.retriever
        with self._lock:
            if self._guides is None or self._guides.passages is not retriever.snapshot.by_id:
                snapshot = retriever.snapshot
                chosen = self.settings.guide_threshold
                self._guides = GuideMatcher(
                    snapshot.guides,
                    snapshot.by_id,
                    retriever.query_vector,
                    query_tokens,
                    **({} if chosen is None else {"threshold": chosen}),
                )
            return self._guides

    @property
    def chat_model(self) -> BaseChatModel | None:
        """The LLM composer's model, only when `PROCBOT_COMPOSER=llm`."""
        if self.settings.composer != "llm":
            return None
        with self._lock:
            if self._chat_model is None:
                from bot.answer.llm import make_chat_model

                self._chat_model = make_chat_model(self.settings)
            return self._chat_model


@functools.cache
def one_blas_thread() -> None:
    """Numpy's matrix products on one thread each, once a process serves questions.

    Each question runs on one core (the ONNX encoder too: bot.index.onnx_minilm), so questions
    asked together run side by side. With a BLAS thread pool per product they waited on each
    other's pool threads instead (benchmarks/concurrency.py, 4 at once on 2 cores: 1.24x one
    at a time with the pool, 1.62x without). torch keeps its own threads for indexing.
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def coverage(collection: Collection, snapshot: IndexSnapshot) -> str | None:
    """None when the collection holds every vector of the snapshot, else what is missing."""
    wanted = sorted(set(snapshot.vector_ids))
    have: set[str] = set()
    for start in range(0, len(wanted), COVERAGE_BATCH):
        have.update(collection.get(ids=wanted[start : start + COVERAGE_BATCH], include=[])["ids"])
    missing = len(wanted) - len(have)
    if not missing:
        return None
    return (
        f"{missing} of {len(wanted)} vectors of generation {snapshot.generation} are missing "
        "from the vector store (an older generation's vectors); run `procbot index` to store them"
    )
