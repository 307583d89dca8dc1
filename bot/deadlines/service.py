"""Deadlines for events and for given periods: the checks, the count, and what to say with it."""

from __future__ import annotations

import threading
from datetime import date

from bot.core.errors import InputError
from bot.deadlines.compute import compute, court_profile
from bot.deadlines.events import EventBook, EventStatus, Trigger, check_events
from bot.deadlines.model import Counting, Deadline, Service
from bot.index.snapshot import IndexSnapshot

SERVICE_CHOICES = ", ".join(s.value for s in Service)
#: What `--after` accepts for a period the user or an order gives.
AFTER_CHOICES = ("served", "entered", "filed")

_last: list[tuple[IndexSnapshot, EventBook]] = []  # the live snapshot's book, at most one
_lock = threading.Lock()


def event_book(snapshot: IndexSnapshot) -> EventBook:
    """The events checked against `snapshot`, once per loaded snapshot."""
    with _lock:
        if _last and _last[0][0] is snapshot:
            return _last[0][1]
        book = check_events(snapshot)
        _last[:] = [(snapshot, book)]  # only the live snapshot is ever asked for again
        return book


def parse_service(text: str | None) -> Service | None:
    if text is None or not text.strip():
        return None
    try:
        return Service(text.strip().lower())
    except ValueError:
        raise InputError(
            f"{text!r} is not a way of service. Use one of: {SERVICE_CHOICES}."
        ) from None


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except (AttributeError, ValueError):
        raise InputError(
            f"{text!r} is not a date. Write it as YYYY-MM-DD, e.g. 2026-03-03."
        ) from None


def _source_caveat(status: EventStatus) -> str | None:
    source = status.source
    if source is None:
        return None
    if source.provenance:
        # Local rules known only as quoted in orders: say which quoted wording is counted.
        which = status.event.version or source.provenance
        return (
            f"The period is quoted from {status.event.authority}, {which}. The rule is known "
            "only as quoted in orders, not from its official text."
        )
    return f"The period is quoted from {source.label}."


def event_deadline(
    status: EventStatus, trigger: date, service: Service | None, court: str | None = None
) -> Deadline:
    """The due date for an enabled event; InputError when the service or court does not fit.

    `court` is the case's court; a local rule's event counts in its own court, and a federal
    rule's event with no court known counts federal holidays only (the deadline says so).
    """
    event = status.event
    wanted = court or event.court
    profile = court_profile(wanted) if wanted else None
    if event.court and profile is not None and profile.name != event.court:
        raise InputError(
            f"{event.authority} is a rule of the {event.court} court, not of {profile.name}."
        )
    served = event.trigger is Trigger.SERVED
    if served and service is None:
        raise InputError(
            f"Say how the paper was served ({SERVICE_CHOICES}): mail adds 3 days under Rule 6(d)."
        )
    caveats = [f"{note.text} ({note.cite})" for note in status.notes]
    if service is not None and not served and event.trigger is not Trigger.ENTERED:
        caveats.append(f"How a paper was served does not change this period ({event.after}).")
    source = _source_caveat(status)
    if source:
        caveats.append(source)
    return compute(
        trigger,
        event.days,
        service if served or event.trigger is Trigger.ENTERED else None,
        Counting.BEFORE if event.trigger is Trigger.HEARING else Counting.AFTER,
        profile,
        event.trigger is Trigger.ENTERED,
        rules=event.rules,
        authority=event.authority,
        quote=event.words,
        after=event.after,
        event=event.key,
        caveats=tuple(caveats),
    )


def days_deadline(
    days: int, after: str, trigger: date, service: Service | None, court: str | None = None
) -> Deadline:
    """A period the user or an order gives: `days` after a paper is served, entered or filed."""
    if after not in AFTER_CHOICES:
        raise InputError(f"--after must be one of {', '.join(AFTER_CHOICES)}, not {after!r}.")
    if after == "served" and service is None:
        raise InputError(
            f"Say how the paper was served ({SERVICE_CHOICES}): mail adds 3 days under Rule 6(d)."
        )
    origin = {"served": "service", "entered": "entry of the order", "filed": "filing"}[after]
    return compute(
        trigger,
        days,
        service if after != "filed" else None,
        Counting.AFTER,
        court_profile(court) if court else None,
        after == "entered",
        after=origin,
        caveats=(
            f"The {days}-day period is the one you gave; procbot did not find it in a rule. "
            "Check it against the order or rule that sets it.",
        ),
    )
