"""Does a message lean on the conversation? Openers, pointers and their antecedents (data)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

#: A follow-up with pointers only is short: a long message usually states its own topic.
MAX_POINTER_WORDS = 15
#: With no earlier turns, a message whose only cue is a pointer is unclear when it is this
#: short ("what if he already sent it?"); a longer one names its subject ("does he have to
#: file his discovery requests with the court?") and is answered.
MAX_UNCLEAR_WORDS = 8
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


@dataclass(frozen=True)
class Cues:
    openers: tuple[tuple[str, ...], ...]  # each opener as its words
    strong: frozenset[str]
    weak: frozenset[str]
    antecedents: frozenset[str]


@cache
def cues() -> Cues:
    data = yaml.safe_load(
        resources.files("bot.answer").joinpath("data/followup.yaml").read_text("utf-8")
    )

    pointers = data["pointers"]
    return Cues(
        openers=tuple(
            tuple(words(o)) for lang in ("en", "es") for o in data["openers"][lang] if words(o)
        ),
        strong=frozenset(w for lang in ("en", "es") for w in pointers[lang]["strong"]),
        weak=frozenset(w for lang in ("en", "es") for w in pointers[lang]["weak"]),
        antecedents=frozenset(w for lang in ("en", "es") for w in data["antecedents"][lang]),
    )


def words(message: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(message)]


def _opens(tokens: list[str], c: Cues) -> bool:
    return any(tokens[: len(opener)] == list(opener) for opener in c.openers)


def _unresolved(tokens: list[str], pointers: frozenset[str], c: Cues) -> bool:
    """A pointer with no word before it that could introduce what it points to."""
    for i, token in enumerate(tokens):
        if token in pointers:
            before = tokens[:i]
            if not any(w in c.antecedents for w in before):
                return True
    return False


def is_followup(message: str) -> bool:
    """Given earlier turns: does the message continue them ("what if he already sent it?")?"""
    tokens = words(message)
    if not tokens:
        return False
    c = cues()
    if _opens(tokens, c):
        return True
    return len(tokens) <= MAX_POINTER_WORDS and _unresolved(tokens, c.strong | c.weak, c)


def leans_on_context(message: str) -> bool:
    """With no earlier turns: is the message unclear on its own ("and if they don't answer?")?

    Only openers and strong pointers count: "is it too late to appeal?" is clear alone.
    """
    tokens = words(message)
    if not tokens:
        return False
    c = cues()
    if _opens(tokens, c):
        return True
    return len(tokens) <= MAX_UNCLEAR_WORDS and _unresolved(tokens, c.strong, c)
