"""The one core both front ends call: loads the embedder and index once, then answers."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from bot.settings import Settings
from bot.types import Answer, DocKind, Hit, RuleMatch, Turn

Progress = Callable[[str, int, int], None]


class Engine:
    """Indexing, search, rule lookup and answers over one data folder.

    Construction is cheap; the embedding model, the Chroma collection and the live index
    snapshot load on first use and are shared by every later call (the bot serves many
    chats from one engine). Whenever an index run, here or in another process, switches in a
    new generation, the next call serves it.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._embedder = None
        self._retriever = None
        self._collection = None
        self._generation: str | None = None  # folder name of the generation being served
        self._llm = None

    # -- components, loaded once ---------------------------------------------------------

    @property
    def embedder(self):
        from bot.embed import make_embedder

        with self._lock:
            if self._embedder is None:
                self._embedder = make_embedder(self.settings)
            return self._embedder

    @property
    def retriever(self):
        """The retriever over the live generation, reloaded when another run switched it."""
        from bot.retrieve import Retriever
        from bot.snapshot import live_generation, load_snapshot
        from bot.store import open_collection

        embedder = self.embedder
        # One small file read per call: a `procbot index` run in another process must not
        # leave this engine serving a generation whose vectors are being deleted.
        live = live_generation(self.settings).name
        with self._lock:
            if self._retriever is None or self._generation != live:
                if self._collection is None:
                    self._collection = open_collection(self.settings, embedder.name)
                snapshot = load_snapshot(self.settings)
                self._retriever = Retriever(self.settings, embedder, snapshot, self._collection)
                self._generation = live
            return self._retriever

    # -- the public operations -----------------------------------------------------------

    def index(self, paths: Iterable[Path] | None = None, progress: Progress | None = None):
        """Index `paths` (default: the configured knowledge folders) and serve the result."""
        from bot.index import build_index

        targets = list(paths) if paths is not None else list(self.settings.knowledge)
        return build_index(self.settings, targets, self.embedder, progress=progress)

    def search(
        self,
        query: str,
        k: int | None = None,
        mode: str = "hybrid",
        kinds: Sequence[DocKind] | None = None,
        court: str | None = None,
    ) -> list[Hit]:
        from bot.answer import check_question

        # The CLI's `search` takes the same free text as `ask`, so it gets the same limits.
        query = check_question(query)
        return self.retriever.search(
            query, k=k or self.settings.k, mode=mode, kinds=kinds, court=court
        )

    def lookup_rule(self, query: str) -> list[RuleMatch]:
        from bot.lookup import lookup_rule

        return lookup_rule(self.retriever.snapshot, query)

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        from bot.answer import ask

        return ask(
            question,
            # The answer stage builds its own retrieval query (question plus expansions), which
            # may run past the question limit that `search` applies to what people type.
            lambda query, k: self.retriever.search(query, k=k),
            self.settings,
            history=history,
            chat_model=self._chat_model(),
        )

    def sources(self):
        from bot.snapshot import summarize

        return summarize(self.retriever.snapshot)

    def _chat_model(self):
        if self.settings.composer != "llm":
            return None
        from bot.compose_llm import make_chat_model

        with self._lock:
            if self._llm is None:
                self._llm = make_chat_model(self.settings)
            return self._llm
