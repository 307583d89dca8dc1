"""An iCalendar (.ics) file for a computed deadline: one all-day event on the due date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from bot.core.deadline_types import Deadline

PRODUCT = "-//procbot//deadlines//EN"
LABEL = (
    "Calculated from the rules, not legal advice. An order in your case that sets a date controls."
)


def deadline_ics(deadline: Deadline, title: str | None = None) -> bytes:
    """The due date as a calendar entry, with the counting steps and a reminder 3 days before."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    entry = Event()
    name = title or (f"Deadline: {deadline.event}" if deadline.event else "Court deadline")
    entry.add("summary", f"Last day: {name}")
    entry.add("dtstart", deadline.due)
    entry.add("dtend", deadline.due + timedelta(days=1))
    entry.add("dtstamp", datetime.now(UTC))
    key = deadline.event or f"{deadline.days}-days"
    entry.add(
        "uid", f"{key}-{deadline.trigger_date.isoformat()}-{deadline.due.isoformat()}@procbot"
    )
    steps = [f"{n}. {s.text} ({s.authority})" for n, s in enumerate(deadline.steps, 1)]
    entry.add("description", "\n".join([LABEL, "", *steps, "", *deadline.caveats]))
    reminder = Alarm()
    reminder.add("action", "DISPLAY")
    reminder.add("description", f"In 3 days: {name}")
    reminder.add("trigger", timedelta(days=-3))
    entry.add_component(reminder)
    calendar.add_component(entry)
    return calendar.to_ical()
