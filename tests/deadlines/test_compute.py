"""Rule 6 and FRAP 26 counts over real 2024-2027 calendars; every expected date worked by hand."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.errors import InputError
from bot.deadlines.compute import FEDERAL_HOLIDAYS_ONLY, GIVEN_PERIOD, compute, court_profile
from bot.deadlines.model import Counting, RuleSet, Service

AFTER, BEFORE = Counting.AFTER, Counting.BEFORE
MAIL, HAND, EFILE = Service.MAIL, Service.PERSONAL, Service.ELECTRONIC
CLERK, OTHER = Service.CLERK, Service.OTHER

# (trigger, days, service, counting, from_judgment, expected) — E.D. Cal., Fed. R. Civ. P. 6.
ROWS = [
    # Weekend: Sat 2026-03-07 + 21 = Sat 03-28 -> Sun 29 -> Mon 03-30.
    (date(2026, 3, 7), 21, HAND, AFTER, False, date(2026, 3, 30)),
    # Sunday: Sun 2025-11-02 + 14 = Sun 11-16 -> Mon 11-17.
    (date(2025, 11, 2), 14, HAND, AFTER, False, date(2025, 11, 17)),
    # New Year's Day: Wed 2024-12-18 + 14 = Wed 2025-01-01 (holiday) -> Thu 01-02.
    (date(2024, 12, 18), 14, None, AFTER, False, date(2025, 1, 2)),
    # Martin Luther King Jr. Day: Mon 2024-01-08 + 7 = Mon 01-15 (holiday) -> Tue 01-16.
    (date(2024, 1, 8), 7, None, AFTER, False, date(2024, 1, 16)),
    # Washington's Birthday: Mon 2025-02-03 + 14 = Mon 02-17 (holiday) -> Tue 02-18.
    (date(2025, 2, 3), 14, None, AFTER, False, date(2025, 2, 18)),
    # Memorial Day: Mon 2026-05-04 + 21 = Mon 05-25 (holiday) -> Tue 05-26.
    (date(2026, 5, 4), 21, None, AFTER, False, date(2026, 5, 26)),
    # Juneteenth: Wed 2024-06-05 + 14 = Wed 06-19 (holiday) -> Thu 06-20.
    (date(2024, 6, 5), 14, None, AFTER, False, date(2024, 6, 20)),
    # Juneteenth observed on Friday: 2027-06-19 is a Saturday, observed Fri 06-18.
    # Fri 2027-06-04 + 14 = Fri 06-18 (observed) -> Sat 19 -> Sun 20 -> Mon 06-21.
    (date(2027, 6, 4), 14, None, AFTER, False, date(2027, 6, 21)),
    # Independence Day observed on Friday: 2026-07-04 is a Saturday, observed Fri 07-03.
    # Fri 2026-06-12 + 21 = Fri 07-03 (observed) -> Sat 4 -> Sun 5 -> Mon 07-06.
    (date(2026, 6, 12), 21, None, AFTER, False, date(2026, 7, 6)),
    # Independence Day observed on Monday: 2027-07-04 is a Sunday, observed Mon 07-05.
    # Mon 2027-06-21 + 14 = Mon 07-05 (observed) -> Tue 07-06.
    (date(2027, 6, 21), 14, None, AFTER, False, date(2027, 7, 6)),
    # Labor Day: Mon 2026-08-17 + 21 = Mon 09-07 (holiday) -> Tue 09-08.
    (date(2026, 8, 17), 21, None, AFTER, False, date(2026, 9, 8)),
    # Columbus Day: Mon 2025-09-29 + 14 = Mon 10-13 (holiday) -> Tue 10-14.
    (date(2025, 9, 29), 14, None, AFTER, False, date(2025, 10, 14)),
    # Veterans Day: Tue 2025-10-28 + 14 = Tue 11-11 (holiday) -> Wed 11-12.
    (date(2025, 10, 28), 14, None, AFTER, False, date(2025, 11, 12)),
    # Thanksgiving then California's day after: Thu 2024-11-07 + 21 = Thu 11-28 -> Fri 29
    # (Cal. state holiday, counted forward) -> Sat 30 -> Sun 12-01 -> Mon 12-02.
    (date(2024, 11, 7), 21, None, AFTER, False, date(2024, 12, 2)),
    # Christmas then a presidential closure: Thu 2025-12-11 + 14 = Thu 12-25 -> Fri 12-26
    # (executive order closing federal offices) -> Sat 27 -> Sun 28 -> Mon 12-29.
    (date(2025, 12, 11), 14, None, AFTER, False, date(2025, 12, 29)),
    # Christmas observed on Friday: 2027-12-25 is a Saturday, observed Fri 12-24.
    # Fri 2027-12-10 + 14 = Fri 12-24 -> Sat 25 -> Sun 26 -> Mon 12-27.
    (date(2027, 12, 10), 14, None, AFTER, False, date(2027, 12, 27)),
    # New Year's Day 2028 (a Saturday) observed Fri 2027-12-31: Fri 2027-12-17 + 14 = Fri 12-31
    # -> Sat 2028-01-01 -> Sun 01-02 -> Mon 2028-01-03.
    (date(2027, 12, 17), 14, None, AFTER, False, date(2028, 1, 3)),
    # Presidential closure: national day of mourning Thu 2025-01-09.
    # Thu 2024-12-26 + 14 = Thu 2025-01-09 (closed) -> Fri 01-10.
    (date(2024, 12, 26), 14, None, AFTER, False, date(2025, 1, 10)),
    # Presidential closure Tue 2024-12-24, then Christmas Wed 12-25:
    # Tue 2024-12-10 + 14 = Tue 12-24 -> Wed 25 -> Thu 12-26.
    (date(2024, 12, 10), 14, None, AFTER, False, date(2024, 12, 26)),
    # California's Cesar Chavez Day: Tue 2026-03-10 + 21 = Tue 03-31 (state holiday) -> Wed 04-01.
    (date(2026, 3, 10), 21, None, AFTER, False, date(2026, 4, 1)),
    # Cesar Chavez Day on a Sunday moves to Monday: Sun 2024-03-31, observed Mon 04-01.
    # Mon 2024-03-18 + 14 = Mon 04-01 (observed) -> Tue 04-02.
    (date(2024, 3, 18), 14, None, AFTER, False, date(2024, 4, 2)),
    # Day after Thanksgiving counted forward: Fri 2026-11-06 + 21 = Fri 11-27 (state holiday)
    # -> Sat 28 -> Sun 29 -> Mon 11-30.
    (date(2026, 11, 6), 21, None, AFTER, False, date(2026, 11, 30)),
    # ... and not backward: 14 days before a hearing on Fri 2026-12-11 is Fri 11-27; state
    # holidays do not count backward (6(a)(6)(C)), so 11-27 stands.
    (date(2026, 12, 11), 14, None, BEFORE, False, date(2026, 11, 27)),
    # Backward from a hearing: Mon 2026-10-26 - 14 = Mon 10-12 (Columbus Day) -> back to
    # Sun 11 -> Sat 10 -> Fri 10-09.
    (date(2026, 10, 26), 14, None, BEFORE, False, date(2026, 10, 9)),
    # Backward onto a weekend: Wed 2026-10-21 - 10 = Sun 10-11 -> Sat 10 -> Fri 10-09.
    (date(2026, 10, 21), 10, None, BEFORE, False, date(2026, 10, 9)),
    # Mail, the example: Tue 2026-03-03 + 21 = Tue 03-24; + 3 = Fri 03-27.
    (date(2026, 3, 3), 21, MAIL, AFTER, False, date(2026, 3, 27)),
    # 6(d) landing on a weekend: Wed 2026-03-04 + 21 = Wed 03-25; + 3 = Sat 03-28 -> Mon 03-30.
    (date(2026, 3, 4), 21, MAIL, AFTER, False, date(2026, 3, 30)),
    # 6(d) landing on a holiday: Fri 2026-05-01 + 21 = Fri 05-22; + 3 = Mon 05-25 (Memorial
    # Day) -> Tue 05-26.
    (date(2026, 5, 1), 21, MAIL, AFTER, False, date(2026, 5, 26)),
    # 6(d) after the period "would otherwise expire": Sat 2026-03-07 + 21 = Sat 03-28 -> Mon
    # 03-30 under 6(a); + 3 = Thu 04-02 (adding 24 days at once would give Tue 03-31 instead).
    (date(2026, 3, 7), 21, MAIL, AFTER, False, date(2026, 4, 2)),
    # Electronic service adds nothing: Wed 2026-03-04 + 21 = Wed 03-25.
    (date(2026, 3, 4), 21, EFILE, AFTER, False, date(2026, 3, 25)),
    # Leaving with the clerk adds 3: Mon 2025-06-02 + 14 = Mon 06-16; + 3 = Thu 06-19
    # (Juneteenth) -> Fri 06-20.
    (date(2025, 6, 2), 14, CLERK, AFTER, False, date(2025, 6, 20)),
    # Other consented means, the same: Mon 2025-06-02 + 14 + 3 -> Fri 2025-06-20.
    (date(2025, 6, 2), 14, OTHER, AFTER, False, date(2025, 6, 20)),
    # Entry of judgment, served by mail, adds nothing: Mon 2026-06-01 + 28 = Mon 06-29.
    (date(2026, 6, 1), 28, MAIL, AFTER, True, date(2026, 6, 29)),
    # Service backward adds nothing: Mon 2026-06-29 - 14 = Mon 06-15.
    (date(2026, 6, 29), 14, MAIL, BEFORE, False, date(2026, 6, 15)),
]


@pytest.mark.parametrize(("trigger", "days", "service", "counting", "judgment", "expected"), ROWS)
def test_frcp_counts(trigger, days, service, counting, judgment, expected) -> None:
    deadline = compute(trigger, days, service, counting, "E.D. Cal.", judgment)
    assert deadline.due == expected
    assert deadline.steps[-1].date == expected  # the last step states the due date


# (trigger, days, service, from_judgment, expected) — Fed. R. App. P. 26, E.D. Cal. (9th Cir.).
FRAP_ROWS = [
    # Notice of appeal, 30 days after entry: Wed 2026-06-03 + 30 = Fri 07-03 (Independence
    # Day observed) -> Sat 4 -> Sun 5 -> Mon 07-06.
    (date(2026, 6, 3), 30, None, True, date(2026, 7, 6)),
    # 26(c): served by mail adds 3: Tue 2026-03-03 + 14 = Tue 03-17; + 3 = Fri 03-20.
    (date(2026, 3, 3), 14, MAIL, False, date(2026, 3, 20)),
    # Delivered by hand on the date served: nothing added, Tue 2026-03-17.
    (date(2026, 3, 3), 14, HAND, False, date(2026, 3, 17)),
    # Electronic: nothing added.
    (date(2026, 3, 3), 14, EFILE, False, date(2026, 3, 17)),
    # California's day after Thanksgiving also counts for appeals from E.D. Cal. (the 9th
    # Circuit clerk sits in California): Fri 2026-11-06 + 21 = Fri 11-27 -> Mon 11-30.
    (date(2026, 11, 6), 21, None, False, date(2026, 11, 30)),
]


@pytest.mark.parametrize(("trigger", "days", "service", "judgment", "expected"), FRAP_ROWS)
def test_frap_counts(trigger, days, service, judgment, expected) -> None:
    deadline = compute(trigger, days, service, AFTER, "E.D. Cal.", judgment, rules=RuleSet.FRAP)
    assert deadline.due == expected
    assert all(s.authority.startswith(("Fed. R. App. P.", GIVEN_PERIOD)) for s in deadline.steps)


def test_steps_cite_each_rule_and_holiday() -> None:
    # Thu 2024-11-07 + 21: Thanksgiving (federal, 6(a)(6)(A)), the day after (state, (C)).
    deadline = compute(date(2024, 11, 7), 21, HAND, AFTER, "E.D. Cal.", authority="L.R. X")
    authorities = [s.authority for s in deadline.steps]
    assert authorities == [
        "Fed. R. Civ. P. 6(a)(1)(A)",
        "L.R. X",
        "Fed. R. Civ. P. 6(a)(6)(A)",
        "Fed. R. Civ. P. 6(a)(6)(C)",
        "Fed. R. Civ. P. 6(a)(1)(C)",
    ]
    assert "Day after Thanksgiving" in deadline.steps[3].text
    assert "California state holidays" in deadline.holiday_list
    # Personal service adds no days, and the caveats say why and who controls.
    assert any("No days are added for service by hand" in c for c in deadline.caveats)
    assert any("order" in c and "controls" in c for c in deadline.caveats)
    assert any("Fed. R. Civ. P. 6(b)(1)(A)" in c for c in deadline.caveats)


def test_mail_step_cites_rule_6d_with_its_words() -> None:
    deadline = compute(date(2026, 3, 3), 21, MAIL, authority="E.D. Cal. L.R. 230(l)")
    step = deadline.steps[-1]
    assert (step.authority, step.date) == ("Fed. R. Civ. P. 6(d)", date(2026, 3, 27))
    assert step.quote == "3 days are added after the period would otherwise expire under Rule 6(a)"


def test_backward_count_says_state_holidays_are_not_used() -> None:
    deadline = compute(date(2026, 12, 11), 14, None, BEFORE)
    assert "no state holidays" in deadline.holiday_list


def test_court_without_a_state_list_counts_federal_days_and_says_so() -> None:
    # N.D. Fla.: no reviewed Florida list yet. Fri 2026-11-06 + 21 = Fri 11-27, a working day
    # federally, so it stands; the caveat warns that a state day could move it later.
    deadline = compute(date(2026, 11, 6), 21, None, AFTER, "N.D. Fla.")
    assert deadline.due == date(2026, 11, 27)
    assert any("No reviewed list of state holidays for FL" in c for c in deadline.caveats)


def test_no_court_counts_federal_days_only_and_says_so() -> None:
    # Cesar Chavez Day, a California holiday: Tue 2026-03-10 + 21 = Tue 03-31. Counted for
    # E.D. Cal. it moves to Wed 04-01; with no court, no state is assumed and 03-31 stands.
    california = compute(date(2026, 3, 10), 21, None, AFTER, "E.D. Cal.")
    unknown = compute(date(2026, 3, 10), 21, None, AFTER)
    assert (california.due, unknown.due) == (date(2026, 4, 1), date(2026, 3, 31))
    assert unknown.court is None and FEDERAL_HOLIDAYS_ONLY in unknown.caveats
    assert FEDERAL_HOLIDAYS_ONLY not in california.caveats
    # Counting backward never uses state holidays, so there is nothing to warn about.
    assert FEDERAL_HOLIDAYS_ONLY not in compute(date(2026, 12, 11), 14, None, BEFORE).caveats


@pytest.mark.parametrize("days", [0, -3, 4000, 2.5, True])
def test_bad_day_counts_are_refused(days) -> None:
    with pytest.raises(InputError, match="whole number"):
        compute(date(2026, 3, 3), days)


def test_unknown_court_is_refused_by_name() -> None:
    with pytest.raises(InputError, match=r"'D\. Mars' is not a court"):
        compute(date(2026, 3, 3), 21, court="D. Mars")


@pytest.mark.parametrize("name", ["E.D. Cal.", "e.d. cal", "Eastern District of California"])
def test_court_names(name) -> None:
    assert court_profile(name).name == "E.D. Cal."
