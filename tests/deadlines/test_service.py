"""Event and given-period deadlines: the checks around the count, and the JSON shape."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.core.deadline_types import Service
from bot.core.errors import InputError
from bot.deadlines.service import days_deadline, event_book, event_deadline, parse_service
from bot.render import deadline_json


def test_opposition_by_mail_quotes_the_current_local_rule(rule_snapshot) -> None:
    status = event_book(rule_snapshot).get("opposition-prisoner")
    # Tue 2026-03-03 + 21 = Tue 03-24; + 3 for mail = Fri 03-27.
    deadline = event_deadline(status, date(2026, 3, 3), Service.MAIL)
    assert deadline.due == date(2026, 3, 27)
    period = deadline.steps[1]
    assert period.authority == "E.D. Cal. L.R. 230(l)"
    assert (
        period.quote == "not more than twenty-one (21) days after the date of service of the motion"
    )
    assert any("known only as quoted in orders" in c and "Warner" in c for c in deadline.caveats)


def test_json_has_exactly_the_documented_keys(rule_snapshot) -> None:
    status = event_book(rule_snapshot).get("interrogatories")
    data = deadline_json(event_deadline(status, date(2026, 3, 3), Service.ELECTRONIC))
    assert set(data) == {"event", "trigger_date", "service", "due", "steps", "authorities",
                         "caveats"}  # fmt: skip
    # Tue 2026-03-03 + 30 = Thu 04-02; electronic service adds nothing.
    assert (data["event"], data["service"], data["due"]) == ("interrogatories", "electronic",
                                                              "2026-04-02")  # fmt: skip
    assert set(data["steps"][0]) == {"text", "date", "authority", "quote"}
    assert data["authorities"][0] == "Fed. R. Civ. P. 33(b)(2)"
    json.dumps(data)


def test_a_served_event_needs_the_way_of_service(rule_snapshot) -> None:
    status = event_book(rule_snapshot).get("interrogatories")
    with pytest.raises(InputError, match="Say how the paper was served"):
        event_deadline(status, date(2026, 3, 3), None)


def test_a_local_rule_is_not_applied_to_another_court(rule_snapshot) -> None:
    status = event_book(rule_snapshot).get("opposition-prisoner")
    with pytest.raises(InputError, match=r"rule of the E\.D\. Cal\. court, not of N\.D\. Cal\."):
        event_deadline(status, date(2026, 3, 3), Service.MAIL, "N.D. Cal.")


def test_judgment_periods_add_no_days_for_mail(rule_snapshot) -> None:
    status = event_book(rule_snapshot).get("alter-judgment")
    # Mon 2026-06-01 + 28 = Mon 06-29, mail or not.
    deadline = event_deadline(status, date(2026, 6, 1), Service.MAIL)
    assert deadline.due == date(2026, 6, 29)
    assert any("runs from entry" in c for c in deadline.caveats)


def test_a_given_period_says_no_rule_states_it() -> None:
    # Tue 2026-03-03 + 30 = Thu 04-02; + 3 = Sun 04-05 -> Mon 04-06.
    deadline = days_deadline(30, "served", date(2026, 3, 3), Service.MAIL)
    assert deadline.due == date(2026, 4, 6)
    assert deadline.authorities[0] == "Fed. R. Civ. P. 6(a)(1)(A)"  # no invented authority
    assert "did not find it in a rule" in deadline.caveats[0]


@pytest.mark.parametrize("text", ["fax", "pigeon", "MAILED"])
def test_unknown_ways_of_service_are_refused(text) -> None:
    with pytest.raises(InputError, match="is not a way of service"):
        parse_service(text)
