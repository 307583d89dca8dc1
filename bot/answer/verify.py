"""Verifier: keeps a drafted sentence only when a passage it cites supports it on its own."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.answer import extractive
from bot.answer.wording import terms
from bot.core.answer_types import Sentence, Verdict
from bot.core.citations import find_mentions
from bot.core.cite_parse import parse_authority
from bot.core.errors import InputError
from bot.core.facts import (
    CASE,
    MARKER,
    WORD_RUN,
    blank,
    case_names,
    names_case,
    numbers,
    without_authorities,
)
from bot.core.types import Authority, Hit, Passage

#: Share of a sentence's content words that one cited passage must hold. Paraphrase keeps most
#: nouns and verbs of its source (correspondence, discovery, confer), while an invented rule
#: brings words the passage lacks (sanctions, fees). Words every court text shares ("court",
#: "party", "day") and numbers are left out: they made invented deadlines look supported, and
#: numbers, rules and cases are checked exactly instead.
MIN_SUPPORT = 0.7
# Words every passage of a prisoner's case shares, read through `terms` so that concept mapping
# ("judge" -> "court") stays the one the support test uses.
_SHARED_WORDS = (
    "court judge clerk party plaintiff defendant order case motion day time law federal civil "
    "claim document paper prisoner"
)
SHARED = frozenset(terms(_SHARED_WORDS))
#: Citations kept per sentence; a draft citing every passage borrows authority it does not need.
MAX_CITATIONS = 3

_QUOTED = re.compile(r"[\"“]([^\"“”]{3,})[\"”]")
_SPACE = re.compile(r"\s+")
__all__ = ["case_names", "numbers", "verify"]


@dataclass(frozen=True)
class Verified:
    """What survives verification; citations still number the passages as the draft did."""

    sentences: tuple[Sentence, ...]
    verdict: Verdict | None
    dropped: tuple[str, ...] = ()  # one reason per dropped citation or sentence, no text


def _plain(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return _SPACE.sub(" ", text).strip().lower()


def content_words(text: str) -> set[str]:
    """The words support is measured on: no generic court words, numbers, citations or case
    names, all of which are checked exactly rather than counted."""
    text = MARKER.sub(" ", text)
    spans = [(m.start, m.end) for m in find_mentions(text)]
    spans += [m.span() for m in CASE.finditer(text)]
    spans += [m.span() for m in WORD_RUN.finditer(text)]
    words = terms(blank(text, spans))
    return {t for t in words if t not in SHARED and not t.isdigit()}


def support(sentence: str, cited: Sequence[str]) -> float:
    """Share of the sentence's content words found in the cited texts (0.0 when it has none)."""
    words = content_words(sentence)
    if not words:
        return 0.0
    available: set[str] = set()
    for text in cited:
        available.update(terms(text))
    return len(words & available) / len(words)


def quotes_verbatim(sentence: str, cited: Sequence[str]) -> bool:
    """Every quotation in the sentence appears word for word in one of the cited passages."""
    haystacks = [_plain(text) for text in cited]
    for match in _QUOTED.finditer(sentence):
        quoted = _plain(match.group(1)).strip(" .,;:")
        if quoted and not any(quoted in hay for hay in haystacks):
            return False
    return True


@lru_cache(maxsize=4096)
def _authority(authority_id: str) -> Authority | None:
    try:
        return parse_authority(authority_id)
    except InputError:
        return None  # an id the grammar cannot read names nothing a sentence can lean on


def carries(passage: Passage, named: Authority) -> bool:
    """Does the passage carry the authority a sentence names?

    Naming a rule broader than one the passage is or mentions is fine ("Rule 5(d)" for the text
    of 5(d)(1)(A)). A narrower subdivision is carried only by the text of a rule that prints it,
    subdivision marks in order: a passage that merely mentions L.R. 250 says nothing of 250(b).
    """
    for authority_id in passage.authorities:
        held = _authority(authority_id)
        if held is None:
            continue
        if named.contains(held):
            return True
        if authority_id == passage.authority and held.contains(named):
            at = 0
            for part in named.path[len(held.path) :]:
                at = passage.text.find(f"({part})", at)
                if at < 0:
                    break
            else:
                return True
    return False


def problem(sentence: str, passage: Passage) -> str | None:
    """Why `passage` alone does not support `sentence`, or None when it does."""
    if support(sentence, [passage.text]) < MIN_SUPPORT:
        return "the cited passages do not support it"
    if not quotes_verbatim(sentence, [passage.text]):
        return "a quotation is not in the cited passages"
    named = [
        m.target
        for m in find_mentions(sentence, court=passage.court)
        if isinstance(m.target, Authority)
    ]
    if not all(carries(passage, authority) for authority in named):
        return "it names a rule or statute the cited passages do not"
    # The label holds the case name, docket number and date of an order, which a sentence may cite.
    source = f"{passage.text}\n{passage.label}"
    plain = without_authorities(sentence)
    if not numbers(plain) <= numbers(source):
        return "it states a number the cited passages do not"
    if not all(names_case(source, case) for case in case_names(plain)):
        return "it names a case the cited passages do not"
    return None


def verdict_from(question: str, passages: Sequence[Passage]) -> Verdict | None:
    """The short answer the extractive verdict finder reads in `passages`."""
    hits = [Hit(p, score=0.0, rank=i) for i, p in enumerate(passages, 1)]
    ranked = extractive.score(question, extractive.candidates(hits))
    chosen = extractive.select(ranked) or ranked[: extractive.MAX_SENTENCES]
    return extractive.find_verdict(question, chosen)


def _check(
    i: int, sentence: Sentence, passages: Sequence[Passage]
) -> tuple[Sentence | None, list[str]]:
    """The sentence with only the citations that support it alone, and why others went."""
    valid = tuple(dict.fromkeys(n for n in sentence.citations if 1 <= n <= len(passages)))
    notes = [
        f"sentence {i}: citation [{n}] names no retrieved passage"
        for n in sentence.citations
        if n not in valid
    ]
    if not valid:
        return None, [*notes, f"sentence {i}: dropped, no valid citation"]
    reasons = {n: problem(sentence.text, passages[n - 1]) for n in valid}
    supporting = [n for n in valid if reasons[n] is None]
    if not supporting:
        # The reason given is the one of the passage closest to the sentence in wording.
        closest = max(valid, key=lambda n: support(sentence.text, [passages[n - 1].text]))
        return None, [*notes, f"sentence {i}: dropped, {reasons[closest]}"]
    best = sorted(supporting, key=lambda n: -support(sentence.text, [passages[n - 1].text]))
    kept = tuple(n for n in supporting if n in best[:MAX_CITATIONS])
    notes += [
        f"sentence {i}: citation [{n}] dropped, that passage alone does not support it"
        for n in valid
        if n not in supporting
    ]
    notes += [
        f"sentence {i}: citation [{n}] dropped, more than {MAX_CITATIONS} citations"
        for n in supporting
        if n not in kept
    ]
    return Sentence(sentence.text, kept), notes


def verify(
    question: str,
    sentences: Sequence[Sentence],
    verdict: Verdict | None,
    passages: Sequence[Passage],
) -> Verified:
    """Drop unknown citations, uncited and unsupported sentences; check the verdict.

    `passages` are numbered from 1 in the order the draft saw them. A sentence stays when at
    least one passage it cites holds its wording, quotations, rules, numbers and cases on its
    own; citations of passages that do not are removed. The draft's verdict stands when some of
    its sentences stand (see checked_verdict); it is withheld, never replaced.
    """
    kept: list[Sentence] = []
    dropped: list[str] = []
    for i, sentence in enumerate(sentences, 1):
        checked, notes = _check(i, sentence, passages)
        dropped.extend(notes)
        if checked is not None:
            kept.append(checked)
    supporting = [passages[n - 1] for n in dict.fromkeys(n for s in kept for n in s.citations)]
    stands, why = checked_verdict(question, verdict, supporting)
    if why:
        dropped.append(why)
    return Verified(tuple(kept), stands, tuple(dropped))


_FIRM = (Verdict.YES, Verdict.NO)


def checked_verdict(
    question: str, verdict: Verdict | None, supporting: Sequence[Passage]
) -> tuple[Verdict | None, str | None]:
    """The draft's short answer if it may stand, else None and why it was withheld.

    It stands when the question asks for a decision and some drafted sentence survived
    verification. When the directive reader reads the opposite firm answer in those same
    supporting passages, the short answer is withheld rather than replaced: two readings that
    disagree make no short answer, and the sentences still say what the sources say.
    """
    if verdict is None:
        return None, None
    shown = verdict.value
    if not supporting:
        return None, f"short answer {shown} withheld: none of its sentences is supported"
    if not extractive.is_decision_question(question):
        return None, f"short answer {shown} withheld: the question asks for no yes or no"
    read = verdict_from(question, supporting)
    if verdict in _FIRM and read in _FIRM and read is not verdict:
        return None, (f"short answer {shown} withheld: the cited passages read {read.value}")
    return verdict, None
