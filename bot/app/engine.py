"""The one core both front ends call: typed components made once; index, search, answer."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.app.components import Components, coverage
from bot.core.answer_types import Answer, Turn
from bot.core.cite_parse import inside
from bot.core.deadline_types import Deadline, Service
from bot.core.errors import IndexDamagedError, IndexMissingError, InputError, ProcbotError
from bot.core.types import DocKind, Hit, RuleMatch, SourcesSummary
from bot.index.snapshot import IndexSnapshot, home_court, keys_of, summarize
from bot.search.lookup import lookup_rule

if TYPE_CHECKING:
    # Imported where used: `procbot rule` and `deadline` read the index only, and must not
    # pay for importing Chroma, LangChain, the answer stage or the model's libraries.
    from bot.answer.assemble import DeadlineFor, Retrieve, ScreenByMeaning
    from bot.deadlines.events import EventBook
    from bot.index.generation import IndexReport
    from bot.search.retrieve import Retriever

log = logging.getLogger("bot.app")

Progress = Callable[[str, int, int], None]


class Engine(Components):
    """Indexing, search, rule lookup, answers and deadlines over one data folder.

    Both front ends call one engine; its typed components (`Components`) are made on first use
    and shared by every later call.
    """

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
            report = build_index(self.settings, targets, self.embedder, progress=progress)
        else:
            try:
                report = update_index(self.settings, targets, self.embedder, progress=progress)
            except IndexDamagedError as error:
                if paths is not None:
                    raise
                # `procbot index` is the repair the damage message names: the configured set
                # is indexed afresh, since the damaged generation cannot be carried forward.
                log.warning("%s Rebuilding it from PROCBOT_KNOWLEDGE.", error)
                report = build_index(self.settings, targets, self.embedder, progress=progress)
        self.prepare_serving()
        return report

    def prepare_serving(self) -> None:
        """What a cold start would otherwise compute, done while the index run has the model
        loaded: the ONNX query encoder (once per machine), the shipped examples' and events'
        vectors and the fitted request screen (once per data folder and generation). The
        first answer after `procbot index` then loads neither torch nor scikit-learn."""
        from bot.answer.requests import screen_for
        from bot.deadlines.events import load_events
        from bot.deadlines.recognize import matcher_for
        from bot.index.embed import prepare_queries

        prepare_queries(self.embedder)
        try:
            screen_for(self.embedder, self.guides.vectors, self.settings.cache_dir)
            matcher_for(self.embedder, load_events(), self.settings.cache_dir)
        except ProcbotError as error:
            # Only the next start's speed depends on it: it computes the same on first use.
            log.warning("serving caches were not prepared: %s", error)

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
            vector = retriever.query_vector(question)
            found = time_answer(question, vector, book, matcher, court=retriever.home)
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
        """The due date for an event, or for `days` after a paper is served, entered or filed.

        Counted in `court` (InputError when procbot has no profile of it), else the configured
        court, else the court of most indexed orders; when that one has no profile, or there is
        none, federal holidays only (the deadline says so)."""
        from bot.deadlines.compute import known_court
        from bot.deadlines.service import days_deadline, event_deadline

        if not court:
            fallback = self.settings.court or self._indexed_court()
            court = fallback if fallback and known_court(fallback) else None
        if event is not None:
            return event_deadline(self.deadline_events().get(event), trigger, service, court)
        if days is None or after is None:
            raise InputError("Give an event (--event KEY) or a period (--days N --after ...).")
        return days_deadline(days, after, trigger, service, court)

    def _indexed_court(self) -> str | None:
        """The court most indexed orders come from; None before anything is indexed (a given
        period is counted without an index)."""
        try:
            return home_court(self.snapshot)
        except IndexMissingError:
            return None


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
