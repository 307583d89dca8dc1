"""Decisions, directives and consequences, sentence by sentence, in an order's own voice."""

from __future__ import annotations

import pytest

from bot.ingest.parse_order import OrderText
from bot.reader.extract import extract


def one(text: str):
    return extract(OrderText(text))


DIRECTIVES = [
    # (sentence, is a directive, actor)
    ("Defendants shall serve their initial disclosures on Plaintiff.", True, "defendant"),
    (
        "The Clerk of the Court is directed to send Plaintiff a blank civil rights complaint form.",
        True,
        "clerk",
    ),
    ("Plaintiff must sign every paper he files.", True, "plaintiff"),
    ("Papers mailed to the judge's chambers must be sent to the Clerk instead.", True, None),
    ("Plaintiff should not send his medical records to the court.", True, "plaintiff"),
    # The court's own duties and legal standards are not instructions to anyone in the case.
    ("The court must construe a pro se complaint liberally.", False, None),
    ("District courts may not compel counsel to take a civil case.", False, None),
    ("A party seeking a continuance must show good cause.", False, None),
    # A ruling is a decision, not a directive.
    ("The motion to strike shall be denied.", False, None),
    # Quoted words are the rule's, not the order's.
    ('Local Rule 230 says: "Opposition shall be filed within twenty-one days."', False, None),
    # What someone was told before is a report.
    (
        "Plaintiff was previously ordered to file a status report, and was advised that he "
        "must do so.",
        False,
        None,
    ),
    # A rule stated with its citation is the rule's obligation.
    (
        "Each interrogatory must be answered separately and fully in writing, "
        "Fed. R. Civ. P. 33(b)(3).",
        False,
        None,
    ),
    # "should" is advice unless said to a party by name.
    ("Exhibits should not be attached to discovery responses filed with the court.", False, None),
]


@pytest.mark.parametrize(("sentence", "directive", "actor"), DIRECTIVES)
def test_directive_or_not(sentence: str, directive: bool, actor: str | None):
    found = one(sentence).directives
    assert bool(found) is directive
    if directive:
        assert found[0].actor == actor


def test_a_permission_with_a_period_is_a_directive():
    (found,) = one(
        "Within fourteen days after service of this order, any party may file objections."
    ).directives
    assert found.period.days == 14 and found.period.trigger == "service of this order"


def test_a_permission_without_a_period_is_not():
    assert one("Plaintiff may file a reply if he wishes.").directives == ()


DECISIONS = [
    (
        "Accordingly, IT IS HEREBY ORDERED that Plaintiff's motion to compel is DENIED.",
        "denied",
        "Plaintiff's motion to compel",
    ),
    (
        "IT IS ORDERED that the request for an extension of time is GRANTED.",
        "granted",
        "the request for an extension of time",
    ),
    (
        "The court RECOMMENDS that this action be DISMISSED without prejudice.",
        "recommended: dismissed without prejudice",
        "this action",
    ),
]


@pytest.mark.parametrize(("sentence", "outcome", "what"), DECISIONS)
def test_decisions(sentence: str, outcome: str, what: str):
    (found,) = one(sentence).decided
    assert (found.outcome, found.what) == (outcome, what)


def test_the_caption_says_what_was_decided_when_no_sentence_does():
    text = (
        "UNITED STATES DISTRICT COURT ORDER DENYING MOTION FOR A SUBPOENA (ECF No. 9) "
        "The court has read the motion."
    )
    (found,) = one(text).decided
    assert found.outcome == "denied" and found.what == "motion for a subpoena"


CONSEQUENCES = [
    ("Failure to file an opposition will result in dismissal of this action.", True),
    ("Any letter sent to chambers will be stricken.", True),
    ("Failure to timely object may result in the waiver of the right to appeal.", True),
    # A rule's consequence as the rule provides it, not as this order imposes it.
    ("Local Rule 110 provides that failure to comply may result in sanctions.", False),
    ("Plaintiff was advised that failure to respond would result in dismissal.", False),
]


@pytest.mark.parametrize(("sentence", "consequence"), CONSEQUENCES)
def test_consequences(sentence: str, consequence: bool):
    assert bool(one(sentence).consequences) is consequence


def test_findings_and_recommendations_are_flagged():
    assert one(
        "FINDINGS AND RECOMMENDATIONS TO DISMISS. The action should end."
    ).findings_and_recommendations
    assert not one(
        "ORDER GRANTING EXTENSION. Plaintiff shall file by May 1, 2020."
    ).findings_and_recommendations


def test_headings_and_list_items_on_their_own_lines_are_separate_sentences():
    text = (
        "CONCLUSION\nIT IS ORDERED that:\n1. Plaintiff shall file a status report.\n"
        "2. The Clerk shall send a form."
    )
    found = one(text).directives
    assert [d.actor for d in found] == ["plaintiff", "clerk"]
