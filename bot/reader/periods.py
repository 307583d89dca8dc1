"""Time phrases of orders: "within thirty (30) days from the date of service of this order".

A period is a number (in words, digits or both) of days, and the event it runs from: what
happens (service or filing) to what (this order, or a paper the sentence names). Phrasings
vary ("after service", "of the date of this order", "from the date this order is filed",
"after being served with the findings and recommendations"), so the trigger is read from its
parts, not matched whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.ingest.parse_order import _MONTHS

THIS_ORDER = "this order"

# A number of days: "30 days", "thirty days", "thirty (30) days", "forty-two (42) court days".
_DAYS = re.compile(
    r"\b(?P<words>(?:[a-z]+[- ])?[a-z]+|\d{1,3})\s*(?:\(\s*(?P<digits>\d{1,3})\s*\)\s*,?\s*)?"
    r"(?P<court>court\s+)?days?\b",
    re.IGNORECASE,
)
# What follows the number: the event the period runs from, up to the end of the clause.
_FROM = re.compile(
    r"^\s*,?\s*(?:(?:from|after|of|following|since)\b|(?:in\s+which|to)\b)(?P<rest>[^.;:,]{0,160})",
    re.IGNORECASE,
)
_SERVICE = re.compile(r"\bserv(?:ice|ed|ing)\b", re.IGNORECASE)
_FILING = re.compile(r"\b(?:fil(?:ing|ed)|entry|entered|issued|date)\b", re.IGNORECASE)
_THIS = re.compile(
    r"\b(?:this|the\s+present)\s+(?:order|findings\s+and\s+recommendations?)\b", re.IGNORECASE
)
_FINDINGS = re.compile(r"^\W*(?:the\s+)?findings\s+and\s+recommendations?\b", re.IGNORECASE)
_PAPERS = re.compile(
    r"\b(findings\s+and\s+recommendations?|opposition|objections?|reply|replies|request|motion|complaint|answer|response|"
    r"discovery\s+requests?|subpoena|notice)\b",
    re.IGNORECASE,
)
_ABSOLUTE = re.compile(
    r"\b(?:no\s+later\s+than|on\s+or\s+before|by)\s+(?P<month>[A-Z][a-z]{2,8})\.?\s+(?P<day>\d{1,2}),"
    r"\s*(?P<year>\d{4})"
)


@dataclass(frozen=True)
class Period:
    """A span of days in a sentence and what it runs from; `due` for an absolute date."""

    text: str  # the words as written
    days: int | None
    event: str | None = None  # "service" | "filing" | None (the sentence does not say)
    target: str | None = None  # "this order", "the objections", ...
    due: str | None = None  # ISO date, when the order names the day itself

    @property
    def trigger(self) -> str | None:
        if self.event and self.target:
            return f"{self.event} of {self.target}"
        return self.event

    @property
    def from_this_order(self) -> bool:
        return self.target == THIS_ORDER


def number(words: str) -> int | None:
    """30 from "30", "thirty", "Thirty"; 42 from "forty-two" or "forty two" (text2num)."""
    from text_to_num import text2num

    words = words.strip().lower()
    if words.isdigit():
        return int(words)
    try:
        value = text2num(words.replace(" ", "-"), "en")
    except ValueError:
        return None
    return value if 0 < value < 1000 else None


def _days(match: re.Match) -> int | None:
    if match.group("digits"):
        return int(match.group("digits"))
    words = match.group("words")
    # "within thirty days": try two words, then the last one ("within thirty" is no number).
    value = number(words)
    if value is None and re.search(r"[- ]", words):
        value = number(re.split(r"[- ]", words)[-1])
    return value


def _trigger(rest: str, findings_are_this_order: bool) -> tuple[str | None, str | None]:
    event = "service" if _SERVICE.search(rest) else "filing" if _FILING.search(rest) else None
    if _THIS.search(rest):
        return event, THIS_ORDER
    tail = re.sub(
        r"^\W*(?:the\s+)?(?:date\s+of\s+)?(?:service\s+of|being\s+served\s+with)\s+", "", rest
    )
    if findings_are_this_order and _FINDINGS.search(tail):
        return event, THIS_ORDER
    if m := _PAPERS.search(rest):
        return event, "the " + " ".join(m.group(1).lower().split())
    if re.match(r"\W*(?:the\s+)?date\s+of\s+the\s+order\b", rest, re.IGNORECASE):
        return event or "filing", THIS_ORDER
    return event, None


def periods(sentence: str, findings_are_this_order: bool = False) -> list[Period]:
    """Every period of days in `sentence`, with its trigger when the sentence names one.

    `findings_are_this_order`: the document is findings and recommendations, so "the findings
    and recommendations" without more is the document itself.
    """
    found: list[Period] = []
    for m in _DAYS.finditer(sentence):
        days = _days(m)
        if days is None:
            continue
        after = _FROM.match(sentence[m.end() :])
        event = target = None
        end = m.end()
        if after and not re.match(r"\s*to\b", after.group(0), re.IGNORECASE):
            event, target = _trigger(after.group("rest"), findings_are_this_order)
            end = m.end() + after.end()
        # "within thirty (30) days" with its number: start at the first number word.
        found.append(Period(sentence[m.start() : end].strip(), days, event, target))
    for m in _ABSOLUTE.finditer(sentence):
        month = _MONTHS.get(m.group("month").lower())
        if month:
            try:
                day = date(int(m.group("year")), month, int(m.group("day")))
            except ValueError:
                continue
            found.append(Period(m.group(0), None, due=day.isoformat()))
    return found
