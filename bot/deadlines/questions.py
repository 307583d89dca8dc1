"""A time question in `ask`: the event it is about, and a deadline or what is still needed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from bot.core.deadline_types import Deadline
from bot.core.errors import InputError
from bot.deadlines.compute import known_court, spoken
from bot.deadlines.events import EventBook, Trigger
from bot.deadlines.recognize import EventMatcher, recognize
from bot.deadlines.service import event_deadline

TRIGGER_DATE, SERVICE = "trigger_date", "service"


@dataclass(frozen=True)
class TimeAnswer:
    """What a time question gets: a deadline, or the facts it still needs."""

    event: str
    deadline: Deadline | None
    needs: tuple[str, ...] = ()


def time_answer(
    question: str,
    vector,
    book: EventBook,
    matcher: EventMatcher,
    court: str | None = None,
    today: date | None = None,
) -> TimeAnswer | None:
    """The deadline a time question asks for; None when it is not a time question.

    Only enabled events are candidates: a period the sources do not state is never counted.
    `court` is the case's court (a local rule's events count only there); one procbot has no
    holiday list for is counted with federal holidays only, and the deadline says so.
    """
    profile = known_court(court) if court else None
    court = profile.name if profile else court
    enabled = {s.event.key: s for s in book.enabled if s.event.court in (None, court)}
    found = recognize(question, vector, matcher, set(enabled), today)
    if found is None:
        return None
    status = enabled[found.event]
    event = status.event
    needs = []
    if found.trigger_date is None:
        needs.append(TRIGGER_DATE)
    if event.trigger is Trigger.SERVED and found.service is None:
        needs.append(SERVICE)
    if needs:
        return TimeAnswer(event.key, None, tuple(needs))
    try:
        counted_in = profile.name if profile else None
        deadline = event_deadline(status, found.trigger_date, found.service, counted_in)
    except InputError:
        return None
    assumed = (
        f"Counted as: {event.title} ({event.authority}), from {spoken(found.trigger_date)} as "
        "the date in your question. If your paper is a different one, the period may differ."
    )
    return TimeAnswer(event.key, replace(deadline, caveats=(assumed, *deadline.caveats)))
