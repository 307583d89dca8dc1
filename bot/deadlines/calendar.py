"""Legal holidays for Rule 6(a)(6): federal and declared days from `holidays`, states from data."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from importlib import metadata
from pathlib import Path

import holidays

from bot.core.errors import ConfigError, InputError

DATA = Path(__file__).resolve().parent / "data"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class HolidayKind(StrEnum):
    FEDERAL = "federal"  # Rule 6(a)(6)(A): the days set aside by statute
    DECLARED = "declared"  # Rule 6(a)(6)(B): declared by the President or Congress
    STATE = "state"  # Rule 6(a)(6)(C): the state's, for periods measured after an event


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str
    kind: HolidayKind
    source: str  # where the day comes from, for the answer's holiday list


@dataclass(frozen=True)
class StateHoliday:
    """One entry of a reviewed state list: a date rule and its source."""

    name: str
    source: str
    checked_against: str
    applied: bool
    month: int | None = None
    day: int | None = None  # fixed date, or
    weekday: int | None = None  # nth weekday of the month (nth = -1: the last one)
    nth: int | None = None
    offset_days: int = 0
    since: int | None = None
    sunday_to_monday: bool = False

    def dates(self, year: int) -> tuple[date, ...]:
        """The day(s) this holiday falls on in `year`: none before `since` or without a rule."""
        if self.month is None or (self.since is not None and year < self.since):
            return ()
        if self.day is not None:
            when = date(year, self.month, self.day)
        elif self.weekday is not None and self.nth is not None:
            when = _nth_weekday(year, self.month, self.weekday, self.nth)
        else:
            return ()
        when += timedelta(days=self.offset_days)
        if self.sunday_to_monday and when.weekday() == 6:
            return (when, when + timedelta(days=1))
        return (when,)


@dataclass(frozen=True)
class StateList:
    state: str
    name: str
    reviewed: str
    entries: tuple[StateHoliday, ...]

    @property
    def applied(self) -> tuple[StateHoliday, ...]:
        return tuple(e for e in self.entries if e.applied)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    if nth > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    after = date(year + (month == 12), month % 12 + 1, 1)
    last = after - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7 + 7 * (-nth - 1))


def _entry(path: Path, raw: dict) -> StateHoliday:
    try:
        weekday = raw.get("weekday")
        return StateHoliday(
            name=str(raw["name"]),
            source=str(raw["source"]),
            checked_against=str(raw["checked_against"]),
            applied=bool(raw["applied"]),
            month=raw.get("month"),
            day=raw.get("day"),
            weekday=WEEKDAYS.index(weekday) if weekday else None,
            nth=raw.get("nth"),
            offset_days=int(raw.get("offset_days", 0)),
            since=raw.get("since"),
            sunday_to_monday=bool(raw.get("sunday_to_monday", False)),
        )
    except (KeyError, ValueError) as error:
        raise ConfigError(f"{path}: a holiday entry is incomplete or wrong ({error}).") from None


@cache
def state_list(state: str) -> StateList | None:
    """The reviewed list of `state` (two letters), or None when no list exists yet."""
    path = DATA / "states" / f"{state.upper()}.toml"
    if not path.is_file():
        return None
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = tuple(_entry(path, item) for item in raw.get("holiday", ()))
    return StateList(raw["state"], raw["name"], raw["reviewed"], entries)


@cache
def package_version() -> str:
    return metadata.version("holidays")


@cache
def _federal_year(year: int) -> dict[date, Holiday]:
    public = holidays.US(years=year, categories=("public",))
    government = holidays.US(years=year, categories=("government",))
    days: dict[date, Holiday] = {}
    for day, name in public.items():
        days[day] = Holiday(day, name, HolidayKind.FEDERAL, f"holidays {package_version()}")
    for day, name in government.items():
        # The government category repeats the public days and adds the days the President
        # closed the executive departments (e.g. a national day of mourning).
        days.setdefault(
            day, Holiday(day, name, HolidayKind.DECLARED, f"holidays {package_version()}")
        )
    return days


@cache
def _state_year(state: str, year: int) -> dict[date, Holiday]:
    found = state_list(state)
    if found is None:
        return {}
    days: dict[date, Holiday] = {}
    for entry in found.applied:
        for day in entry.dates(year):
            days.setdefault(day, Holiday(day, entry.name, HolidayKind.STATE, entry.source))
    return days


class HolidayCalendar:
    """The legal holidays of Rule 6(a)(6) for one court: federal, declared, and state ones."""

    def __init__(self, states: tuple[str, ...] = ()) -> None:
        self.states = tuple(dict.fromkeys(s.upper() for s in states))

    def holiday(self, day: date, forward: bool) -> Holiday | None:
        """The legal holiday on `day`; state days only when counting forward (6(a)(6)(C))."""
        if not 1900 <= day.year <= 2200:
            raise InputError(f"{day.isoformat()} is outside the years procbot can count.")
        found = _federal_year(day.year).get(day)
        if found or not forward:
            return found
        for state in self.states:
            found = _state_year(state, day.year).get(day)
            if found:
                return found
        return None

    def is_closed(self, day: date, forward: bool) -> bool:
        return day.weekday() >= 5 or self.holiday(day, forward) is not None

    def description(self, forward: bool) -> str:
        """Which holiday lists a count uses, for the answer."""
        parts = [
            f"U.S. federal holidays and days declared by the President (holidays "
            f"{package_version()}, categories public and government)"
        ]
        if forward:
            for state in self.states:
                found = state_list(state)
                if found is None:
                    parts.append(f"no reviewed list of {state} state holidays (none counted)")
                else:
                    names = ", ".join(e.name for e in found.applied) or "none"
                    parts.append(f"{found.name} state holidays: {names}")
        else:
            parts.append("no state holidays (backward counts use federal ones only)")
        return "; ".join(parts)

    def missing_states(self) -> tuple[str, ...]:
        return tuple(s for s in self.states if state_list(s) is None)
