"""The one core both front ends call: typed components made once; index, search, answer."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.citations import inside
from bot.core.errors import ConfigError, IndexDamagedError, InputError, ProcbotError
from bot.core.settings import Settings
from bot.core.types import Answer, Deadline, DocKind, Hit, RuleMatch, Service, SourcesSummary, Turn
from bot.index.snapshot import (
    IndexSnapshot,
    keys_of,
    live_generation,
    load_snapshot,
    summarize,
)
from bot.search.lookup import lookup_rule

if TYPE_CHECKING:
    # Imported where used: `procbot rule` and `deadline` read the index only, and must not
    # pay for importing Chroma, LangChain, the answer stage or the model's libraries.
    from chromadb.api.models.Collection import Collection
    from langchain_core.language_models import BaseChatModel

    from bot.answer.assemble import DeadlineFor, Retrieve, ScreenByMeaning
    from bot.answer.guides import GuideMatcher
    from bot.deadlines.events import EventBook
    from bot.index.embed import Embedder
    from bot.index.generation import IndexReport
    from bot.search.retrieve import Retriever

log = logging.getLogger("bot.app")

Progress = Callable[[str, int, int], None]
#: Ids per look-up when checking the store: below Chroma's batch limit and SQLite's variables.
COVERAGE_BATCH = 5000


class Engine:
    """Indexing, search, rule lookup and answers over one data folder.

    Its components are explicit: an `Embedder`, the Chroma `Collection`, the live
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

    # -- the public operations -----------------------------------------------------------

    def index(
        self,
        paths: Iterable[Path] | None = None,
        progress: Progress | None = None,
        *,
        replace: bool = False,
    ) -> IndexReport:
        """Index `paths` (default: the configured knowledge folders) and serve the result.

        The documents of `paths` are added to the live generation, or replace their earlier
        versions; every other indexed document stays. `replace` makes `paths` the whole set.
        """
        from bot.index.build import build_index, update_index

        targets = list(paths) if paths is not None else list(self.settings.knowledge)
        if replace:
            return build_index(self.settings, targets, self.embedder, progress=progress)
        try:
            return update_index(self.settings, targets, self.embedder, progress=progress)
        except IndexDamagedError as error:
            if paths is not None:
                raise
            # `procbot index` is the repair the damage message names: the configured set
            # is indexed afresh, since the damaged generation cannot be carried forward.
            log.warning("%s Rebuilding it from PROCBOT_KNOWLEDGE.", error)
            return build_index(self.settings, targets, self.embedder, progress=progress)

    def remove(self, paths: Iterable[Path], progress: Progress | None = None) -> IndexReport:
        """A new generation without the documents of `paths` (files, folders or ids)."""
        from bot.index.build import remove_from_index

        return remove_from_index(self.settings, list(paths), self.embedder, progress=progress)

    def search(
        self,
        query: str,
        k: int | None = None,
        mode: str = "hybrid",
        kinds: Sequence[DocKind] | None = None,
        court: str | None = None,
    ) -> list[Hit]:
        from bot.answer.assemble import check_question

        # The CLI's `search` takes the same free text as `ask`, so it gets the same limits.
        query = check_question(readable(query))
        return self.retriever.search(
            query, k=k or self.settings.k, mode=mode, kinds=kinds, court=court
        )

    def lookup_rule(self, query: str, version: str | None = None) -> list[RuleMatch]:
        """The newest indexed text of the rule `query` names, or `version` ("2022-12-01")."""
        return lookup_rule(
            self.snapshot, readable(query), court=self.settings.court, version=version
        )

    def rule_parts(self, match: RuleMatch) -> tuple[RuleMatch, tuple[RuleMatch, ...]]:
        """The subdivision's own words, and each of its next-level parts (same book), in order."""
        # Over the passages' keys (a document's passages are stored in their order); only the
        # subdivision's own passages are read for their text.
        table = self.snapshot.passages
        keys = keys_of(table)
        book = [
            i
            for i, key in enumerate(keys)
            if key.doc_id == match.doc_id and key.authority and key.version == match.version
        ]
        inner = [
            authority
            for i in book
            if (authority := keys[i].authority or "").startswith(match.authority)
            and authority != match.authority
            and inside(match.authority, authority)
        ]
        own = [table[i] for i in book if keys[i].authority == match.authority]
        own_text = "\n".join(p.text for p in sorted(own, key=lambda p: p.position))
        prefix = len(match.authority)
        children = list(
            dict.fromkeys(
                authority[: prefix + authority[prefix:].index(")") + 1]
                for authority in inner
                if authority[prefix:].startswith("(")
            )
        )
        parts = []
        for child in children:
            found = [m for m in self.lookup_rule(child) if m.doc_id == match.doc_id]
            parts.extend(found[:1])
        own_match = replace(match, text=own_text) if own_text else replace(match, text="")
        return own_match, tuple(parts)

    def suggestions(self, question: str, spanish: bool = False, n: int = 3) -> tuple[str, ...]:
        """Questions procbot can answer, near `question`: the first ask of the closest guides."""
        try:
            guides = self.guides
        except ProcbotError:
            return ()
        asks = []
        for score in guides.scores(question)[:n]:
            guide = guides.by_id[score.guide_id].guide
            own = guide.asks_es if spanish and guide.asks_es else guide.asks
            if own:
                asks.append(own[0])
        return tuple(asks)

    def ask(
        self,
        question: str,
        history: Sequence[Turn] = (),
        retrieve: Retrieve | None = None,
    ) -> Answer:
        """Answer a question as both front ends do. `retrieve(query, k)`, when given, replaces
        the hybrid search (the evaluation records what each answer was handed)."""
        from bot.answer.assemble import ask

        question = readable(question)
        retriever = self.retriever
        # The court answers are written for: the configured one, else the knowledge base's.
        settings = self.settings
        if settings.court is None and retriever.home:
            settings = settings.model_copy(update={"court": retriever.home})
        answer = ask(
            question,
            # The answer stage builds its own retrieval query (question plus expansions), which
            # may run past the question limit that `search` applies to what people type.
            retrieve or (lambda query, k: retriever.search(query, k=k)),
            settings,
            history=history,
            chat_model=self.chat_model,
            guides=self.guides,
            deadline=self._deadline_for(retriever),
            requests=self._requests(retriever),
        )
        if retriever.dense_problem and not answer.abstained:
            note = f"Answered from word search only: {retriever.dense_problem}."
            answer = replace(answer, notes=(*answer.notes, note))
        elif retriever.dense_incomplete and not answer.abstained:
            note = f"Meaning search covers only part of the index: {retriever.dense_incomplete}."
            answer = replace(answer, notes=(*answer.notes, note))
        return answer

    def _requests(self, retriever: Retriever) -> ScreenByMeaning:
        """The meaning screen of `ask`: the question's (cached) vector against the examples,
        with the live guides' asks as questions procbot answers."""
        from bot.answer.requests import screen_for

        screen = screen_for(self.embedder, self.guides.vectors, self.settings.cache_dir)
        return lambda question: screen.reason(retriever.query_vector(question))

    def sources(self) -> SourcesSummary:
        """What is indexed, and whether dense retrieval can serve it (no model is loaded)."""
        snapshot = self.snapshot
        retriever = self._retriever
        if retriever is not None and retriever.snapshot is snapshot:
            return summarize(snapshot, dense=retriever.dense_problem or retriever.dense_incomplete)
        return summarize(snapshot, dense=self._store_status(snapshot))

    def _store_status(self, snapshot: IndexSnapshot) -> str | None:
        from bot.search.retrieve import DENSE_ERRORS

        with self._lock:
            collection = self._open_collection(snapshot, fresh=False)
        if collection is None:
            return "vector store unavailable"
        try:
            return coverage(collection, snapshot)
        except DENSE_ERRORS as error:
            return f"vector store unavailable: {type(error).__name__}"

    # -- deadlines: read the snapshot only, never the embedding model ---------------------

    def _deadline_for(self, retriever: Retriever) -> DeadlineFor | None:
        """The deadline stage of `ask`: events matched by the question's (cached) vector."""
        from bot.deadlines.events import load_events
        from bot.deadlines.questions import time_answer
        from bot.deadlines.recognize import matcher_for
        from bot.deadlines.service import event_book

        book = event_book(retriever.snapshot)
        if not book.enabled:
            return None
        matcher = matcher_for(self.embedder, load_events(), self.settings.cache_dir)

        def count(question: str) -> tuple[Deadline | None, tuple[str, ...]]:
            # The question as typed: the retrieval query's added court words blur which
            # event it is about. The vector is cached for any other stage that embeds it.
            found = time_answer(question, retriever.query_vector(question), book, matcher)
            return (found.deadline, found.needs) if found else (None, ())

        return count

    def count_deadline(self, question: str) -> tuple[Deadline | None, tuple[str, ...]]:
        """The deadline stage of `ask` alone: a time question completed with its date or
        service (the Telegram buttons) is counted without answering it again."""
        count = self._deadline_for(self.retriever)
        return count(question) if count else (None, ())

    def deadline_events(self) -> EventBook:
        """Every deadline event, checked against the live index (once per generation)."""
        from bot.deadlines.service import event_book

        return event_book(self.snapshot)

    def deadline(
        self,
        trigger: date,
        *,
        event: str | None = None,
        days: int | None = None,
        after: str | None = None,
        service: Service | None = None,
        court: str | None = None,
    ) -> Deadline:
        """The due date for an event, or for `days` after a paper is served, entered or filed."""
        from bot.deadlines.service import days_deadline, event_deadline

        if event is not None:
            return event_deadline(self.deadline_events().get(event), trigger, service, court)
        if days is None or after is None:
            raise InputError("Give an event (--event KEY) or a period (--days N --after ...).")
        return days_deadline(days, after, trigger, service, court)


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


def readable(text: object) -> str:
    """`text` as a question procbot can read; InputError for bytes that are not UTF-8 text.

    Command-line arguments that are not UTF-8 arrive as lone surrogates (surrogateescape);
    no tokenizer can encode them.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("The question is not UTF-8 text; type it again.") from None
    if not isinstance(text, str):
        raise InputError("The question must be text.")
    if any("\ud800" <= c <= "\udfff" for c in text):
        raise InputError(
            "The question holds bytes that are not UTF-8 text (check your terminal's "
            "encoding) and was not read; type it again."
        )
    return text
