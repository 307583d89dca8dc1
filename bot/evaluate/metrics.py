"""Deterministic scores over per-question result records: retrieval hits, verdicts, citations."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.core.answer_types import Answer, Source
from bot.core.cite_parse import contains
from bot.core.errors import InputError
from bot.core.types import Hit
from bot.evaluate.questions import ABSTAIN, NOT_IN_SOURCES, Question
from bot.render import SHORT_ANSWERS

#: Confusion-matrix classes: the verdicts, a refusal, a "not in my sources" decline, and "none"
#: (answered without a verdict).
CLASSES = ("yes", "no", "depends", ABSTAIN, NOT_IN_SOURCES, "none")
#: Short answers that commit to one side; "depends" does not.
FIRM = ("yes", "no")


@dataclass(frozen=True)
class Retrieved:
    """What scoring needs of one retrieved passage."""

    passage_id: str
    doc_id: str
    authorities: tuple[str, ...] = ()


@dataclass(frozen=True)
class RetrievalResult:
    """One retriever's ranked passages for one question."""

    qid: str
    retriever: str
    passages: tuple[Retrieved, ...]
    latency_ms: float = 0.0


@dataclass(frozen=True)
class Citation:
    """One entry of an answer's source list, checked against what the composer was given."""

    passage_id: str
    doc_id: str
    authorities: tuple[str, ...]
    quote: str
    retrieved: bool  # the passage was among the hits handed to the composer
    quote_verbatim: bool  # the quote occurs in that passage's text

    @property
    def fabricated(self) -> bool:
        return not (self.retrieved and self.quote_verbatim)


@dataclass(frozen=True)
class AnswerResult:
    """The composer's answer to one question, reduced to what is scored."""

    qid: str
    verdict: str | None  # "yes" | "no" | "depends" | None
    abstained: bool
    citations: tuple[Citation, ...] = ()
    latency_ms: float = 0.0
    text: str = ""
    abstain_reason: str | None = None

    @property
    def predicted(self) -> str:
        if self.abstained:
            return NOT_IN_SOURCES if self.abstain_reason == NOT_IN_SOURCES else ABSTAIN
        return self.verdict or "none"


def verdict_correct(question: Question, answer: AnswerResult) -> bool:
    """The answer's class is the expected one; a question that must be refused is met by any
    refusal, whatever its reason, but "not in my sources" is met only by that decline."""
    if question.expects_abstain:
        return answer.abstained
    return answer.predicted == question.verdict


def wrong_firm_verdict(question: Question, answer: AnswerResult) -> bool:
    """A firm Yes/No where the documents decide the question otherwise (yes, no or depends)."""
    return (
        question.verdict in ("yes", "no", "depends")
        and answer.predicted in FIRM
        and answer.predicted != question.verdict
    )


def nugget_hits(question: Question, text: str) -> tuple[bool, ...]:
    """One flag per expected fact: some alternative regex matches the answer's plain text."""
    return tuple(
        any(re.search(pattern, text, re.IGNORECASE) for pattern in fact)
        for fact in question.nuggets
    )


@dataclass(frozen=True)
class RetrievalMetrics:
    retriever: str
    k: int
    authority_hit: float | None
    source_hit: float | None
    mrr: float | None
    latency_p50_ms: float | None
    latency_p95_ms: float | None


@dataclass(frozen=True)
class AnswerMetrics:
    verdict_accuracy: float | None
    confusion: dict[str, dict[str, int]]  # expected -> predicted -> count
    abstention_precision: float | None
    abstention_recall: float | None
    wrongly_abstained_rate: float | None  # in-scope questions the composer refused
    authority_citation_recall: float | None
    source_citation_recall: float | None
    citation_precision: float | None
    fabricated_citations: int
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    counts: dict[str, int] = field(default_factory=dict)
    nugget_recall: float | None = None  # facts stated / facts expected, over questions with nuggets
    not_in_sources_declined: int = 0  # "not in my sources" questions declined for that reason
    not_in_sources_declined_rate: float | None = None
    wrong_firm_verdicts: int = 0  # firm Yes/No where the expected verdict differs


# -- matching -------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _inside(outer: str, inner: str) -> bool:
    # Curves rescore the same pairs for every k and retriever; parsing once keeps that cheap.
    try:
        return contains(outer, inner)
    except InputError:
        return False  # an id the grammar cannot read meets nothing


def authority_met(expected: Sequence[str], found: Sequence[str]) -> bool:
    """True when some found authority equals an expected one or lies inside it."""
    return any(e == f or _inside(e, f) for e in expected for f in found)


def passage_meets(question: Question, passage: Retrieved | Citation) -> bool:
    """The passage carries an expected authority or comes from an expected source."""
    return authority_met(question.authorities, passage.authorities) or (
        passage.doc_id in question.sources
    )


def retrieved_from(hit: Hit) -> Retrieved:
    p = hit.passage
    return Retrieved(p.passage_id, p.doc_id, p.authorities)


def _spaced(text: str) -> str:
    # Whitespace differs between a passage and a quote joined across lines; words may not.
    return re.sub(r"\s+", " ", text).strip()


def citation_from(source: Source, hits: Sequence[Hit]) -> Citation:
    """Check one answer source against the hits the composer received (by passage id)."""
    given = {hit.passage.passage_id: hit.passage for hit in hits}
    passage = given.get(source.passage.passage_id)
    text = passage.text if passage is not None else ""
    quote = _spaced(source.quote)
    return Citation(
        passage_id=source.passage.passage_id,
        doc_id=source.passage.doc_id,
        authorities=source.passage.authorities,
        quote=source.quote,
        retrieved=passage is not None,
        quote_verbatim=bool(quote) and quote in _spaced(text),
    )


def answer_plain_text(answer: Answer) -> str:
    """What the person reads as the answer: the short answer, then the sentences (guide points
    reach the Answer as its sentences). Source quotes are evidence, not the answer, and so left out.
    """
    head = [SHORT_ANSWERS[answer.verdict]] if answer.verdict is not None else []
    return " ".join([*head, *(sentence.text for sentence in answer.sentences)])


def answer_result(qid: str, answer: Answer, hits: Sequence[Hit], latency_ms: float) -> AnswerResult:
    text = answer_plain_text(answer)
    return AnswerResult(
        qid=qid,
        verdict=answer.verdict.value if answer.verdict is not None else None,
        abstained=answer.abstained,
        citations=tuple(citation_from(source, hits) for source in answer.sources),
        latency_ms=latency_ms,
        text=text,
        abstain_reason=answer.abstain_reason,
    )


# -- numbers --------------------------------------------------------------------------------


def ratio(hits: int, total: int) -> float | None:
    """hits/total, or None when nothing was eligible (shown as n/a, never as 0)."""
    return hits / total if total else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100), as numpy's default method."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# -- retrieval ------------------------------------------------------------------------------


def _by_qid(results: Sequence[RetrievalResult], retriever: str) -> dict[str, RetrievalResult]:
    return {r.qid: r for r in results if r.retriever == retriever}


def authority_hit_at(
    questions: Sequence[Question], results: Mapping[str, RetrievalResult], k: int
) -> float | None:
    """Share of questions listing authorities whose top k hold a passage carrying one of them."""
    eligible = [q for q in questions if q.authorities and q.id in results]
    met = sum(
        any(authority_met(q.authorities, p.authorities) for p in results[q.id].passages[:k])
        for q in eligible
    )
    return ratio(met, len(eligible))


def source_hit_at(
    questions: Sequence[Question], results: Mapping[str, RetrievalResult], k: int
) -> float | None:
    """Share of questions listing sources whose top k hold a passage from one of them."""
    eligible = [q for q in questions if q.sources and q.id in results]
    met = sum(any(p.doc_id in q.sources for p in results[q.id].passages[:k]) for q in eligible)
    return ratio(met, len(eligible))


def mean_reciprocal_rank(
    questions: Sequence[Question], results: Mapping[str, RetrievalResult], k: int
) -> float | None:
    """MRR@k: 1/rank of the first passage meeting an expected authority or source, else 0."""
    eligible = [q for q in questions if (q.authorities or q.sources) and q.id in results]
    total = 0.0
    for q in eligible:
        for rank, passage in enumerate(results[q.id].passages[:k], start=1):
            if passage_meets(q, passage):
                total += 1 / rank
                break
    return total / len(eligible) if eligible else None


def retrieval_metrics(
    questions: Sequence[Question], results: Sequence[RetrievalResult], retriever: str, k: int
) -> RetrievalMetrics:
    mine = _by_qid(results, retriever)
    latencies = [r.latency_ms for r in mine.values()]
    return RetrievalMetrics(
        retriever=retriever,
        k=k,
        authority_hit=authority_hit_at(questions, mine, k),
        source_hit=source_hit_at(questions, mine, k),
        mrr=mean_reciprocal_rank(questions, mine, k),
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
    )


def hit_curve(
    questions: Sequence[Question], results: Sequence[RetrievalResult], retriever: str, kmax: int
) -> dict[str, list[float | None]]:
    """authority and source hit@k for k = 1..kmax, for the hit@k chart."""
    mine = _by_qid(results, retriever)
    ks = range(1, kmax + 1)
    return {
        "authority": [authority_hit_at(questions, mine, k) for k in ks],
        "source": [source_hit_at(questions, mine, k) for k in ks],
    }


# -- answers --------------------------------------------------------------------------------


def confusion_matrix(
    questions: Sequence[Question], answers: Mapping[str, AnswerResult]
) -> dict[str, dict[str, int]]:
    """expected -> predicted -> count, over questions with an expected verdict (or abstain)."""
    matrix = {e: dict.fromkeys(CLASSES, 0) for e in CLASSES if e != "none"}
    for q in questions:
        if q.verdict is not None and q.id in answers:
            matrix[q.verdict][answers[q.id].predicted] += 1
    return matrix


def answer_metrics(questions: Sequence[Question], answers: Sequence[AnswerResult]) -> AnswerMetrics:
    by_qid = {a.qid: a for a in answers}
    asked = [q for q in questions if q.id in by_qid]

    decided = [q for q in asked if q.verdict is not None]
    correct = sum(verdict_correct(q, by_qid[q.id]) for q in decided)

    # Refusal precision and recall are about the must-refuse label: a "not in my sources"
    # question is in scope, so declining it is neither a right nor a wrong refusal.
    abstained = [q for q in asked if by_qid[q.id].abstained and not q.expects_not_in_sources]
    expected_abstain = [q for q in asked if q.expects_abstain]
    in_scope = [q for q in asked if q.in_scope]
    not_in_sources = [q for q in asked if q.expects_not_in_sources]
    declined = sum(by_qid[q.id].predicted == NOT_IN_SOURCES for q in not_in_sources)

    with_nuggets = [q for q in in_scope if q.nuggets]
    stated = sum(sum(nugget_hits(q, by_qid[q.id].text)) for q in with_nuggets)
    facts = sum(len(q.nuggets) for q in with_nuggets)

    with_authorities = [q for q in in_scope if q.authorities]
    cites_authority = sum(
        any(authority_met(q.authorities, c.authorities) for c in by_qid[q.id].citations)
        for q in with_authorities
    )
    with_sources = [q for q in in_scope if q.sources]
    cites_source = sum(
        any(c.doc_id in q.sources for c in by_qid[q.id].citations) for q in with_sources
    )

    # Precision is judged only where the question says what a right source looks like.
    judged = [
        (q, c) for q in in_scope if q.authorities or q.sources for c in by_qid[q.id].citations
    ]
    precise = sum(passage_meets(q, c) for q, c in judged)

    latencies = [by_qid[q.id].latency_ms for q in asked]
    return AnswerMetrics(
        verdict_accuracy=ratio(correct, len(decided)),
        confusion=confusion_matrix(asked, by_qid),
        abstention_precision=ratio(sum(q.expects_abstain for q in abstained), len(abstained)),
        abstention_recall=ratio(
            sum(by_qid[q.id].abstained for q in expected_abstain), len(expected_abstain)
        ),
        wrongly_abstained_rate=ratio(sum(by_qid[q.id].abstained for q in in_scope), len(in_scope)),
        authority_citation_recall=ratio(cites_authority, len(with_authorities)),
        source_citation_recall=ratio(cites_source, len(with_sources)),
        citation_precision=ratio(precise, len(judged)),
        fabricated_citations=sum(c.fabricated for a in by_qid.values() for c in a.citations),
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
        nugget_recall=ratio(stated, facts),
        not_in_sources_declined=declined,
        not_in_sources_declined_rate=ratio(declined, len(not_in_sources)),
        wrong_firm_verdicts=sum(wrong_firm_verdict(q, by_qid[q.id]) for q in decided),
        counts={
            "questions": len(asked),
            "with_verdict": len(decided),
            "expected_abstain": len(expected_abstain),
            "abstained": len(abstained),
            "in_scope": len(in_scope),
            "not_in_sources": len(not_in_sources),
            "with_nuggets": len(with_nuggets),
            "nugget_facts": facts,
            "nuggets_stated": stated,
            "citations": sum(len(a.citations) for a in by_qid.values()),
        },
    )


@dataclass(frozen=True)
class EvalRun:
    """Everything one evaluation produced: records, metrics and the files written."""

    question_files: tuple[str, ...]
    questions: tuple[Question, ...]
    k: int
    retrievers: tuple[str, ...]
    composer: str
    retrieval: tuple[RetrievalResult, ...]
    answers: tuple[AnswerResult, ...]
    retrieval_scores: dict[str, RetrievalMetrics]
    answer_scores: AnswerMetrics
    metrics: dict[str, Any]  # what metrics.json holds
    index_dir: str
    warnings: tuple[str, ...] = ()
    files: tuple[Path, ...] = ()
