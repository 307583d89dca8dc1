"""Periods of days in order sentences: the number in words or digits and what it runs from."""

from __future__ import annotations

import pytest

from bot.reader.periods import number, periods

PERIODS = [
    # (sentence, days, trigger, findings-and-recommendations document)
    (
        "The parties shall meet within 21 days after service of this order.",
        21,
        "service of this order",
        False,
    ),
    (
        "Plaintiff shall reply within fourteen days of the date of this order.",
        14,
        "filing of this order",
        False,
    ),
    (
        "Plaintiff may amend no later than sixty (60) days from the date this order is entered.",
        60,
        "filing of this order",
        False,
    ),
    # Words and digits disagree: the digits in parentheses are the number the court meant.
    (
        "Plaintiff shall respond within twenty (21) days after service of this order.",
        21,
        "service of this order",
        False,
    ),
    (
        "An answer is due within twenty-eight days after service of the complaint.",
        28,
        "service of the complaint",
        False,
    ),
    # In findings and recommendations, "the findings and recommendations" are the document itself.
    (
        "Within ten days after being served with the findings and recommendations, "
        "objections may be filed.",
        10,
        "service of this order",
        True,
    ),
    # The same words in an ordinary order point at some other paper.
    (
        "Within ten days after being served with the findings and recommendations, "
        "objections may be filed.",
        10,
        "service of the findings and recommendations",
        False,
    ),
    (
        "Any response to the objections is due seven (7) days after service of the objections.",
        7,
        "service of the objections",
        False,
    ),
    # A period without a starting event: the date cannot be counted.
    ("Plaintiff is granted forty-five days to file an amended complaint.", 45, None, False),
]


@pytest.mark.parametrize(("sentence", "days", "trigger", "findings"), PERIODS)
def test_period_days_and_trigger(sentence: str, days: int, trigger: str | None, findings: bool):
    found = periods(sentence, findings_are_this_order=findings)
    assert [(p.days, p.trigger) for p in found] == [(days, trigger)]


def test_an_absolute_date_is_a_due_date_not_a_period():
    (found,) = periods("Dispositive motions shall be filed no later than March 3, 2025.")
    assert (found.days, found.due) == (None, "2025-03-03")


@pytest.mark.parametrize(
    ("words", "value"),
    [("30", 30), ("thirty", 30), ("Forty-Two", 42), ("sixty three", 63), ("many", None)],
)
def test_number_words(words: str, value: int | None):
    assert number(words) == value


def test_a_sentence_without_days_has_no_period():
    assert periods("Plaintiff shall keep the court informed of his current address.") == []
