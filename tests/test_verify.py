"""Verifier: citations checked against retrieved passages, sentences against cited text."""

from __future__ import annotations

import pytest
from test_compose_extractive import PASSAGES

from bot import verify
from bot.types import Sentence, Verdict

QUESTION = "Should I file my letter to defense counsel with the court?"
# 1 = Masterson ruling paragraph, 2 = Fed. R. Civ. P. 5(d)(1)(A), 3 = L.R. 183(b) as quoted
RETRIEVED = [PASSAGES["masterson"], PASSAGES["frcp-5d1A"], PASSAGES["lr-183b"]]


@pytest.mark.parametrize(
    ("sentence", "kept"),
    [
        # paraphrase of Masterson that keeps its words: supported
        (
            Sentence(
                "Correspondence between the parties during discovery should not be filed with "
                "the court unless it is at issue.",
                (1,),
            ),
            True,
        ),
        # cites a passage number that was never retrieved
        (Sentence("Letters to defense counsel should not be filed with the court.", (7,)), False),
        # no citation at all
        (Sentence("Letters to defense counsel should not be filed with the court.", ()), False),
        # cites L.R. 183(b), which says nothing about filing letters
        (
            Sentence(
                "Correspondence between the parties during discovery should not be filed with "
                "the court unless it is at issue.",
                (3,),
            ),
            False,
        ),
        # invented deadline and sanction, cited to Masterson
        (
            Sentence(
                "Letters filed with the court will be struck within ten days and the plaintiff "
                "fined fifty dollars.",
                (1,),
            ),
            False,
        ),
        # a quotation that Masterson does not contain, around otherwise supported words
        (
            Sentence(
                'Correspondence "must never be filed with the court under any circumstances" '
                "during discovery between the parties.",
                (1,),
            ),
            False,
        ),
        # a quotation that FRCP 5(d)(1)(A) does contain (curly quotes and spacing differ)
        (
            Sentence(
                "Discovery requests and responses “must not be filed until they are used in the "
                "proceeding  or the court orders filing.”",
                (2,),
            ),
            True,
        ),
    ],
)
def test_each_sentence_is_checked(sentence: Sentence, kept: bool) -> None:
    result = verify.verify(QUESTION, [sentence], Verdict.NO, RETRIEVED)
    assert (len(result.sentences) == 1) is kept
    if not kept:
        assert result.dropped


def test_unknown_citation_is_dropped_but_valid_one_kept() -> None:
    sentence = Sentence(
        "Plaintiff's request to meet and confer should not have been filed with the court.", (1, 9)
    )
    result = verify.verify(QUESTION, [sentence], Verdict.NO, RETRIEVED)
    assert result.sentences == (Sentence(sentence.text, (1,)),)
    assert any("[9]" in reason for reason in result.dropped)


def test_verdict_must_agree_with_the_sources() -> None:
    sentence = Sentence(
        "Plaintiff's request to meet and confer should not have been filed with the court.", (1,)
    )
    agreed = verify.verify(QUESTION, [sentence], Verdict.NO, RETRIEVED)
    assert agreed.verdict is Verdict.NO and not any("verdict" in d for d in agreed.dropped)
    contradicted = verify.verify(QUESTION, [sentence], Verdict.YES, RETRIEVED)
    assert contradicted.verdict is Verdict.NO
    assert any("verdict yes replaced" in d for d in contradicted.dropped)


def test_no_verdict_for_a_question_that_asks_for_none() -> None:
    sentence = Sentence(
        "Plaintiff's request to meet and confer should not have been filed with the court.", (1,)
    )
    result = verify.verify(
        "What did the court say about letters?", [sentence], Verdict.NO, RETRIEVED
    )
    assert result.verdict is None


def test_support_scores() -> None:
    masterson = PASSAGES["masterson"].text
    assert verify.support("Settlement negotiations are confidential.", [masterson]) == 1.0
    assert verify.support("Sanctions of fifty dollars per day.", [masterson]) == 0.0
    assert verify.support("", [masterson]) == 0.0
