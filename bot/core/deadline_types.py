"""A counted deadline: how the paper was served, the counting rule, each cited step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Service(StrEnum):
    """How the paper that starts the period was served (Fed. R. Civ. P. 5(b)(2))."""

    MAIL = "mail"  # 5(b)(2)(C): 3 days added (Rule 6(d))
    PERSONAL = "personal"  # 5(b)(2)(A)-(B): handed over or left at the home or office
    ELECTRONIC = "electronic"  # 5(b)(2)(E): no days added since Dec. 1, 2016
    CLERK = "clerk"  # 5(b)(2)(D): left with the court clerk; 3 days added
    OTHER = "other"  # 5(b)(2)(F): other means the person consented to in writing; 3 days added


class Counting(StrEnum):
    """Rule 6(a)(5): periods after an event count forward, periods before one backward."""

    AFTER = "after"
    BEFORE = "before"


class RuleSet(StrEnum):
    """Which time-computation rule governs: the district court's or the court of appeals'."""

    FRCP = "frcp"  # Fed. R. Civ. P. 6
    FRAP = "frap"  # Fed. R. App. P. 26


@dataclass(frozen=True)
class DeadlineStep:
    """One step of a count: what happened, the date it gives, and the rule that says so."""

    text: str
    date: date
    authority: str
    quote: str = ""


@dataclass(frozen=True)
class Deadline:
    """A computed due date with every step cited; a calculation from the rules, not advice."""

    event: str | None  # event key, or None for a period given by the user or an order
    trigger_date: date
    service: Service | None  # None when the period does not run from service
    due: date
    days: int
    counting: Counting
    rules: RuleSet
    court: str | None  # None when the court was not known (federal holidays only)
    steps: tuple[DeadlineStep, ...]
    authorities: tuple[str, ...]
    caveats: tuple[str, ...]
    holiday_list: str  # which holiday lists the count used, in words
