"""Passage search over the live generation: dense, BM25, exact authority, and their RRF fusion."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.core.citations import authority_ids
from bot.core.cite_parse import authority_candidates
from bot.core.errors import ConfigError, InputError
from bot.core.settings import Settings
from bot.core.types import COURTLESS_LOCAL, DocKind, Hit
from bot.index.bm25 import query_tokens
from bot.index.embed import Embedder
from bot.index.snapshot import IndexSnapshot, home_court, keys_of
from bot.index.store import STORE_ERRORS
from bot.search.authorities import AuthorityIndex
from bot.search.versions import superseded

if TYPE_CHECKING:
    from langchain_core.retrievers import BaseRetriever

log = logging.getLogger("bot.search")

MODES = ("hybrid", "dense", "bm25", "authority")
RRF_K = 60  # the constant of Cormack et al.'s reciprocal rank fusion
#: What a dense query may raise when the store or a remote embedder is down: never fatal.
DENSE_ERRORS: tuple[type[BaseException], ...] = (*STORE_ERRORS, ConfigError)
_QUERY_CACHE = 256  # recent query vectors kept; follow-up questions often repeat a query


#: Threads for the dense half of hybrid queries, shared by every retriever of the process.
_RANKERS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="dense")


class Retriever:
    """Searches one snapshot; everything a query needs is loaded here, once."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder,
        snapshot: IndexSnapshot,
        collection: Any,
        reopen: Callable[[], Any] | None = None,
    ) -> None:
        if snapshot.embedder != embedder.name:
            raise ConfigError(
                f"The index was built with the embedder {snapshot.embedder!r} but "
                f"PROCBOT_EMBEDDER is {embedder.name!r}. Run `procbot index` again."
            )
        self.settings = settings
        self.embedder = embedder
        self.snapshot = snapshot
        self.collection = collection  # None: the vector store could not be opened
        self.reopen = reopen  # opens the collection again once the store is back
        # Why dense retrieval is skipped, and until when (monotonic clock); hybrid search goes
        # on with BM25 and exact authorities meanwhile instead of failing or hanging.
        self.dense_problem: str | None = None if collection is not None else "not opened"
        # Which of the generation's vectors the store lacks (set by the engine's check): dense
        # retrieval runs over the rest, and a working query does not clear it.
        self.dense_incomplete: str | None = None
        self._dense_down_until = 0.0 if collection is not None else time.monotonic()
        self._dense_lock = threading.Lock()
        self.position = {vid: i for i, vid in enumerate(snapshot.vector_ids)}
        # Keys, not passages: a passage's text is read only when it is returned.
        passages = keys_of(snapshot.passages)
        self.kinds = np.array([str(p.kind) for p in passages], dtype=object)
        self.courts = np.array([p.court or "" for p in passages], dtype=object)
        self.authorities = AuthorityIndex(passages)
        # Counted once: the collection only changes when a new generation (and so a new
        # Retriever) is switched in, and counting per query grows with the corpus.
        self._total = 1
        if collection is not None:
            try:
                self._total = max(collection.count(), 1)
            except DENSE_ERRORS as error:
                self._mark_down(error)
        # Whose local rules a bare "L.R. 230" in a query means: the configured court, else the
        # court the knowledge base's orders come from.
        self.home = settings.court or home_court(snapshot)
        # With two versions of a book indexed, only the newest text of each rule is returned;
        # the older one stays reachable by lookup.
        older = np.array(superseded(passages), dtype=bool)
        self.current: np.ndarray | None = ~older if older.any() else None
        self._current_where: dict[str, Any] | None = None
        self._vectors: OrderedDict[str, list[float]] = OrderedDict()

    # -- public ----------------------------------------------------------------------------

    def search(
        self,
        query: str,
        k: int = 5,
        mode: str = "hybrid",
        kinds: Iterable[DocKind | str] | None = None,
        court: str | None = None,
    ) -> list[Hit]:
        """The `k` best passages for `query`; `kinds` and `court` narrow what may be returned."""
        query = (query or "").strip()
        if not query:
            raise InputError("The query is empty. Type a few words or a rule such as 26(b)(1).")
        if mode not in MODES:
            raise InputError(f"Unknown search mode {mode!r}. Use one of: {', '.join(MODES)}.")
        if k < 1:
            raise InputError("k must be at least 1.")
        allowed = self._allowed(kinds, court)
        if mode == "dense" and not self._dense_ready():
            raise ConfigError(
                f"Dense retrieval is unavailable ({self.dense_problem}); try mode bm25 or hybrid."
            )
        if mode != "hybrid":
            try:
                ranked = self._ranking(mode, query, k, allowed, court)
                if mode == "dense":
                    self.dense_problem = None  # it answered: the store is back
            except DENSE_ERRORS as error:
                if mode != "dense":
                    raise
                self._dense_failed(error)
                raise ConfigError(
                    f"Dense retrieval is unavailable ({self.dense_problem}); "
                    "try mode bm25 or hybrid."
                ) from None
            return [
                Hit(self.snapshot.passages[i], score, rank, (mode,))
                for rank, (i, score) in enumerate(ranked[:k], 1)
            ]
        depth = max(4 * k, 20)
        # The dense ranking (mostly the query's embedding, which releases the GIL) runs on a
        # pool thread while BM25 and the authority index rank here: hybrid costs about as much
        # as dense alone. The fusion below is the same whatever finishes first.
        dense = _RANKERS.submit(self._dense_or_nothing, query, depth, allowed)
        rankings = {
            name: self._ranking(name, query, depth, allowed, court)
            for name in ("bm25", "authority")
        }
        rankings["dense"] = dense.result()
        fused: dict[int, float] = {}
        found_by: dict[int, list[str]] = {}
        for name in ("dense", "bm25", "authority"):
            for rank, (i, _) in enumerate(rankings[name], 1):
                fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank)
                found_by.setdefault(i, []).append(name)
        best = sorted(fused, key=lambda i: (-fused[i], i))[:k]
        return [
            Hit(self.snapshot.passages[i], fused[i], rank, tuple(found_by[i]))
            for rank, i in enumerate(best, 1)
        ]

    # -- dense retrieval that may be down ----------------------------------------------------

    def _dense_ready(self) -> bool:
        """May dense retrieval be tried now? Reopens the store once the back-off has passed."""
        with self._dense_lock:
            if self.dense_problem is None:
                return True
            if time.monotonic() < self._dense_down_until:
                return False
            try:
                if self.collection is None and self.reopen is not None:
                    self.collection = self.reopen()
                if self.collection is not None:
                    self._total = max(self.collection.count(), 1)
            except DENSE_ERRORS as error:
                self._mark_down(error)
                return False
            return self.collection is not None

    def _dense_or_nothing(
        self, query: str, depth: int, allowed: np.ndarray | None
    ) -> list[tuple[int, float]]:
        if not self._dense_ready():
            return []
        try:
            ranked = self._dense(query, depth, allowed)
        except DENSE_ERRORS as error:
            self._dense_failed(error)
            return []
        if self.dense_problem is not None:
            log.warning("dense retrieval is back")
            self.dense_problem = None
        return ranked

    def _dense_failed(self, error: BaseException) -> None:
        with self._dense_lock:
            first = self.dense_problem is None
            self._mark_down(error)
        if first:
            log.warning(
                "dense retrieval failed (%s); answering from word search (BM25) and exact "
                "authorities for %g s before trying again",
                self.dense_problem,
                self.settings.dense_retry_s,
            )

    def _mark_down(self, error: BaseException) -> None:
        self.dense_problem = f"vector store unavailable: {type(error).__name__}"
        self._dense_down_until = time.monotonic() + self.settings.dense_retry_s

    def as_langchain(self, k: int = 5, mode: str = "hybrid") -> BaseRetriever:
        """This retriever as a LangChain retriever, for chains that take one."""
        # Imported here: plain search and answers must not pay LangChain's import at start.
        from bot.search.langchain import PassageRetriever

        return PassageRetriever(retriever=self, k=k, mode=mode)

    # -- the three rankings: lists of (passage index, score), best first ----------------------

    def _ranking(
        self, mode: str, query: str, depth: int, allowed: np.ndarray | None, court: str | None
    ) -> list[tuple[int, float]]:
        if mode == "dense":
            return self._dense(query, depth, allowed)
        if mode == "bm25":
            return self._bm25(query, depth, allowed)
        return self._authority(query, depth, allowed, court)

    def _dense(self, query: str, depth: int, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        vector = self._query_vector(query)
        where = self._where(allowed)
        total = self._total
        ask = min(depth + 16, total)
        while True:
            found = self.collection.query(
                query_embeddings=[vector], n_results=ask, where=where, include=["distances"]
            )
            ranked = []
            for vid, distance in zip(found["ids"][0], found["distances"][0], strict=True):
                i = self.position.get(vid)  # vectors of other generations are skipped
                if i is not None and (allowed is None or allowed[i]):
                    ranked.append((i, 1.0 - float(distance)))
            # Equal scores (the same text in two documents) in passage order, not in whatever
            # order the graph search met them, so one question ranks the same on every build.
            ranked.sort(key=lambda pair: (-pair[1], pair[0]))
            if len(ranked) >= depth or len(found["ids"][0]) < ask:
                return ranked[:depth]
            if ask >= total:
                # A full page of everything counted: another run may have added vectors since
                # this generation was loaded, so count again before giving up on depth.
                fresh = self.collection.count()
                if fresh <= total:
                    return ranked[:depth]
                total = self._total = fresh
            ask = min(ask * 2, total)

    def forget_queries(self) -> None:
        """Drop cached query vectors, so a timed query pays for its own embedding."""
        self._vectors.clear()

    def query_vector(self, query: str) -> list[float]:
        """The query's embedding, cached: guide matching and dense search share one."""
        return self._query_vector(query)

    def _query_vector(self, query: str) -> list[float]:
        vector = self._vectors.get(query)
        if vector is None:
            vector = self.embedder.embed_query(query)
            self._vectors[query] = vector
            if len(self._vectors) > _QUERY_CACHE:
                self._vectors.popitem(last=False)
        return vector

    def _where(self, allowed: np.ndarray | None) -> dict[str, Any] | None:
        if allowed is None:
            return None
        if allowed is self.current:
            # The default filter (newest versions only) is the same for every query: built
            # once, not from a scan of every passage's kind and court per query.
            if self._current_where is None:
                self._current_where = self._where_clause(allowed)
            return self._current_where
        return self._where_clause(allowed)

    def _where_clause(self, allowed: np.ndarray) -> dict[str, Any] | None:
        kinds = sorted(set(self.kinds[allowed]))
        courts = sorted(set(self.courts[allowed]))
        narrows_court = bool(courts) and "" not in courts
        if not narrows_court and len(kinds) == len(set(self.kinds)):
            # Every kind is admitted (the newest-versions filter): the clause would keep every
            # vector, yet a filtered query costs Chroma 10-20 times an unfiltered one. Passages
            # it should not return are dropped by `allowed` as they come back.
            return None
        clauses: list[dict[str, Any]] = [{"kind": {"$in": kinds or ["-"]}}]
        if narrows_court:
            clauses.append({"court": {"$in": courts}})
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def _bm25(self, query: str, depth: int, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        bm25 = self.snapshot.bm25
        ids = bm25.get_tokens_ids(query_tokens(query))
        if not ids or not self.snapshot.passages:
            return []
        scores = bm25.get_scores_from_ids(ids)[: len(self.snapshot.passages)]
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        # Most passages share no word with a question: rank only those that do.
        matched = np.flatnonzero(scores > 0)
        best = matched[top_k(scores[matched], depth)]
        return [(int(i), float(scores[i])) for i in best]

    def _authority(
        self, query: str, depth: int, allowed: np.ndarray | None, court: str | None
    ) -> list[tuple[int, float]]:
        ranked: list[int] = []
        seen: set[int] = set()
        for target in self._named_authorities(query, court or self.home):
            # Lazily, best first: a rule cited across thousands of passages costs `depth`.
            for i in self.authorities.related(target):
                if i not in seen and (allowed is None or allowed[i]):
                    seen.add(i)
                    ranked.append(i)
                    if len(ranked) >= depth:
                        break
            if len(ranked) >= depth:
                break
        return [(i, 1.0 / rank) for rank, i in enumerate(ranked, 1)]

    def _courts_of(self, target: str) -> list[str]:
        """A local rule named without its court ("L.R. 230") as each indexed court's rule."""
        if not _courtless(target):
            return [target]
        return sorted(k for k in self.authorities.known if k.endswith(" " + target)) or [target]

    def _named_authorities(self, query: str, court: str | None) -> list[str]:

        named = [a for found in authority_ids(query, court=court) for a in self._courts_of(found)]
        if named or not _looks_like_citation(query):
            return named
        try:
            readings = authority_candidates(query, court=court)
        except InputError:
            return []
        return [a.id for a in readings if self.authorities.knows(a.id)]

    def _allowed(
        self, kinds: Iterable[DocKind | str] | None, court: str | None
    ) -> np.ndarray | None:
        if kinds is None and court is None:
            return self.current
        mask = np.ones(len(self.snapshot.passages), dtype=bool)
        if self.current is not None:
            mask &= self.current
        if kinds is not None:
            try:
                wanted = {str(DocKind(str(kind).lower())) for kind in kinds}
            except ValueError as error:
                accepted = ", ".join(k.value for k in DocKind)
                raise InputError(f"Unknown document kind. Use one of: {accepted}.") from error
            mask &= np.isin(self.kinds, list(wanted))
        if court is not None:
            mask &= self.courts == court
        return mask


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the `k` highest scores, best first, ties by index: no full sort of the corpus.

    The same order as a full stable sort: a partial partition finds the k-th score, and every
    index tied with it stays a candidate so the lowest indices win the ties.
    """
    if k >= len(scores):
        return np.argsort(-scores, kind="stable")
    kth = scores[np.argpartition(-scores, k - 1)[k - 1]]
    candidates = np.flatnonzero(scores >= kth)
    return candidates[np.lexsort((candidates, -scores[candidates]))][:k]


def _courtless(authority: str) -> bool:
    return authority.startswith(COURTLESS_LOCAL)


def _looks_like_citation(query: str) -> bool:
    # Only short queries are read as bare citations ("1915(e)(1)", "26(b)"), never sentences.
    return any(ch.isdigit() for ch in query) and len(query.split()) <= 4
