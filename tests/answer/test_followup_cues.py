"""Follow-ups: openers and pointers without an antecedent lean on the conversation."""

from __future__ import annotations

import pytest

from bot.answer.followup import is_followup, leans_on_context

CASES = [
    # (message, follows earlier turns, unclear without them)
    ("and if they don't answer?", True, True),  # opener
    ("what if he already mailed it?", True, True),  # third person, nobody named
    ("does his cellmate count as a witness?", True, True),  # possessive pointer
    # a longer message names its subject, whoever "he" is
    ("does he have to file his discovery requests with the court?", True, False),
    ("can we ask for more time?", True, False),  # "we": clear alone, a follow-up after turns
    ("is it too late to appeal?", True, False),  # dummy "it"
    ("my brother got a letter from the judge. should he answer it?", False, False),  # named
    ("the guard's lawyer sent him papers, what does he do now", False, False),  # "the guard"
    ("How many interrogatories can I serve?", False, False),
    ("¿y si no contestan?", True, True),  # Spanish opener
    ("¿Cuánto tiempo tiene él para contestar?", True, True),  # Spanish pointer
    ("Mi hijo recibió una carta, ¿él tiene que contestar?", False, False),  # Spanish antecedent
]


@pytest.mark.parametrize(("message", "follows", "unclear"), CASES, ids=[c[0] for c in CASES])
def test_followup_cues(message: str, follows: bool, unclear: bool) -> None:
    assert is_followup(message) is follows
    assert leans_on_context(message) is unclear


def test_a_long_message_with_a_pointer_states_its_own_topic() -> None:
    message = (
        "I filed a motion to compel discovery responses last month because the defendants "
        "never answered, and now they say it is late"
    )
    assert not is_followup(message)
