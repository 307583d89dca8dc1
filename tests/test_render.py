"""Rendering: plain text and JSON for answers, hits and rule matches."""

from __future__ import annotations

import json

import pytest
from samples import GRADFORD_LABEL, MASTERSON_LABEL, PASSAGES, hits

from bot import render
from bot.answer import extractive, scope
from bot.core.answer_types import Answer, Sentence, Source, Verdict
from bot.core.types import RuleMatch

FOUNDING = "Should I file my letter to defense counsel with the court?"


def founding_answer() -> Answer:
    return extractive.compose(FOUNDING, hits("masterson", "gradford"))


def test_answer_text_layout() -> None:
    text = render.answer_text(founding_answer())
    blocks = text.split("\n\n")
    assert blocks[0] == "**No.**"
    assert "should not have been filed with the court. [1]" in blocks[1]
    assert blocks[2].startswith(f"Sources:\n[1] {MASTERSON_LABEL}")
    assert blocks[-1] == scope.DISCLAIMER


def test_answer_text_shows_pinpoint_url_and_caveats() -> None:
    answer = extractive.compose("can i send my discovry to the judge", hits("gradford"))
    text = render.answer_text(answer)
    assert f"[1] {GRADFORD_LABEL}, at 2:1-6 <https://docs.justia.com/" in text
    assert "Caveats:\n- " + GRADFORD_LABEL + " is known here only as an excerpt" in text


@pytest.mark.parametrize(
    ("verdict", "line"),
    [(Verdict.YES, "**Yes.**"), (Verdict.NO, "**No.**"), (Verdict.DEPENDS, "**It depends.**")],
)
def test_short_answer_lines(verdict: Verdict, line: str) -> None:
    answer = founding_answer()
    assert render.short_answer(Answer(**{**answer.__dict__, "verdict": verdict})) == line


def test_no_short_answer_line_without_a_verdict() -> None:
    answer = extractive.compose("What happens if I don't oppose a motion?", hits("lr-230l"))
    assert answer.verdict is None
    assert not render.answer_text(answer).startswith("**")


def test_answer_json_shape() -> None:
    data = render.answer_json(founding_answer())
    assert set(data) == {
        "question",
        "verdict",
        "abstained",
        "answer_text",
        "sentences",
        "sources",
        "caveats",
        "disclaimer",
        "composer",
        "abstain_reason",
        "guide_id",
        "related",
        "latency_ms",
        "deadline",
        "needs",
    }
    assert data["deadline"] is None and data["needs"] == []
    assert data["verdict"] == "no" and data["abstained"] is False
    assert data["sentences"][0]["citations"] == [1]
    assert data["sources"][0] == {
        "n": 1,
        "doc_id": "masterson-v-killen-2014-11-24",
        "label": MASTERSON_LABEL,
        "pinpoint": None,
        "authorities": ["E.D. Cal. L.R. 250.2", "E.D. Cal. L.R. 250.3", "E.D. Cal. L.R. 250.4"],
        "url": None,
    }
    json.dumps(data)  # serializable


def test_abstention_json() -> None:
    data = render.answer_json(scope.abstain("Will I win?", "advice"))
    assert data["abstained"] is True and data["verdict"] is None and data["sources"] == []
    assert data["sentences"][0]["citations"] == []


def test_markup_and_format_characters_never_break_rendering() -> None:
    nasty = "<script>alert('x')</script> **bold** _under_ {0} {name} %s \\ `code`"
    answer = Answer(
        question=nasty,
        verdict=Verdict.DEPENDS,
        abstained=False,
        sentences=(Sentence(nasty, (1,)),),
        sources=(Source(1, PASSAGES["frcp-16b4"], nasty),),
        disclaimer=scope.DISCLAIMER,
        composer="extractive",
    )
    text = render.answer_text(answer)
    assert nasty + " [1]" in text
    assert render.answer_json(answer)["question"] == nasty
    assert json.loads(json.dumps(render.answer_json(answer)))["sentences"][0]["text"] == nasty


def test_hits_json_and_text() -> None:
    found = hits("gradford", "frcp-5d1A")
    data = render.hits_json(found)
    assert [d["rank"] for d in data] == [1, 2]
    assert data[0]["pinpoint"] == "2:1-6" and data[0]["text"] == PASSAGES["gradford"].text
    assert data[1]["authorities"] == ["Fed. R. Civ. P. 5(d)(1)(A)", "Fed. R. Civ. P. 26(a)(1)"]
    text = render.hits_text(found)
    assert text.startswith(f"1. {GRADFORD_LABEL}, at 2:1-6  (score 1.000)")
    assert " ..." in text  # long passages are cut for the terminal
    assert render.hits_text([]) == "No passages matched."


# L.R. 183(b) as quoted in Bays v. Calhoun, and its earlier 2006 wording (rules/edcal-local-rules-
# quoted.md)
MATCHES = [
    RuleMatch(
        authority="E.D. Cal. L.R. 183(b)",
        label="E.D. Cal. L.R. 183(b)",
        text=PASSAGES["lr-183b"].text,
        doc_id="edcal-local-rules-quoted",
        heading="Address changes of parties appearing in propria persona",
        provenance=PASSAGES["lr-183b"].provenance,
    ),
    RuleMatch(
        authority="E.D. Cal. L.R. 183(b)",
        label="E.D. Cal. L.R. 183(b) (earlier version)",
        text=PASSAGES["lr-183b-2006"].text,
        doc_id="edcal-local-rules-quoted",
        version="earlier version (L.R. 83-183(b), 2006)",
        provenance=PASSAGES["lr-183b-2006"].provenance,
    ),
]


def test_rule_matches_json_and_text() -> None:
    data = render.rule_matches_json("L.R. 183(b)", MATCHES)
    assert data["query"] == "L.R. 183(b)"
    assert data["matches"][1] == {
        "authority": "E.D. Cal. L.R. 183(b)",
        "label": "E.D. Cal. L.R. 183(b) (earlier version)",
        "text": PASSAGES["lr-183b-2006"].text,
        "doc_id": "edcal-local-rules-quoted",
        "version": "earlier version (L.R. 83-183(b), 2006)",
        "other_versions": [],  # quoted wordings are not versions of a book
        "provenance": PASSAGES["lr-183b-2006"].provenance,
    }
    text = render.rule_matches_text(MATCHES)
    assert text.startswith("E.D. Cal. L.R. 183(b) — Address changes of parties")
    assert "Quoted in: Cauton v. USA" in text
