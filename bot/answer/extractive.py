"""Extractive composer: answers in the retrieved passages' own sentences, each cited."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.answer.asked import is_decision_question, main_clause, read_question
from bot.answer.scope import DISCLAIMER, NO_SUPPORT, abstain, caveats
from bot.answer.verdict import find_verdict, polarity, prohibits_act
from bot.answer.wording import CONCEPTS, GENERIC, concept_words, terms
from bot.core.answer_types import Answer, Sentence, Source, Verdict
from bot.core.citations import authority_ids
from bot.core.cite_parse import contains
from bot.core.text import split_sentences
from bot.core.types import Hit, Passage

__all__ = [
    "compose",
    "concept_words",
    "find_verdict",
    "is_decision_question",
    "polarity",
    "terms",
]

#: The best sentence must cover this share of the question's (IDF-weighted) content words, and
#: share a key term (key_terms). With generic words weighted down, 0.25 keeps "¿Puedo mandar mi
#: discovery al juez? can i send my discovery to the judge" (0.27: discovery + file) while a
#: recipe or a tax question over the same hits covers 0.
MIN_COVERAGE = 0.25
#: ...and match at least this many distinct content words (one when the question has only two,
#: as in "Can I get a lawyer appointed?"), unless it matches a rule number the question cites.
MIN_MATCHED = 2
#: Words every passage of a prisoner's case shares ("court", "motion", "prison") count this much
#: of their rarity: matching them alone says nothing about what the question asks.
GENERIC_WEIGHT = 0.3
MAX_SENTENCES = 4
MAX_QUOTE_CHARS = 900


def about_rule(passage: Passage, asked: Sequence[str]) -> bool:
    """Is the passage the rule the question names, part of it, or the rule containing it?

    A passage that only mentions a rule counts when the mention lies inside the asked one:
    a sentence citing "Rule 16" says nothing in particular about Rule 16(b)(4).
    """
    own = passage.authority
    if own and any(contains(a, own) or contains(own, a) for a in asked):
        return True
    return any(contains(a, m) for a in asked for m in passage.mentions)


@dataclass(frozen=True)
class Candidate:
    """One sentence of a retrieved passage, scored against the question."""

    text: str  # verbatim slice of passage.text
    start: int
    end: int
    passage: Passage
    rank: int
    terms: frozenset[str]
    coverage: float = 0.0
    matched: int = 0
    enough: bool = False  # matched enough of the question's words to be used at all
    cites_asked_rule: bool = False  # from the rule or statute the question names
    score: float = 0.0


def candidates(hits: Sequence[Hit]) -> list[Candidate]:
    """Every usable sentence of the hits: whole, not a caption, not a cut-off fragment."""
    found: list[Candidate] = []
    for hit in hits:
        text = hit.passage.text
        for start, end in _quotable_spans(hit.passage):
            sentence = text[start:end]
            words = sentence.split()
            letters = [c for c in sentence if c.isalpha()]
            if len(words) < 6 or not letters or sentence[0].islower():
                continue
            if sum(c.isupper() for c in letters) > 0.5 * len(letters):
                continue  # captions and headings
            if sentence.startswith("Docket text:"):
                continue  # the clerk's entry for this one case, not what the court explains
            if not sentence.rstrip("\"'”’)]").endswith((".", "?", "!", ":")):
                continue  # cut off where an excerpt or a chunk ends
            found.append(
                Candidate(sentence, start, end, hit.passage, hit.rank, frozenset(terms(sentence)))
            )
    return found


def _quotable_spans(passage: Passage) -> list[tuple[int, int]]:
    """The passage's body sentences, as their roles were decided at index time (captions,
    headings, docket text, history, footnotes, signatures, lead-ins and fragments are never
    quoted); a passage indexed without roles is split here."""
    if passage.sentences:
        return [(s.start, s.end) for s in passage.sentences if s.quotable]
    return split_sentences(passage.text)


def _weights(pool: Sequence[Candidate]) -> dict[str, float]:
    counts: dict[str, int] = {}
    for cand in pool:
        for term in cand.terms:
            counts[term] = counts.get(term, 0) + 1
    n = len(pool)
    return {
        term: math.log(1 + n / count) * (GENERIC_WEIGHT if term in GENERIC else 1.0)
        for term, count in counts.items()
    }


def key_terms(question: str, vocabulary: Sequence[str]) -> frozenset[str]:
    """What the question is about: its act and the act's object, without generic words.

    "What is the deadline to oppose a motion if I am in prison?" is about opposing; a sentence
    about prison or motion deadlines does not answer it. Falls back to the whole question's
    specific words when its main clause has none, and to every word when it has none at all.
    Filler words no source uses ("guaranteed") are not the key; a concept no retrieved sentence
    names ("oppose") is, so that the answer abstains rather than answer something else.
    """
    known = set(vocabulary) | CONCEPTS
    for text in (main_clause(question), question):
        key = frozenset(terms(text, vocabulary=vocabulary)) - GENERIC
        if key & known:
            return key & known
    return frozenset(terms(question, vocabulary=vocabulary)) - GENERIC


def score(question: str, pool: Sequence[Candidate]) -> list[Candidate]:
    """The pool scored (best first): weighted question-word coverage, directives, authority."""
    if not pool:
        return []
    weights = _weights(pool)
    # Words no retrieved sentence has (other languages, typos, off-topic words) count against
    # coverage, at half the weight of the rarest retrieved word so a few of them do not sink it.
    unknown = 0.5 * math.log(1 + len(pool))
    vocabulary = list(weights)
    question_terms = set(terms(question, vocabulary=vocabulary))
    key = key_terms(question, vocabulary)
    asked_question = replace(read_question(question), terms=frozenset(question_terms))
    asked = authority_ids(question)
    on_asked_rule = {
        c.passage.passage_id: bool(asked) and about_rule(c.passage, asked) for c in pool
    }
    total = sum(weights.get(t, unknown) for t in question_terms) or 1.0
    needed = 1 if len(question_terms) <= 2 else MIN_MATCHED
    scored = []
    for cand in pool:
        shared = question_terms & cand.terms
        forbids = prohibits_act(cand.text, asked_question)
        if forbids and asked_question.act in question_terms:
            # "should not be filed" meets "send" too: it tells where the letters do not go
            shared = shared | {asked_question.act}
        coverage = sum(weights.get(t, unknown) for t in shared) / total
        matched = len(shared)
        asked_rule = on_asked_rule[cand.passage.passage_id]
        if asked_rule:
            coverage, matched = coverage + 0.5, matched + MIN_MATCHED
        verdict = polarity(cand.text, asked_question)
        # A directive about the very action asked answers the question even when it repeats
        # only common words ("should not have been filed with the court"); narrative does not.
        # Forbidding the asked act done to another thing ("request to meet and confer" for a
        # letter) is as much on point, though only a match of the thing too decides "no".
        bonus = 0.0
        if verdict is Verdict.NO or forbids:
            bonus = 0.5
        elif verdict is not None:
            bonus = 0.15
        value = coverage + (bonus if matched else 0.0) + 0.05 / cand.rank
        scored.append(
            replace(
                cand,
                coverage=coverage,
                matched=matched,
                enough=matched >= needed and bool(shared & key or asked_rule),
                cites_asked_rule=asked_rule,
                score=value,
            )
        )
    return sorted(scored, key=lambda c: (-c.score, c.rank, c.start))


def supported(ranked: Sequence[Candidate]) -> bool:
    """Is some sentence strong enough to answer from? (Else abstain: no_support.)"""
    return any(c.coverage >= MIN_COVERAGE and c.enough for c in ranked)


def select(ranked: Sequence[Candidate]) -> list[Candidate]:
    """2-4 sentences that answer the question, no two saying the same thing."""
    if not ranked or not supported(ranked):
        return []
    floor = 0.4 * ranked[0].score
    chosen: list[Candidate] = []
    for cand in ranked:
        if len(chosen) == MAX_SENTENCES:
            break
        if cand.score < floor or cand.coverage < MIN_COVERAGE / 2 or not cand.enough:
            continue
        if any(_similar(cand, other) for other in chosen):
            continue
        chosen.append(cand)
    return chosen


def _similar(a: Candidate, b: Candidate) -> bool:
    if a.text == b.text:
        return True
    union = a.terms | b.terms
    return bool(union) and len(a.terms & b.terms) / len(union) > 0.6


def cite(chosen: Sequence[Candidate]) -> tuple[tuple[Sentence, ...], tuple[Source, ...]]:
    """Number one source per passage (first use first) and cite each sentence with it."""
    numbers: dict[str, int] = {}
    spans: dict[str, list[Candidate]] = {}
    for cand in chosen:
        key = cand.passage.passage_id
        numbers.setdefault(key, len(numbers) + 1)
        spans.setdefault(key, []).append(cand)
    sources = []
    for key, n in numbers.items():
        group = spans[key]
        text = group[0].passage.text
        start, end = min(c.start for c in group), max(c.end for c in group)
        quote = text[start:end] if end - start <= MAX_QUOTE_CHARS else group[0].text
        sources.append(Source(n, group[0].passage, quote))
    sentences = tuple(Sentence(c.text, (numbers[c.passage.passage_id],)) for c in chosen)
    return sentences, tuple(sources)


def compose(question: str, hits: Sequence[Hit]) -> Answer:
    """The answer built from the hits' own sentences; abstains ("no_support") when none fit."""
    ranked = score(question, candidates(hits))
    chosen = select(ranked)
    if not chosen:
        return abstain(question, NO_SUPPORT)
    sentences, sources = cite(chosen)
    return Answer(
        question=question,
        verdict=find_verdict(question, chosen),
        abstained=False,
        sentences=sentences,
        sources=sources,
        disclaimer=DISCLAIMER,
        composer="extractive",
        caveats=caveats(s.passage for s in sources),
    )
