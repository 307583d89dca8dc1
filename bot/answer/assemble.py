"""The answer stage: check and screen the question, retrieve, compose, and time it."""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.answer import extractive, followup
from bot.answer.guides import guide_answer, related_asks
from bot.answer.scope import abstain, screen
from bot.core.answer_types import Answer, Sentence, Turn
from bot.core.citations import authority_ids
from bot.core.courts import court_caveat
from bot.core.deadline_types import Deadline
from bot.core.errors import InputError
from bot.core.settings import Settings
from bot.core.types import DocKind, Hit

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from bot.answer.guides import GuideMatcher

#: Longer messages are refused, not truncated: cutting a question could change what it asks.
MAX_QUESTION_CHARS = 2000
#: Earlier user turns folded into a follow-up's retrieval query, most recent first.
MAX_FOLLOWUP_TURNS = 2
MAX_FOLLOWUP_CHARS = 600

Retrieve = Callable[[str, int], list[Hit]]
#: question -> (deadline or None, what is still needed): see bot.deadlines.questions.
DeadlineFor = Callable[[str], tuple[Deadline | None, tuple[str, ...]]]
#: question -> "drafting", "advice" or None, by meaning: see bot.answer.requests.
ScreenByMeaning = Callable[[str], str | None]

# A message that is nothing but a citation: "Rule 5", "L.R. 183(b)", "28 U.S.C. § 1915(e)(1)".
_CITATION_ONLY = re.compile(
    r"\s*(?:fed\.?\s*r\.?\s*civ\.?\s*p\.?|frcp|rule|local rule|e\.?\s?d\.?\s?cal\.?\s*l\.?\s?r\.?"
    r"|l\.?\s?r\.?|\d+\s*u\.?\s?s\.?\s?c\.?)\s*§*\s*\d+(?:\.\d+)?(?:\s*\([a-z0-9]+\))*\s*[.?]?\s*",
    re.IGNORECASE,
)


def check_question(question: str) -> str:
    """The question with surrounding space removed; InputError when it is empty or too long."""
    if not isinstance(question, str):
        raise InputError("The question must be text.")
    # Control characters (other than line breaks and tabs) carry no meaning in a question.
    text = "".join(
        c for c in question if c in "\n\t" or unicodedata.category(c) not in {"Cc", "Cf"}
    ).strip()
    if not text:
        raise InputError("The question is empty. Type a question about your federal civil case.")
    if len(text) > MAX_QUESTION_CHARS:
        raise InputError(
            f"The question is too long ({len(text):,} characters); the limit is "
            f"{MAX_QUESTION_CHARS:,} characters. Ask about one step at a time."
        )
    return text


def is_citation_only(question: str) -> bool:
    """Is the message only a rule or statute citation ("Rule 5", "L.R. 183(b)")?"""
    return bool(_CITATION_ONLY.fullmatch(question))


def is_followup(question: str) -> bool:
    """Does the question lean on an earlier one ("what about my interrogatories?")?"""
    return followup.is_followup(question)


def retrieval_query(question: str, history: Sequence[Turn] = ()) -> str:
    """The question, preceded by the last user turns when it is elliptical (bounded)."""
    if not history or not is_followup(question):
        return question
    earlier = [t.text.strip() for t in reversed(history) if t.role == "user" and t.text.strip()]
    context = " ".join(reversed(earlier[:MAX_FOLLOWUP_TURNS]))[-MAX_FOLLOWUP_CHARS:]
    return f"{context} {question}".strip() if context else question


def expanded(query: str) -> str:
    """The query plus the court's words for everyday ones ("moved" also searches "address")."""
    extra = [w for w in extractive.concept_words(query) if w not in query.lower()]
    return f"{query} ({' '.join(extra)})" if extra else query


NOT_IN_SOURCES = "not_in_sources"
#: Abstentions of the passage composers that mean "the sources do not answer it".
_UNANSWERED = {"no_support", NOT_IN_SOURCES}


def unindexed_authority(question: str, hits: Sequence[Hit]) -> bool:
    """Does the question name a rule or statute that none of the hits is or holds?

    Retrieval always brings the passages of an indexed authority the question cites, so
    "What does 28 U.S.C. § 1332 say?" over an index without that section finds none.
    """
    asked = authority_ids(question)
    return bool(asked) and not any(extractive.about_rule(h.passage, asked) for h in hits)


def unanswered(question: str, hits: Sequence[Hit]) -> bool:
    """Is the law the question asks about missing from what was retrieved?

    Only a named authority decides it. A threshold on how close in meaning the passages come was
    cross-validated (benchmarks/answer_cv.py) and earned nothing: of the 14 dev, holdout and
    blind questions that reach the passage path, the one whose law is not indexed came closer
    (0.51) than 8 of the 13 in scope, so every fold chose the bottom of the grid.
    """
    return unindexed_authority(question, hits)


def not_in_sources(question: str, topics: Sequence[str] = ()) -> Answer:
    """The honest decline when neither a guide nor the passages answer: one plain sentence."""
    covered = ", ".join(t.replace("-", " ") for t in dict.fromkeys(topics))
    what = (
        f"procbot covers procedure in federal civil cases, such as {covered}"
        if covered
        else "procbot covers procedure in federal civil cases from the court orders, rules and "
        "statutes it has indexed"
    )
    text = f"That is not in my sources, so I will not guess; {what}."
    answer = abstain(question, NOT_IN_SOURCES)
    return replace(answer, sentences=(Sentence(text),))


def _court_caveats(answer: Answer, home: str | None) -> tuple[str, ...]:
    """Orders from outside the person's district are persuasive only: the answer says so."""
    if home is None:
        return ()
    found = (
        court_caveat(s.passage.label, s.passage.court, home)
        for s in answer.sources
        if s.passage.kind is DocKind.ORDER
    )
    return tuple(dict.fromkeys(c for c in found if c))


def ask(
    question: str,
    retrieve: Retrieve,
    settings: Settings,
    history: Sequence[Turn] = (),
    chat_model: BaseChatModel | None = None,
    guides: GuideMatcher | None = None,
    deadline: DeadlineFor | None = None,
    requests: ScreenByMeaning | None = None,
) -> Answer:
    """Answer one question from a matched guide or from what `retrieve(query, k)` returns.

    `deadline(question)`, when given, counts the period a time question asks about: a
    Deadline, or what the question lacks (Answer.needs).

    `requests(question)`, when given, recognizes drafting and advice requests by meaning, for
    wordings the screen's patterns miss ("will my husband win?").

    Raises InputError for an empty or over-long question. Out-of-scope, advice, drafting and
    injection questions get a refusal; questions neither a guide nor the passages answer get
    "not in my sources".
    """
    started = time.perf_counter()
    text = check_question(question)
    reason = screen(text, history)
    if reason is None and requests is not None and not is_citation_only(text):
        reason = requests(text)
    if reason is not None:
        answer = abstain(text, reason)
        return replace(answer, latency_ms=(time.perf_counter() - started) * 1000)
    notes: tuple[str, ...] = ()
    if is_citation_only(text):
        query = composed = f"What does {text.rstrip('.?').strip()} say?"
        notes = ("The message was only a citation; answered as what that rule says.",)
        cited = text.rstrip(".?")
        tip = (
            f"For the full text, look the rule up by number: procbot rule {cited!r} "
            f"or /rule {cited}."
        )
    else:
        query = retrieval_query(text, history)
        composed, tip = query, None
    match = guides.match(query) if guides is not None and tip is None else None
    use_llm = chat_model is not None or settings.composer == "llm"
    if match is not None and guides is not None and not use_llm:
        answer = guide_answer(text, match, guides.passages, guides.by_id)
    else:
        hits = retrieve(expanded(query), settings.k)
        if match is None and unanswered(composed, hits):
            answer = not_in_sources(text, guides.topics if guides is not None else ())
        elif use_llm:
            # Imported here: the extractive default must not pay LangChain's import at start.
            from bot.answer import llm as compose_llm

            model = chat_model if chat_model is not None else compose_llm.make_chat_model(settings)
            name = settings.llm or type(model).__name__
            answer = compose_llm.compose(
                composed,
                hits,
                model,
                settings.llm_timeout_s,
                name,
                guide=match,
                known=guides.passages if guides is not None else None,
            )
        else:
            answer = extractive.compose(composed, hits)
        if answer.abstained and answer.abstain_reason in _UNANSWERED:
            answer = not_in_sources(text, guides.topics if guides is not None else ())
        elif match is not None and guides is not None and answer.guide_id:
            answer = replace(answer, related=related_asks(match, guides.by_id))
    counted, needs = deadline(text) if deadline else (None, ())
    caveats = (*answer.caveats, *_court_caveats(answer, settings.court))
    return replace(
        answer,
        question=text,
        deadline=counted,
        needs=needs,
        latency_ms=(time.perf_counter() - started) * 1000,
        caveats=(*caveats, tip) if tip and not answer.abstained else caveats,
        notes=(*notes, *answer.notes),
    )
