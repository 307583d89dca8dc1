"""Small talk ("hi", "thanks", "ok"): matched by normalized words or by meaning, never searched."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import yaml

#: Messages longer than this are never small talk by meaning: they state something. Small
#: talk is a few words ("thanks a bunch", "hey good morning"); a question is rarely that short.
MAX_MEANING_WORDS = 4
_KEEP = re.compile(r"[^a-z0-9 ]+")
_REPEATS = re.compile(r"(.)\1{2,}")  # "thaaanks" -> "thaanks" -> matched via the folded form

Vectors = Callable[[Sequence[str]], Sequence[Sequence[float]]]


@dataclass(frozen=True)
class Talk:
    intent: str  # greeting, thanks, ack, bye, language, who
    lang: str  # the exemplar's language


@dataclass(frozen=True)
class Exemplar:
    text: str
    talk: Talk


def normalize(message: str) -> str:
    """Lower case, accents, punctuation and emoji removed, letters repeated 3+ times folded."""
    folded = unicodedata.normalize("NFKD", message.lower())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    plain = _REPEATS.sub(r"\1", plain)
    return " ".join(_KEEP.sub(" ", plain).split())


@cache
def exemplars() -> tuple[Exemplar, ...]:
    raw = resources.files("bot.app.telegram").joinpath("data/small_talk.yaml").read_text("utf-8")
    data = yaml.safe_load(raw)
    return tuple(
        Exemplar(normalize(str(phrase)), Talk(intent, lang))
        for intent, by_lang in data.items()
        for lang, phrases in by_lang.items()
        for phrase in phrases
    )


class MeaningIndex:
    """Exemplar vectors beside the guides' ask vectors: the nearest of all decides."""

    def __init__(self) -> None:
        self._vectors: np.ndarray | None = None
        self._lock = threading.Lock()

    def nearest(self, message: str, vectors: Vectors, others: np.ndarray | None) -> Talk | None:
        with self._lock:
            if self._vectors is None:
                self._vectors = _unit(np.asarray(vectors([e.text for e in exemplars()])))
        q = _unit(np.asarray(vectors([message]))[0:1])[0]
        sims = self._vectors @ q
        best = int(np.argmax(sims))
        if others is not None and len(others) and float(np.max(others @ q)) >= sims[best]:
            return None  # closer to a question a guide answers
        return exemplars()[best].talk


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


_MEANING = MeaningIndex()


def small_talk(
    message: str, vectors: Vectors | None = None, questions: np.ndarray | None = None
) -> Talk | None:
    """The small-talk intent of `message`, or None when it may be a question.

    `vectors` embeds texts (the engine's embedder); `questions` are the guides' ask vectors
    (unit length) a short message is compared with. Without `vectors`, only the normalized
    exact match is used.
    """
    plain = normalize(message)
    if not plain:
        return None
    for exemplar in exemplars():
        if exemplar.text == plain:
            return exemplar.talk
    if vectors is None or questions is None or not len(questions):
        return None
    if len(plain.split()) > MAX_MEANING_WORDS:
        return None
    return _MEANING.nearest(plain, vectors, questions)
