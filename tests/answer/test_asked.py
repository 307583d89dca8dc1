"""Reading a question: whether it asks for a decision, its circumstances and whose act it asks."""

from __future__ import annotations

import pytest

from bot.answer.asked import is_decision_question, read_question


@pytest.mark.parametrize(
    ("question", "decision"),
    [
        ("Should I file my letter to defense counsel with the court?", True),
        (
            "My cellmate took my legal papers, can I get an extension of the discovery deadline?",
            True,
        ),
        ("What is a motion to compel?", False),
        # said to procbot: the embedded question decides ("how" asks none, "if I" asks one)
        ("Can you tell me how to make a request for production?", False),
        ("Can you tell me what to do with my motion?", False),
        ("Can you tell me if I have to file my interrogatories?", True),
    ],
)
def test_is_decision_question(question: str, decision: bool) -> None:
    assert is_decision_question(question) is decision


@pytest.mark.parametrize(
    ("question", "given", "by_asker", "copular"),
    [
        (
            "Can the judge dismiss his case for not following the local rules?",
            {"comply", "local"},
            False,
            False,
        ),
        ("Do I have to pay witness fees even though I'm IFP?", {"forma", "pauperi"}, True, False),
        ("Is lack of legal education enough to get appointed counsel?", set(), False, True),
        ("Can I be stopped from suing?", set(), False, False),
    ],
)
def test_read_question(question: str, given: set[str], by_asker: bool, copular: bool) -> None:
    asked = read_question(question)
    assert asked.given == frozenset(given)
    assert asked.by_asker is by_asker
    assert asked.copular is copular
