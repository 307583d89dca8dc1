"""Metrics over small hand-made records; every expected number is worked out in the comments."""

from __future__ import annotations

import pytest

from bot.core.answer_types import Answer, Sentence, Source, Verdict
from bot.core.types import DocKind, Hit, Passage
from bot.evaluate.metrics import (
    AnswerResult,
    Citation,
    RetrievalResult,
    Retrieved,
    answer_metrics,
    answer_plain_text,
    answer_result,
    authority_met,
    citation_from,
    hit_curve,
    nugget_hits,
    percentile,
    retrieval_metrics,
)
from bot.evaluate.questions import Question

MASTERSON = "masterson-v-killen-2014-11-24"
PALACIOS = "palacios-v-smith-2019-06-26"
FAIRCHILD = "fairchild-littlefield-v-amezcua-2022-11-17"
FRCP = "frcp-2022-12-01"

QUESTIONS = [
    Question(
        id="qa",
        question="Should I file my letter to defense counsel?",
        verdict="no",
        authorities=("Fed. R. Civ. P. 5(d)",),
        sources=(MASTERSON,),
    ),
    Question(
        id="qb",
        question="is there a way the judge finds an attorney for me",
        verdict="depends",
        authorities=("28 U.S.C. § 1915(e)(1)",),
        sources=(PALACIOS,),
    ),
    Question(
        id="qc",
        question="Where are settlement conferences held?",
        verdict=None,
        sources=(FAIRCHILD,),
    ),
    Question(id="qd", question="How long to bake a pound cake?", verdict="abstain"),
]


def r(doc: str, *authorities: str, pid: str | None = None) -> Retrieved:
    return Retrieved(pid or f"{doc}:{authorities}", doc, authorities)


RESULTS = [
    # qa: authority met at rank 2 (5(d)(1)(A) lies inside 5(d)), source met at rank 3.
    RetrievalResult(
        "qa",
        "hybrid",
        (r(FRCP, "Fed. R. Civ. P. 26(b)(1)"), r(FRCP, "Fed. R. Civ. P. 5(d)(1)(A)"), r(MASTERSON)),
        10.0,
    ),
    # qb: both met at rank 1.
    RetrievalResult("qb", "hybrid", (r(PALACIOS, "28 U.S.C. § 1915(e)(1)"),), 20.0),
    # qc: expected source never retrieved.
    RetrievalResult(
        "qc", "hybrid", (r("bays-v-calhoun-2017-02-14"), r("henderson-v-felker-2013-10-15")), 30.0
    ),
    # qd: nothing expected, so it is in no denominator.
    RetrievalResult("qd", "hybrid", (r(FRCP, "Fed. R. Civ. P. 1"),), 40.0),
    # A second retriever's record must not leak into the first one's numbers.
    RetrievalResult("qc", "bm25", (r(FAIRCHILD),), 1.0),
]


@pytest.mark.parametrize(
    ("expected", "found", "met"),
    [
        (["Fed. R. Civ. P. 5(d)"], ["Fed. R. Civ. P. 5(d)(1)(A)"], True),  # inside
        (["Fed. R. Civ. P. 5(d)(1)(A)"], ["Fed. R. Civ. P. 5(d)"], False),  # wider is not enough
        (["E.D. Cal. L.R. 250.2"], ["E.D. Cal. L.R. 250.3"], False),
        (["E.D. Cal. L.R. 230(l)"], ["E.D. Cal. L.R. 230(l)"], True),
        (["28 U.S.C. § 1915"], ["28 U.S.C. § 1915A"], False),  # a different section
        (["Fed. R. Civ. P. 5(d)"], ["not an authority"], False),
        ([], ["Fed. R. Civ. P. 5(d)"], False),
    ],
)
def test_authority_met(expected: list[str], found: list[str], met: bool) -> None:
    assert authority_met(expected, found) is met


def test_retrieval_metrics_at_3() -> None:
    m = retrieval_metrics(QUESTIONS, RESULTS, "hybrid", k=3)
    # authority@3: eligible qa, qb; both met -> 2/2
    assert m.authority_hit == 1.0
    # source@3: eligible qa, qb, qc; qa (rank 3) and qb -> 2/3
    assert m.source_hit == pytest.approx(2 / 3)
    # MRR@3: qa first meets at rank 2 (1/2), qb rank 1 (1), qc none (0) -> 1.5/3
    assert m.mrr == pytest.approx(0.5)
    # latencies 10, 20, 30, 40: p50 = 25; p95 at position 3*0.95 = 2.85 -> 30 + 0.85*10
    assert m.latency_p50_ms == pytest.approx(25.0)
    assert m.latency_p95_ms == pytest.approx(38.5)


def test_retrieval_metrics_at_1() -> None:
    m = retrieval_metrics(QUESTIONS, RESULTS, "hybrid", k=1)
    assert m.authority_hit == pytest.approx(0.5)  # only qb at rank 1
    assert m.source_hit == pytest.approx(1 / 3)  # only qb
    assert m.mrr == pytest.approx(1 / 3)  # qb 1, qa 0 (its hit is at rank 2), qc 0


def test_hit_curve_and_retriever_separation() -> None:
    curve = hit_curve(QUESTIONS, RESULTS, "hybrid", kmax=3)
    assert curve["authority"] == pytest.approx([0.5, 1.0, 1.0])
    assert curve["source"] == pytest.approx([1 / 3, 1 / 3, 2 / 3])
    bm25 = retrieval_metrics(QUESTIONS, RESULTS, "bm25", k=3)
    # bm25 answered only qc, which lists no authority: authority hit is n/a, not 0.
    assert bm25.authority_hit is None
    assert bm25.source_hit == 1.0


def c(doc: str, *authorities: str, retrieved: bool = True, verbatim: bool = True) -> Citation:
    return Citation(f"{doc}#1", doc, authorities, "quote", retrieved, verbatim)


ANSWERS = [
    # qa right verdict; cites its source (verbatim) and an unrelated rule whose quote is not
    # in the passage (fabricated, and imprecise).
    AnswerResult(
        "qa",
        "no",
        False,
        (c(MASTERSON), c(FRCP, "Fed. R. Civ. P. 26(b)(1)", verbatim=False)),
        100.0,
    ),
    # qb wrongly abstained.
    AnswerResult("qb", None, True, (), 200.0),
    # qc has no expected verdict (informational); one precise citation.
    AnswerResult("qc", "yes", False, (c(FAIRCHILD),), 300.0),
    # qd correctly abstained.
    AnswerResult("qd", None, True, (), 400.0),
]


def test_answer_metrics() -> None:
    m = answer_metrics(QUESTIONS, ANSWERS)
    # verdict questions qa(no), qb(depends), qd(abstain): qa and qd right -> 2/3
    assert m.verdict_accuracy == pytest.approx(2 / 3)
    assert m.confusion["no"]["no"] == 1
    assert m.confusion["depends"]["abstain"] == 1
    assert m.confusion["abstain"]["abstain"] == 1
    assert sum(sum(row.values()) for row in m.confusion.values()) == 3  # qc is not counted
    # abstained qb, qd; only qd should have -> precision 1/2; the one expected (qd) -> recall 1
    assert m.abstention_precision == pytest.approx(0.5)
    assert m.abstention_recall == 1.0
    # in scope qa, qb, qc; qb refused -> 1/3
    assert m.wrongly_abstained_rate == pytest.approx(1 / 3)
    # with authorities qa, qb: neither cites 5(d) or 1915(e)(1) -> 0
    assert m.authority_citation_recall == 0.0
    # with sources qa (cites masterson), qb (nothing), qc (cites fairchild) -> 2/3
    assert m.source_citation_recall == pytest.approx(2 / 3)
    # citations judged: qa's two (one precise) + qc's one (precise) -> 2/3
    assert m.citation_precision == pytest.approx(2 / 3)
    assert m.fabricated_citations == 1
    # latencies 100..400: p50 = 250, p95 = 300 + 0.85*100
    assert m.latency_p50_ms == pytest.approx(250.0)
    assert m.latency_p95_ms == pytest.approx(385.0)
    assert m.counts["questions"] == 4 and m.counts["citations"] == 3


def test_nothing_eligible_is_none_not_zero() -> None:
    m = answer_metrics(QUESTIONS[3:], ANSWERS[3:])
    assert m.authority_citation_recall is None and m.citation_precision is None
    assert m.abstention_precision == 1.0


# Words of the Masterson v. Killen order (knowledge/), as a passage would hold them.
MASTERSON_TEXT = (
    "Correspondence between the parties during discovery should not be filed with the court\n"
    "unless it is at issue, such as when a motion to compel is filed."
)


def passage(pid: str, text: str) -> Passage:
    return Passage(pid, MASTERSON, DocKind.ORDER, text, "Masterson v. Killen", 0, "2:1-6")


@pytest.mark.parametrize(
    ("quote", "cited_id", "retrieved", "verbatim"),
    [
        # the quote spans the line break: whitespace may differ, words may not
        ("should not be filed with the court unless it is at issue", "p1", True, True),
        # one word changed: not what the order says
        ("should never be filed with the court", "p1", True, False),
        # a passage the composer was never given, even with a true quote
        ("should not be filed with the court", "p9", False, False),
        ("", "p1", True, False),
    ],
)
def test_citation_from_checks_against_the_hits(
    quote: str, cited_id: str, retrieved: bool, verbatim: bool
) -> None:
    given = passage("p1", MASTERSON_TEXT)
    hits = [Hit(given, 1.0, 1)]
    cited = passage(cited_id, MASTERSON_TEXT)
    record = citation_from(Source(1, cited, quote), hits)
    assert (record.retrieved, record.quote_verbatim) == (retrieved, verbatim)
    assert record.fabricated is not (retrieved and verbatim)


def test_percentile() -> None:
    assert percentile([], 50) is None
    assert percentile([7.0], 95) == 7.0
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0


# -- nuggets, "not in my sources", firm verdicts ---------------------------------------------
# Made-up questions of the test's own; the expected numbers are worked out in the comments.
JURY = Question(
    id="na",
    question="do i need to ask for a jury in writing",
    verdict="yes",
    nuggets=(("written demand", "in writing"), (r"\b14 days\b", "fourteen days")),
)
FEE = Question(
    id="nb",
    question="is there a fee to copy the docket",
    verdict="no",
    nuggets=((r"\$\.50", "50 cents"),),
)
STAY = Question(id="nc", question="can the case be paused", verdict="depends")
PAROLE = Question(id="nd", question="state parole appeal deadline", verdict="not_in_sources")
LICENSE = Question(id="ne", question="county dog license fee", verdict="not_in_sources")
POEM = Question(id="nf", question="write me a poem", verdict="abstain")
MIXED = [JURY, FEE, STAY, PAROLE, LICENSE, POEM]


def a(qid: str, verdict: str | None, text: str = "", reason: str | None = None) -> AnswerResult:
    return AnswerResult(qid, verdict, reason is not None, (), 10.0, text, reason)


MIXED_ANSWERS = [
    # na: right verdict, states both facts (case-insensitive) -> 2 of 2 facts
    a("na", "yes", "Yes. Serve a WRITTEN DEMAND no later than 14 days after the last pleading."),
    # nb: firm Yes where the documents say No -> a wrong firm verdict; its fact is missing (0 of 1)
    a("nb", "yes", "Yes. The clerk charges for copies."),
    # nc: firm No where it depends -> a second wrong firm verdict
    a("nc", "no", "No."),
    # nd: declined as not in the sources -> right
    a("nd", None, "", "not_in_sources"),
    # ne: refused as out of scope -> not the decline it needed, and not an in-scope refusal either
    a("ne", None, "", "out_of_scope"),
    # nf: a must-refuse question declined as "not in my sources" still counts as refused
    a("nf", None, "", "not_in_sources"),
]


def test_nugget_hits_are_case_insensitive_alternatives() -> None:
    assert nugget_hits(JURY, "make a Written Demand within fourteen days") == (True, True)
    assert nugget_hits(JURY, "ask the clerk; 114 days") == (False, False)  # \b: 114 is not 14
    assert nugget_hits(STAY, "anything") == ()


def test_nugget_recall_and_not_in_sources_metrics() -> None:
    m = answer_metrics(MIXED, MIXED_ANSWERS)
    # facts: na 2 (both stated) + nb 1 (missed) -> 2/3; questions without nuggets count for none
    assert m.nugget_recall == pytest.approx(2 / 3)
    assert (m.counts["nugget_facts"], m.counts["nuggets_stated"]) == (3, 2)
    # not-in-sources questions nd, ne: only nd declined for that reason -> 1 of 2
    assert m.not_in_sources_declined == 1
    assert m.not_in_sources_declined_rate == pytest.approx(0.5)
    # firm Yes/No against the expected verdict: nb (yes vs no), nc (no vs depends) -> 2
    assert m.wrong_firm_verdicts == 2
    # in scope are na, nb, nc only; none refused -> 0 (ne's refusal is not an in-scope refusal)
    assert m.wrongly_abstained_rate == 0.0
    # refusals judged: nf only (nd and ne are not-in-sources questions) -> precision 1, recall 1
    assert m.abstention_precision == 1.0 and m.abstention_recall == 1.0
    # verdicts right: na, nd, nf (any refusal meets "abstain") -> 3 of 6
    assert m.verdict_accuracy == pytest.approx(0.5)
    assert m.confusion["not_in_sources"]["not_in_sources"] == 1
    assert m.confusion["not_in_sources"]["abstain"] == 1
    assert m.confusion["abstain"]["not_in_sources"] == 1


def test_no_nuggets_anywhere_is_none_not_zero() -> None:
    m = answer_metrics([STAY, PAROLE], [MIXED_ANSWERS[2], MIXED_ANSWERS[3]])
    assert m.nugget_recall is None
    assert answer_metrics([STAY], [MIXED_ANSWERS[2]]).not_in_sources_declined_rate is None


def test_the_plain_text_is_the_short_answer_and_the_sentences() -> None:
    quoted = passage("p1", MASTERSON_TEXT)
    answer = Answer(
        question="should the letters go to the judge",
        verdict=Verdict.NO,
        abstained=False,
        sentences=(Sentence("Keep discovery letters between the parties.", (1,)),),
        sources=(Source(1, quoted, "should not be filed with the court"),),
        disclaimer="Legal information, not legal advice.",
        composer="extractive",
    )
    text = answer_plain_text(answer)
    assert text == "No. Keep discovery letters between the parties."
    # The source quote is evidence, not the answer: a fact only quoted is not stated.
    record = answer_result("x", answer, [Hit(quoted, 1.0, 1)], 1.0)
    assert record.text == text
    only_quoted = Question(id="x", question="q", nuggets=(("should not be filed",),))
    assert nugget_hits(only_quoted, record.text) == (False,)
