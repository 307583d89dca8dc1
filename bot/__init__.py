"""procbot: cited answers to federal civil-procedure questions for self-represented litigants.

The public API is five functions over the settings from the environment (or ones you pass):
`index`, `search`, `lookup_rule`, `ask` and `evaluate`. Everything else is private.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.answer_types import Answer, Turn
from bot.core.types import Hit, RuleMatch

if TYPE_CHECKING:
    from bot.app.engine import Engine
    from bot.core.settings import Settings

__all__ = ["ask", "evaluate", "index", "lookup_rule", "search"]


@cache
def _default_engine() -> Engine:
    from bot.app.engine import Engine
    from bot.core.settings import load_settings

    return Engine(load_settings())


def _engine(settings: Settings | None) -> Engine:
    if settings is None:
        return _default_engine()
    from bot.app.engine import Engine

    return Engine(settings)


def index(paths: Iterable[Path] | None = None, settings: Settings | None = None):
    """Index knowledge files (default: PROCBOT_KNOWLEDGE); returns an IndexReport."""
    return _engine(settings).index(paths)


def search(query: str, k: int = 5, settings: Settings | None = None) -> list[Hit]:
    """Hybrid search over the index: ranked passages with citations."""
    return _engine(settings).search(query, k=k)


def lookup_rule(query: str, settings: Settings | None = None) -> list[RuleMatch]:
    """The exact text of a rule or subdivision ("26(b)(1)", "L.R. 183(b)")."""
    return _engine(settings).lookup_rule(query)


def ask(question: str, history: Sequence[Turn] = (), settings: Settings | None = None) -> Answer:
    """A grounded, cited answer (or an abstention) to a procedural question."""
    return _engine(settings).ask(question, history)


def evaluate(question_files: Sequence[Path], settings: Settings | None = None, **options):
    """Score retrieval and answers over question sets; see `procbot eval --help`."""
    from bot.core.settings import load_settings
    from bot.evaluate.run import evaluate as run_evaluation

    return run_evaluation(settings or load_settings(), list(question_files), **options)
