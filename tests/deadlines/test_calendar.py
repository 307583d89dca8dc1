"""Legal holidays: what the `holidays` package carries, and the reviewed California list."""

from __future__ import annotations

from datetime import date

import holidays
import pytest

from bot.deadlines.calendar import HolidayCalendar, HolidayKind, state_list

FEDERAL_ONLY = HolidayCalendar()
CALIFORNIA = HolidayCalendar(("CA",))

# (day, kind, why) — each row from the published federal calendars and executive orders.
ROWS = [
    (date(2024, 6, 19), HolidayKind.FEDERAL, "Juneteenth, a Wednesday"),
    (date(2026, 7, 3), HolidayKind.FEDERAL, "Independence Day 2026 (a Saturday) observed Friday"),
    (date(2027, 7, 5), HolidayKind.FEDERAL, "Independence Day 2027 (a Sunday) observed Monday"),
    (date(2027, 6, 18), HolidayKind.FEDERAL, "Juneteenth 2027 (a Saturday) observed Friday"),
    (date(2027, 12, 31), HolidayKind.FEDERAL, "New Year's Day 2028 (Saturday) observed Friday"),
    (date(2024, 12, 24), HolidayKind.DECLARED, "executive order closing offices on Christmas Eve"),
    (date(2025, 1, 9), HolidayKind.DECLARED, "national day of mourning for President Carter"),
    (date(2025, 12, 26), HolidayKind.DECLARED, "executive order closing offices Dec. 26, 2025"),
]


@pytest.mark.parametrize(("day", "kind", "why"), ROWS)
def test_federal_and_declared_days(day, kind, why) -> None:
    found = FEDERAL_ONLY.holiday(day, forward=False)
    assert found is not None and found.kind is kind, why


def test_package_carries_no_closure_day_for_2026_or_2027() -> None:
    # What this `holidays` version knows: closure days are added only once declared.
    public = holidays.US(years=[2026, 2027], categories=("public",))
    government = holidays.US(years=[2026, 2027], categories=("government",))
    assert set(government) - set(public) == set()


# (day, forward, expected kind or None, why)
STATE_ROWS = [
    (date(2026, 11, 27), True, HolidayKind.STATE, "day after Thanksgiving, counted forward"),
    (date(2026, 11, 27), False, None, "not counted backward (6(a)(6)(C))"),
    (date(2026, 3, 31), True, HolidayKind.STATE, "Cesar Chavez Day, a Tuesday"),
    (date(2024, 4, 1), True, HolidayKind.STATE, "Cesar Chavez Day 2024 (a Sunday) on Monday"),
    (date(2026, 2, 12), True, None, "Lincoln Day: listed, not applied (one source)"),
    (date(2026, 9, 25), True, None, "Native American Day: listed, not applied (one source)"),
    (date(2026, 2, 15), True, None, "Susan B. Anthony Day is a day of note, not in the list"),
]


@pytest.mark.parametrize(("day", "forward", "kind", "why"), STATE_ROWS)
def test_california_days(day, forward, kind, why) -> None:
    found = CALIFORNIA.holiday(day, forward)
    assert (found.kind if found else None) is kind, why


def test_every_applied_california_day_is_also_in_the_package() -> None:
    # The review rule of CA.toml: an applied entry has a second source, checked here yearly.
    reviewed = state_list("CA")
    assert reviewed is not None and reviewed.applied
    for year in range(2024, 2031):
        package = holidays.US(subdiv="CA", years=year, categories=("public",))
        for entry in reviewed.applied:
            for day in entry.dates(year):
                assert day in package, (entry.name, day)


def test_every_entry_names_its_source() -> None:
    reviewed = state_list("CA")
    assert reviewed is not None
    assert all(e.source and e.checked_against for e in reviewed.entries)


def test_an_entry_without_a_date_rule_never_applies() -> None:
    reviewed = state_list("CA")
    assert reviewed is not None
    diwali = next(e for e in reviewed.entries if e.name == "Diwali")
    assert diwali.dates(2026) == () and not diwali.applied


def test_no_list_for_a_state_without_a_reviewed_file() -> None:
    assert state_list("FL") is None
    assert HolidayCalendar(("FL",)).missing_states() == ("FL",)
