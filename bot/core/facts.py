"""Facts a sentence states that must be checked exactly: numbers, case names, cited rules."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.citations import find_mentions
from bot.core.types import Authority

_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_UNIT_TEXT = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_TENS_TEXT = "twenty thirty forty fifty sixty seventy eighty ninety"
_NUMBER_WORD = {w: n for n, w in enumerate(_UNIT_TEXT.split())} | {
    w: 20 + 10 * n for n, w in enumerate(_TENS_TEXT.split())
}
_SCALE = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_WORD = "|".join(sorted([*_NUMBER_WORD, *_SCALE], key=len, reverse=True))
WORD_RUN = re.compile(rf"\b(?:{_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_WORD}))*\b", re.IGNORECASE)
# "no one", "the one", "each one": a pronoun, not a count.
_PRONOUN_ONE = re.compile(r"\b(?:no|any|every|each|the|this|that|which)\s+$", re.IGNORECASE)
# "Mallard v. United States District Court": the words either side of "v." identify the case;
# the whole name is matched so that its words are not counted as the sentence's content.
_NAME = r"[A-Z][\w'&-]*\.?"
CASE = re.compile(
    rf"\b(?:{_NAME}\s+)*?({_NAME}),?\s+vs?\.\s+({_NAME})(?:\s+(?:(?:of|the|for|and)\s+)*{_NAME})*"
)


# "[1]", "[1, 2]", "[1-5]" written into the sentence itself; the draft's citations say the same.
MARKER = re.compile(r"\[\s*\d+(?:\s*[-–,]\s*\d+)*\s*\]")


def blank(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` with the spans (which may overlap) turned into spaces, offsets kept."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def without_authorities(text: str) -> str:
    """`text` without citation markers or rule and statute references, whose numbers are
    checked as authorities ("Fed. R. Civ. P. 5(d)" need not print a 5 to be carried)."""
    text = MARKER.sub(" ", text)
    mentions = find_mentions(text)
    return blank(text, [(m.start, m.end) for m in mentions if isinstance(m.target, Authority)])


def _value(words: str) -> int:
    total = current = 0
    for word in re.findall(r"[a-z]+", words.lower()):
        if word in _NUMBER_WORD:
            current += _NUMBER_WORD[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _SCALE:
            total += max(current, 1) * _SCALE[word]
            current = 0
    return total + current


def numbers(text: str) -> set[str]:
    """Every number `text` states, in digits or words ("fourteen (14)" gives {"14"})."""
    found = set()
    for match in _DIGITS.finditer(text):
        digits = match.group().replace(",", "")
        whole, _, fraction = digits.partition(".")
        fraction = fraction.rstrip("0")
        found.add(str(int(whole)) + (f".{fraction}" if fraction else ""))
    for match in WORD_RUN.finditer(text):
        if match.group().lower() == "one" and _PRONOUN_ONE.search(text[: match.start()]):
            continue
        found.add(str(_value(match.group())))
    return found


def case_names(text: str) -> list[tuple[str, str]]:
    """The words either side of "v." for each case `text` names: ("Mallard", "United")."""
    return [(m.group(1).rstrip("."), m.group(2).rstrip(".")) for m in CASE.finditer(text)]


def names_case(text: str, case: tuple[str, str]) -> bool:
    left, right = (re.escape(word) for word in case)
    return bool(re.search(rf"\b{left}\.?,?\s+vs?\.?\s+{right}\b", text, re.IGNORECASE))
