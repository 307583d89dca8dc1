"""Extractive composer: answers in the retrieved passages' own sentences, each cited."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from bot.citations import authority_ids, contains
from bot.scope import DISCLAIMER, NO_SUPPORT, abstain, caveats
from bot.types import Answer, Hit, Passage, Sentence, Source, Verdict

#: The best sentence must cover this share of the question's (IDF-weighted) content words. At 0.3
#: "Should I file my letter to defense counsel with the court?" keeps the Masterson sentences
#: (file + court + correspondence) while a recipe or a tax question over the same hits covers 0.
MIN_COVERAGE = 0.3
#: ...and match at least this many distinct content words (one when the question has only two,
#: as in "Can I get a lawyer appointed?"), unless it matches a rule number the question cites.
MIN_MATCHED = 2
#: A sentence decides a "yes"/"depends" only when it covers this much of the question. On
#: evals/dev.yaml over the corpus, 0.35 lets L.R. 182(f)/183(b) answer "Do I have to tell the
#: court when I get moved?" while no answer flips between yes and no (0.5 left 10 "yes" blank).
VERDICT_COVERAGE = 0.35
MAX_SENTENCES = 4
MAX_QUOTE_CHARS = 900

# Abbreviations that end in a period without ending the sentence (legal citations above all).
_ABBREVIATION_WORDS = (
    "u.s.c u.s fed r civ p crim evid no nos v vs e.g i.e cir f cal dist ct supp app inc corp co "
    "dept doc dckt ecf cnty sch grp med super mr ms mrs dr st sgt lt capt cf seq al art ch sec "
    "ann stat rev jan feb mar apr jun jul aug sep sept oct nov dec l.r r.civ"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
_BOUNDARY = re.compile(r"[.?!][\"'”’)\]]*\s+(?=[\"“'(\[]?[A-Z])")
_QUOTES = re.compile(r"[\"“”]")

_DECISION = re.compile(
    r"^\s*(?:(?:so|and|but|ok|okay|also|then|well)[,\s]+)?"
    r"(?:should|can|could|may|must|shall|do|does|did|is|am|are|will|would|have|has|need)\b",
    re.IGNORECASE,
)
_WH = re.compile(r"(?:what|how|when|where|why|which|who|whom|whose)\b", re.IGNORECASE)
_SUBJECT_MODAL = re.compile(
    r"\b(?:should|can|could|may|must|shall|do|does|am|will|would|need)\s+(?:i|we)\b"
    r"|\bis it (?:ok|okay|alright|allowed|legal|required)\b|\bam i allowed\b"
    r"|\bdo i (?:have|need|got) to\b",
    re.IGNORECASE,
)
_NEGATIVE = re.compile(
    r"\b(?:should|shall|must|may|can|will|need|does|do)\s+not\s+(?:have\s+been\s+|be\s+|ever\s+)?"
    r"(\w+)|\b(?:cannot|can't|shouldn't|mustn't|shan't)\s+(?:be\s+)?(\w+)|\bnot\s+to\s+(\w+)"
)
_CONDITIONAL = re.compile(
    r"\bonly\s+(?:for|if|when|upon|with|where|after)\b|\bunless\b|\bexceptional circumstances\b"
    r"|\bif any\b"
    r"|\bgood cause\b|\bprovided that\b|\bsubject to\b|\bmay\b[^.;]*\b(?:if|where|when)\b"
)
_AFFIRMATIVE = re.compile(
    r"\b(?:must|shall)\s+(?!not\b)(?:be\s+)?\w+|\b(?:is|are)\s+required\b"
    r"|\b(?:continuing\s+)?duty\s+to\b|\brequires?\b"
)
_ANTECEDENT = re.compile(r"(?:\(\w+\)\s*)?(?:if|unless|when|whenever|once)\b")
_STRICKEN = re.compile(
    r"\b(?:may|will|shall)\s+be\s+(?:stricken|struck|disregarded|rejected|returned unfiled)\b"
)
# "No award ... shall be based": a prohibition phrased through its subject.
_NO_SUBJECT = re.compile(
    r"(?:^(?:\(\w+\)\s*)?|[;:,]\s*)no\s+[\w’'() -]{1,80}?\b(?:shall|may|must|will)\b"
    r"|\bin no event shall\b"
)
_PERMISSIVE = re.compile(r"\bmay\s+(?!not\b)(?:be\s+)?\w+")

_STOPWORD_TEXT = (
    "a an the and or nor but if then than so as at by for from in into of on onto to with without "
    "about over under up out off i me my mine myself you your we our us he him his she her they "
    "them their it its this that these those there here what which who whom whose when where why "
    "how is am are was were be been being do does did done doing have has had having get got gets "
    "getting can could may might must shall should will would need not no yes ok okay please pls "
    "any all some such also just like want allowed able thing things anything something there "
    "rule rules"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# Words people use for the same procedural thing; each maps to one concept term.
_CONCEPTS = {
    "counsel": "lawyer attorney attorny lawer counsel advocate representation",
    "correspondence": "letter correspondence communication note",
    "discovery": "discovery discovry interrogatory admission production deposition disclosure",
    "file": "file submit send lodge",
    "court": "court judge clerk",
    "address": "address move relocate transfer parole",
    "notify": "tell notify advise inform apprise update",
    "modify": "modify change amend alter extend extension",
    "schedule": "schedule scheduling deadline",
    "oppose": "oppose opposition object objection respond",
    "settlement": "settle settlement negotiation",
    "appoint": "appoint appointment",
    "prisoner": "prisoner inmate incarcerate",
}


def _stem(word: str) -> str:
    """Crude suffix stripping so "file", "filed", "filing" and "files" meet."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


_CONCEPT_OF = {_stem(w): c for c, words in _CONCEPTS.items() for w in words.split()}


def terms(text: str, vocabulary: Sequence[str] = ()) -> list[str]:
    """Content terms of `text`: stems mapped to concepts; misspellings snapped to `vocabulary`."""
    found = []
    for word in re.findall(r"[a-z0-9]+", text.lower().replace("’", "'")):
        if word in _STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        stem = _stem(word)
        term = _CONCEPT_OF.get(stem, stem)
        if vocabulary and term not in vocabulary and len(term) >= 5 and not term.isdigit():
            close = difflib.get_close_matches(term, vocabulary, n=1, cutoff=0.82)
            term = close[0] if close else term
        found.append(term)
    return found


def concept_words(text: str) -> list[str]:
    """Canonical words for the everyday ones in `text` ("moved" -> "address", "lawyer" ->
    "counsel"), so a retriever also finds the passages that use the court's vocabulary."""
    found = []
    for word in re.findall(r"[a-z]+", text.lower()):
        concept = _CONCEPT_OF.get(_stem(word))
        if concept and concept != _stem(word) and concept not in found:
            found.append(concept)
    return found


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


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`; citations and quotations stay whole."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        stop = match.start() + 1
        segment = text[start:stop]
        token = segment.rsplit(None, 1)[-1].lstrip("(\"“'[").rstrip(".").lower()
        if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            continue
        inside_quote = len(_QUOTES.findall(text[start : match.end()])) % 2 == 1
        if inside_quote and match.end() - start < 800:
            continue
        end = len(text[: match.end()].rstrip())
        spans.append((start, end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def is_decision_question(question: str) -> bool:
    """Does the question ask for a yes/no decision ("Should I ...?", "Can I ...?")?

    Any clause may ask it ("My cellmate took my papers, can I get more time?"); markup and
    words in other languages before it do not hide it. Clauses starting "what"/"how" do not.
    """
    plain = re.sub(r"<[^>]*>|[*_`#>]", " ", question)
    for clause in re.split(r"[.?!;¿¡,]", plain):
        clause = clause.strip()
        if not clause or _WH.match(clause):
            continue
        if _DECISION.search(clause) or _SUBJECT_MODAL.search(clause):
            return True
    return False


def polarity(sentence: str, question_terms: frozenset[str]) -> Verdict | None:
    """What one sentence says about the action asked: NO, DEPENDS, YES, or nothing decisive."""
    lowered = sentence.lower()
    if _ANTECEDENT.match(lowered):
        return None  # "If a document is stapled ..., it will not be filed": a consequence
    if _STRICKEN.search(lowered):
        return Verdict.NO  # "documents mailed to a judge's chambers ... may be stricken"
    negated = False
    for match in _NEGATIVE.finditer(lowered):
        verb = next(g for g in match.groups() if g)
        if set(terms(verb)) & question_terms:
            return Verdict.NO
        negated = True
    if _CONDITIONAL.search(lowered):
        return Verdict.DEPENDS
    if negated or _NO_SUBJECT.search(lowered):
        return None  # forbids something other than what was asked ("may not require counsel")
    if _AFFIRMATIVE.search(lowered):
        return Verdict.YES
    if _PERMISSIVE.search(lowered):
        return Verdict.DEPENDS
    return None


def find_verdict(question: str, chosen: Iterable[Candidate]) -> Verdict | None:
    """The short answer the chosen sentences (best first) support, never the question alone.

    A "no" must forbid the very action asked (its verb); a "yes" or "depends" counts only from a
    sentence that matches the question strongly (VERDICT_COVERAGE) or comes from the rule the
    question names, so a directive about a neighbouring matter never becomes the short answer.
    """
    if not is_decision_question(question):
        return None
    question_terms = frozenset(terms(question))
    for cand in chosen:
        found = polarity(cand.text, question_terms)
        if found is Verdict.NO:  # already tied to the asked action by its verb
            return found
        if found and (cand.coverage >= VERDICT_COVERAGE or cand.cites_asked_rule):
            return found
    return None


def candidates(hits: Sequence[Hit]) -> list[Candidate]:
    """Every usable sentence of the hits: whole, not a caption, not a cut-off fragment."""
    found: list[Candidate] = []
    for hit in hits:
        text = hit.passage.text
        for start, end in split_sentences(text):
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


def _weights(pool: Sequence[Candidate]) -> dict[str, float]:
    counts: dict[str, int] = {}
    for cand in pool:
        for term in cand.terms:
            counts[term] = counts.get(term, 0) + 1
    n = len(pool)
    return {term: math.log(1 + n / count) for term, count in counts.items()}


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
    asked = authority_ids(question)
    on_asked_rule = {
        c.passage.passage_id: bool(asked) and about_rule(c.passage, asked) for c in pool
    }
    total = sum(weights.get(t, unknown) for t in question_terms) or 1.0
    needed = 1 if len(question_terms) <= 2 else MIN_MATCHED
    scored = []
    for cand in pool:
        shared = question_terms & cand.terms
        coverage = sum(weights[t] for t in shared) / total
        matched = len(shared)
        asked_rule = on_asked_rule[cand.passage.passage_id]
        if asked_rule:
            coverage, matched = coverage + 0.5, matched + MIN_MATCHED
        verdict = polarity(cand.text, frozenset(question_terms))
        # A directive about the very action asked answers the question even when it repeats
        # only common words ("should not have been filed with the court"); narrative does not.
        bonus = 0.0
        if verdict is Verdict.NO:
            bonus = 0.5
        elif verdict is not None:
            bonus = 0.15
        value = coverage + (bonus if matched else 0.0) + 0.05 / cand.rank
        scored.append(
            replace(
                cand,
                coverage=coverage,
                matched=matched,
                enough=matched >= needed,
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
