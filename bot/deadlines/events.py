"""Deadline events from data, each period checked against the indexed text before it is served."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from bot.answer.verify import numbers
from bot.core.errors import ConfigError, InputError, ProcbotError
from bot.core.types import RuleMatch
from bot.deadlines.calendar import DATA
from bot.deadlines.compute import time_rules
from bot.deadlines.model import RuleSet
from bot.index.snapshot import IndexSnapshot
from bot.search.lookup import lookup_rule

EVENTS_FILE = DATA / "events.yaml"


class Trigger(StrEnum):
    """What a period runs from; only `served` lets Rule 6(d) add days."""

    SERVED = "served"
    ENTERED = "entered"
    FILED = "filed"
    SENT = "sent"
    RETURNED = "returned"
    HEARING = "hearing"  # counted backward


@dataclass(frozen=True)
class EventNote:
    """A cited fact shown with the date, e.g. that the court cannot extend the time."""

    text: str
    cite: str
    anchor: str


@dataclass(frozen=True)
class Event:
    key: str
    title: str
    authority: str
    words: str
    days: int
    trigger: Trigger
    after: str
    rules: RuleSet = RuleSet.FRCP
    court: str | None = None
    version: str | None = None
    notes: tuple[EventNote, ...] = ()
    asks: tuple[str, ...] = ()
    asks_es: tuple[str, ...] = ()  # the same in Spanish, matched together with `asks`


@dataclass(frozen=True)
class Source:
    """Where the words were found: the rule text as indexed, with its version or provenance."""

    label: str  # "Fed. R. Civ. P. 12(a)(1)(A)(i) (as amended to Dec. 1, 2024)"
    doc_id: str
    version: str | None
    provenance: str | None


@dataclass(frozen=True)
class EventStatus:
    """One event after the start-up check: served with its source, or disabled with a reason."""

    event: Event
    source: Source | None
    problem: str | None = None  # why it is disabled
    notes: tuple[EventNote, ...] = ()  # the notes whose anchors were found
    missing_notes: tuple[str, ...] = ()  # "Fed. R. Civ. P. 6(b)(2): anchor not indexed"

    @property
    def enabled(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class EventBook:
    """Every event of the data file, checked against one index generation."""

    generation: str
    statuses: tuple[EventStatus, ...]
    unverified_rules: tuple[str, ...] = field(default=())  # time-rule quotes not found

    @property
    def enabled(self) -> tuple[EventStatus, ...]:
        return tuple(s for s in self.statuses if s.enabled)

    def get(self, key: str) -> EventStatus:
        """The enabled event `key`; InputError naming the problem otherwise."""
        for status in self.statuses:
            if status.event.key == key:
                if not status.enabled:
                    raise InputError(
                        f"The event {key!r} is not available: {status.problem} "
                        "procbot does not count a period its sources do not state."
                    )
                return status
        known = ", ".join(s.event.key for s in self.enabled) or "none"
        raise InputError(f"{key!r} is not an event procbot knows. Enabled events: {known}.")


def fold(text: str) -> str:
    """Case, curly quotes and spacing folded, so a quote matches the indexed text."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.lower().split())


def _note(path: Path, raw: dict) -> EventNote:
    return EventNote(str(raw["text"]), str(raw["cite"]), str(raw["anchor"]))


#: Parsed events by file, with the (mtime, size) they were read at: `ask` needs the events on
#: every question, and parsing the YAML each time cost more than the rest of the answer.
_parsed: dict[Path, tuple[tuple[int, int], tuple[Event, ...]]] = {}


def load_events(path: Path = EVENTS_FILE) -> tuple[Event, ...]:
    """The events of `path`; ConfigError naming the entry when one is malformed.

    Read once, and again only when the file changes (its mtime or size)."""
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = _parsed.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"Cannot read the deadline events in {path}: {error}") from None
    events = _parse_events(path, raw)
    _parsed[path] = (stamp, events)
    return events


def _texts(entry: dict, name: str) -> tuple[str, ...]:
    """A list of phrases (`asks`, `asks_es`); TypeError when it is anything else."""
    found = entry.get(name) or []
    if not isinstance(found, list) or not all(isinstance(t, str) and t.strip() for t in found):
        raise TypeError(f"{name} must be a list of phrases")
    return tuple(found)


def _parse_events(path: Path, raw: Any) -> tuple[Event, ...]:
    events: list[Event] = []
    seen: set[str] = set()
    for n, entry in enumerate(raw.get("events") or ()):
        where = f"{path}, event {entry.get('key', n + 1) if isinstance(entry, dict) else n + 1}"
        try:
            event = Event(
                key=str(entry["key"]),
                title=str(entry["title"]),
                authority=str(entry["authority"]),
                words=str(entry["words"]),
                days=int(entry["days"]),
                trigger=Trigger(entry["trigger"]),
                after=str(entry["after"]),
                rules=RuleSet(entry.get("rules", "frcp")),
                court=entry.get("court"),
                version=entry.get("version"),
                notes=tuple(_note(path, n) for n in entry.get("notes") or ()),
                asks=_texts(entry, "asks"),
                asks_es=_texts(entry, "asks_es"),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ConfigError(f"{where}: missing or wrong field ({error}).") from None
        if event.key in seen:
            raise ConfigError(f"{where}: the key {event.key!r} is used twice.")
        seen.add(event.key)
        events.append(event)
    return tuple(events)


def _ranked(snapshot: IndexSnapshot, matches: list[RuleMatch]) -> list[RuleMatch]:
    """Newest rule book first (2024 before 2022); quoted local rules keep their order."""
    dated = {d.doc_id: d.version or "" for d in snapshot.documents}
    return sorted(matches, key=lambda m: dated.get(m.doc_id, ""), reverse=True)


def find_words(
    snapshot: IndexSnapshot, authority: str, words: str, court: str | None = None
) -> RuleMatch | None:
    """The newest indexed text of `authority` that holds `words`, or None."""
    try:
        matches = lookup_rule(snapshot, authority, **({"court": court} if court else {}))
    except ProcbotError:
        return None
    wanted = fold(words)
    for match in _ranked(snapshot, matches):
        if wanted in fold(match.text):
            return match
    return None


def _check(snapshot: IndexSnapshot, event: Event) -> EventStatus:
    if str(event.days) not in numbers(event.words):
        return EventStatus(event, None, f"its words do not state {event.days} days.")
    match = find_words(snapshot, event.authority, event.words, event.court)
    if match is None:
        return EventStatus(
            event,
            None,
            f"the words of {event.authority} that state the period are not in the index.",
        )
    source = Source(match.label, match.doc_id, match.version, match.provenance)
    found, missing = [], []
    for note in event.notes:
        if find_words(snapshot, note.cite, note.anchor, event.court):
            found.append(note)
        else:
            missing.append(f"{note.cite}: its words are not in the index")
    return EventStatus(event, source, None, tuple(found), tuple(missing))


def check_events(snapshot: IndexSnapshot, events: tuple[Event, ...] | None = None) -> EventBook:
    """Every event checked against `snapshot`: the words found, the number in the words."""
    events = load_events() if events is None else events
    statuses = tuple(_check(snapshot, event) for event in events)
    unverified = []
    for rules in RuleSet:
        for rule in time_rules(rules).values():
            if find_words(snapshot, rule.authority, rule.quote) is None:
                unverified.append(rule.authority)
    return EventBook(snapshot.generation, statuses, tuple(unverified))
