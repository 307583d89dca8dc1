"""Due dates of an order's directives, computed by the deadlines engine (bot/deadlines)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.deadline_types import Service
from bot.deadlines.compute import FEDERAL_HOLIDAYS_ONLY, compute, known_court
from bot.reader.periods import Period

ORDER_IS_MAILED = (
    "Counted from the order's date, the day the court mails it to a party without a lawyer; "
    "the period runs from service even if the mail arrives later."
)


@dataclass(frozen=True)
class DueDate:
    """A directive's period as a date: how many days, from what, the last day, and why."""

    days: int | None
    trigger: str | None  # "service of this order"
    due: str | None  # ISO date; None when the order does not tell from what day to count
    authority: str  # the rules the count applied, or "the order's own words"
    note: str | None = None


def due_date(period: Period, order_date: str | None, by_mail: bool, court: str | None) -> DueDate:
    """The last day for `period`, counted from the order's date when it runs from this order."""
    if period.due:
        return DueDate(None, None, period.due, "the date stated in the order")
    if not (period.days and period.from_this_order and order_date):
        return DueDate(period.days, period.trigger, None, "Fed. R. Civ. P. 6(a)")
    served = period.event == "service"
    service = (Service.MAIL if by_mail else Service.ELECTRONIC) if served else None
    # The order's own court, from its caption; one procbot has no holiday list for (or none
    # read) is counted with federal holidays only, and the count says so.
    profile = known_court(court) if court else None
    counted = compute(
        date.fromisoformat(order_date),
        period.days,
        service,
        court=profile,
        authority="the order",
        after=period.trigger,
    )
    rules = [a for a in counted.authorities if a != "the order"]
    notes = [ORDER_IS_MAILED] if served and by_mail else []
    if profile is None:
        notes.append(FEDERAL_HOLIDAYS_ONLY)
    note = " ".join(notes) or None
    return DueDate(period.days, period.trigger, counted.due.isoformat(), ", ".join(rules), note)
