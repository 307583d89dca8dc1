"""The one sentence splitter: every stage that reads sentences (screening, composing) uses it."""

from __future__ import annotations

import re

# Abbreviations that end in a period without ending the sentence (legal citations above all).
_ABBREVIATION_WORDS = (
    "u.s.c u.s fed r civ p crim evid no nos v vs e.g i.e cir f cal dist ct supp app inc corp co "
    "dept doc dckt ecf cnty sch grp med super mr ms mrs dr st sgt lt capt cf seq al art ch sec "
    "ann stat rev jan feb mar apr jun jul aug sep sept oct nov dec l.r r.civ"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
_BOUNDARY = re.compile(r"[.?!][\"'”’)\]]*\s+(?=[\"“'(\[]?[A-Z])")
_QUOTES = re.compile(r"[\"“”]")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`; citations and quotations stay whole."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        stop = match.start() + 1
        segment = text[start:stop]
        token = segment.rsplit(None, 1)[-1].lstrip("(\"“'[").rstrip(".").lower()
        if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            continue
        inside_quote = len(_QUOTES.findall(text[start : match.end()])) % 2 == 1
        if inside_quote and match.end() - start < 800:
            continue
        end = len(text[: match.end()].rstrip())
        spans.append((start, end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans
