"""Properties of any Rule 6 count, over random triggers, periods and ways of service."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.deadlines.calendar import HolidayCalendar
from bot.deadlines.compute import compute
from bot.deadlines.model import Counting, RuleSet, Service

triggers = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))
periods = st.integers(min_value=1, max_value=120)
services = st.sampled_from([None, *Service])
countings = st.sampled_from(list(Counting))
rule_sets = st.sampled_from(list(RuleSet))
courts = st.sampled_from(["E.D. Cal.", "N.D. Fla."])
CALIFORNIA = HolidayCalendar(("CA",))


@settings(max_examples=300, deadline=None)
@given(triggers, periods, services, countings, rule_sets)
def test_due_date_is_never_a_weekend_or_a_listed_holiday(trigger, days, service, counting, rules):
    deadline = compute(trigger, days, service, counting, "E.D. Cal.", rules=rules)
    forward = counting is Counting.AFTER
    assert deadline.due.weekday() < 5
    assert CALIFORNIA.holiday(deadline.due, forward) is None
    # It lies on the side of the trigger the period runs to, at least `days` away.
    assert (deadline.due - trigger).days * (1 if forward else -1) >= days


@settings(max_examples=300, deadline=None)
@given(triggers, periods, st.sampled_from(list(Service)), rule_sets, courts)
def test_service_days_never_make_a_deadline_earlier(trigger, days, service, rules, court):
    served = compute(trigger, days, service, Counting.AFTER, court, rules=rules)
    unserved = compute(trigger, days, None, Counting.AFTER, court, rules=rules)
    assert served.due >= unserved.due


@settings(max_examples=300, deadline=None)
@given(triggers, st.integers(1, 40), periods, services, countings, courts)
def test_a_later_trigger_never_gives_an_earlier_due_date(
    trigger, shift, days, service, counting, court
):
    earlier = compute(trigger, days, service, counting, court)
    later = compute(trigger + timedelta(days=shift), days, service, counting, court)
    assert later.due >= earlier.due


@settings(max_examples=200, deadline=None)
@given(triggers, periods, services)
def test_each_step_date_moves_one_way(trigger, days, service):
    # Steps go forward in time after the trigger (holiday notes may repeat a date).
    deadline = compute(trigger, days, service, Counting.AFTER)
    dates = [s.date for s in deadline.steps]
    assert dates == sorted(dates)
