"""Time questions: which event a question is about (by meaning), its trigger date and service."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

import numpy as np
import yaml

from bot.deadlines.events import EVENTS_FILE, Event, Trigger, fold
from bot.deadlines.model import Service
from bot.index.embed import fixed_vectors


@dataclass(frozen=True)
class Recognized:
    """What a time question says: the event it is about and what it gives."""

    event: str  # event key
    score: float  # cosine similarity of the question to the event's closest ask
    trigger_date: date | None
    service: Service | None


def _phrases(phrases) -> re.Pattern[str]:
    """Any of `phrases` (folded) as a whole word or phrase."""
    alternatives = "|".join(re.escape(fold(p)) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


@cache
def _settings() -> tuple[
    tuple[float, float], tuple[tuple[Service, re.Pattern[str]], ...], re.Pattern[str]
]:
    raw = yaml.safe_load(EVENTS_FILE.read_text(encoding="utf-8"))
    patterns = tuple(
        (Service(name), _phrases(phrases))
        for name, phrases in (raw.get("service_words") or {}).items()
    )
    thresholds = (float(raw["match_threshold"]), float(raw["match_threshold_es"]))
    return thresholds, patterns, _phrases(raw["time_words"])


def threshold(spanish: bool = False) -> float:
    """The score a match must reach: the Spanish asks' own when the closest ask is Spanish."""
    return _settings()[0][spanish]


def asks_about_time(question: str) -> bool:
    """Whether the question names time ("when", "how long", "deadline", ...): events.yaml."""
    return bool(_settings()[2].search(fold(question)))


@cache
def _person_words() -> tuple[re.Pattern[str], dict[str, str], re.Pattern[str], dict[str, str]]:
    raw = yaml.safe_load(EVENTS_FILE.read_text(encoding="utf-8"))["first_person"]
    people = "|".join(re.escape(p) for p in sorted(raw["people"], key=len, reverse=True))
    pronouns = {str(k): str(v) for k, v in raw["pronouns"].items()}
    verbs = {str(k): str(v) for k, v in raw["verbs"].items()}
    words = "|".join(re.escape(w) for w in sorted(pronouns, key=len, reverse=True))
    # "my son's", "my son", "he": each is one swappable subject or possessive.
    subject = re.compile(rf"\b(?:(?:my|our) (?:{people})s?('s)?|(?:{words}))\b")
    verb = "|".join(re.escape(v) for v in sorted(verbs, key=len, reverse=True))
    agree = re.compile(rf"\b(?:({verb}) (i)\b|\b(i) ({verb}))\b")
    return subject, pronouns, agree, verbs


def first_person(question: str) -> str:
    """The question as the person in the case would ask it: "when does my son have to
    answer?" -> "when do i have to answer?". Unchanged (folded) when it names no one else."""
    subject, pronouns, agree, verbs = _person_words()

    def swap(found: re.Match[str]) -> str:
        said = found.group(0)
        if said in pronouns:
            return pronouns[said]
        return "my" if found.group(1) else "i"  # "my son's papers" -> "my papers"

    text = subject.sub(swap, fold(question))
    return agree.sub(
        lambda m: f"{verbs[m.group(1)]} i" if m.group(1) else f"i {verbs[m.group(4)]}", text
    )


def service_in(text: str) -> Service | None:
    """The way of service the text names; None when it names none or more than one."""
    folded = fold(text)
    said = [(m.start(), m.end(), svc) for svc, p in _settings()[1] for m in p.finditer(folded)]
    # A phrase inside a longer one of another way is not said on its own: "por correo" in
    # "por correo electrónico" (the English phrases avoid this with "-": "mail" in "e-mail").
    found = {
        svc
        for start, end, svc in said
        if not any(s <= start and end <= e and (s, e) != (start, end) for s, e, _ in said)
    }
    return found.pop() if len(found) == 1 else None


#: "21 days", "3 weeks", "30 días": a length of time, which dateparser would read as a date that
#: long ago.
_DURATION = re.compile(
    r"\s*(?:in\s+|en\s+)?\d+\s+(?:days?|weeks?|months?|years?|d[ií]as?|semanas?|mes(?:es)?|a[ñn]os?)\s*",
    re.IGNORECASE,
)
#: Words of one or two letters only: a weekday's abbreviation to dateparser ("mi" is miércoles,
#: "vi" viernes), never a day a person names in a sentence ("de mi hijo", "lo vi").
_ABBREVIATION = re.compile(r"\s*[^\W\d_]{1,2}\.?(?:\s+[^\W\d_]{1,2}\.?)*\s*")
#: The languages `recognize` reads a question's date in: a question may be in either.
QUESTION_LANGUAGES = ("en", "es")


def date_in(
    text: str,
    today: date | None = None,
    prefer: str = "past",
    languages: tuple[str, ...] = ("en",),
) -> date | None:
    """The first calendar day the text states ("March 3", "3/3/2026", "yesterday").

    A date without a year is the most recent one (`prefer="past"`: papers served, orders
    entered) or the next one (`"future"`: a hearing). Weeks, months and bare lengths of time
    ("last week", "21 days") are not days a period can run from and are passed over.
    `languages` are the languages dateparser reads the date in, the likeliest first.
    """
    found = dated(text, today, prefer, languages)
    return found[0] if found else None


def dated(
    text: str,
    today: date | None = None,
    prefer: str = "past",
    languages: tuple[str, ...] = ("en",),
) -> tuple[date, str] | None:
    """The first calendar day the text states (as date_in) and the words that state it."""
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    today = today or date.today()
    settings = {
        "RELATIVE_BASE": datetime(today.year, today.month, today.day),
        "PREFER_DATES_FROM": prefer,
    }
    found = search_dates(text, languages=list(languages), settings=settings) or []
    parser = DateDataParser(languages=list(languages), settings=settings)
    for words, when in found:
        if _DURATION.fullmatch(words) or _ABBREVIATION.fullmatch(words):
            continue
        if parser.get_date_data(words).period == "day":
            return when.date(), words
    return None


class EventMatcher:
    """The asks of every event (English and Spanish) embedded once; a question's vector finds
    its closest event."""

    def __init__(self, embedder, events: tuple[Event, ...], cache_dir: Path | None = None) -> None:
        self.embedder = embedder
        owners, texts, spanish = [], [], []
        for event in events:
            for ask in (event.title, *event.asks, *event.asks_es):
                owners.append(event.key)
                texts.append(ask)
                spanish.append(ask in event.asks_es)
        self.vectors = fixed_vectors(embedder, texts, cache_dir)
        self.owners = tuple(owners)
        self.spanish = tuple(spanish)
        self.keys = tuple(e.key for e in events)
        self.backward = frozenset(e.key for e in events if e.trigger is Trigger.HEARING)

    def scores(self, vector) -> dict[str, float]:
        """Each event's best cosine similarity to the question vector."""
        query = np.asarray(vector, dtype=np.float32)
        query = query / (np.linalg.norm(query) or 1.0)
        similarity = self.vectors @ query
        best: dict[str, float] = {}
        for owner, value in zip(self.owners, similarity.tolist(), strict=True):
            if value > best.get(owner, -1.0):
                best[owner] = value
        return best

    def best(self, vector, allowed: set[str] | None = None) -> tuple[str, float] | None:
        found = self.closest(vector, allowed)
        return found[:2] if found else None

    def closest(self, vector, allowed: set[str] | None = None) -> tuple[str, float, bool] | None:
        """The event of the closest ask, its cosine, and whether that ask is Spanish."""
        query = np.asarray(vector, dtype=np.float32)
        query = query / (np.linalg.norm(query) or 1.0)
        similarity = (self.vectors @ query).tolist()
        kept = [n for n, owner in enumerate(self.owners) if allowed is None or owner in allowed]
        if not kept:
            return None
        n = max(kept, key=lambda n: similarity[n])
        return self.owners[n], similarity[n], self.spanish[n]


_matchers: dict[tuple[str, Path | None], EventMatcher] = {}
_lock = threading.Lock()


def matcher_for(embedder, events: tuple[Event, ...], cache_dir: Path | None = None) -> EventMatcher:
    """One matcher per embedder and data folder: the asks are embedded once a process (and kept
    in each folder's `cache_dir`, so that folder's next start reads them)."""
    with _lock:
        found = _matchers.get((embedder.name, cache_dir))
        if found is None or found.keys != tuple(e.key for e in events):
            found = EventMatcher(embedder, events, cache_dir)
            _matchers[(embedder.name, cache_dir)] = found
            date_in("on March 3, 2026")  # dateparser loads its language data on first use
        return found


def recognize(
    question: str,
    vector,
    matcher: EventMatcher,
    allowed: set[str] | None = None,
    today: date | None = None,
) -> Recognized | None:
    """The event a time question is about, or None when it is not a time question.

    A question about someone else is read in the first person as well, since the events'
    asks are the person's own words, and a dated one without its date, since no ask holds one
    (a date weighs more on a Spanish question's vector than on an English one's); the closest
    reading counts. A question that names no time (asks_about_time) is never a time question,
    however close its topic. The closest ask of either language counts, held to that
    language's threshold.
    """
    if not asks_about_time(question):
        return None
    found = dated(question, today, "past", QUESTION_LANGUAGES)
    own = first_person(question)
    readings = [own]
    if found is not None:
        undated = " ".join(question.replace(found[1], " ").split())
        # in the first person too only when the question names someone else
        readings += [undated, first_person(undated)] if own != fold(question) else [undated]
    best = matcher.closest(vector, allowed)
    for reading in dict.fromkeys(readings):  # each distinct reading once
        if reading == fold(question):
            continue
        other = matcher.closest(matcher.embedder.embed_query(reading), allowed)
        if other is not None and (best is None or other[1] > best[1]):
            best = other
    if best is None or best[1] < threshold(spanish=best[2]):
        return None
    key, score, _ = best
    trigger_date = found[0] if found else None
    if key in matcher.backward:  # a hearing: a date without a year is the next one
        trigger_date = date_in(question, today, "future", QUESTION_LANGUAGES)
    return Recognized(key, score, trigger_date, service_in(question))
