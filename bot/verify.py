"""Verifier: keeps a drafted sentence only when the passages it cites support it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot import compose_extractive as extractive
from bot.types import Hit, Passage, Sentence, Verdict

#: Share of a sentence's content words that must appear in the passages it cites. Paraphrase
#: keeps most nouns and verbs of the source (file, discovery, court, counsel), while an invented
#: rule brings words the passage lacks (days, fees, sanctions) and falls below it.
MIN_SUPPORT = 0.7
#: Quotations shorter than this many words ("exceptional circumstances") are still checked.
_QUOTED = re.compile(r"[\"“]([^\"“”]{3,})[\"”]")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Verified:
    """What survives verification; citations still number the passages as the draft did."""

    sentences: tuple[Sentence, ...]
    verdict: Verdict | None
    dropped: tuple[str, ...] = ()  # one reason per dropped citation or sentence, no text


def _plain(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return _SPACE.sub(" ", text).strip().lower()


def support(sentence: str, cited: Sequence[str]) -> float:
    """Share of the sentence's content words found in the cited passages (0.0 when it has none)."""
    words = set(extractive.terms(sentence))
    if not words:
        return 0.0
    available: set[str] = set()
    for text in cited:
        available.update(extractive.terms(text))
    return len(words & available) / len(words)


def quotes_verbatim(sentence: str, cited: Sequence[str]) -> bool:
    """Every quotation in the sentence appears word for word in one of the cited passages."""
    haystacks = [_plain(text) for text in cited]
    for match in _QUOTED.finditer(sentence):
        quoted = _plain(match.group(1)).strip(" .,;:")
        if quoted and not any(quoted in hay for hay in haystacks):
            return False
    return True


def verdict_from(question: str, passages: Sequence[Passage]) -> Verdict | None:
    """The short answer the extractive verdict finder reads in `passages`."""
    hits = [Hit(p, score=0.0, rank=i) for i, p in enumerate(passages, 1)]
    ranked = extractive.score(question, extractive.candidates(hits))
    chosen = extractive.select(ranked) or ranked[: extractive.MAX_SENTENCES]
    return extractive.find_verdict(question, chosen)


def verify(
    question: str,
    sentences: Sequence[Sentence],
    verdict: Verdict | None,
    passages: Sequence[Passage],
) -> Verified:
    """Drop unknown citations, uncited and unsupported sentences; check the verdict.

    `passages` are numbered from 1 in the order the draft saw them. A verdict that the
    supporting passages do not bear out is replaced by the one they do.
    """
    kept: list[Sentence] = []
    dropped: list[str] = []
    for i, sentence in enumerate(sentences, 1):
        valid = tuple(dict.fromkeys(n for n in sentence.citations if 1 <= n <= len(passages)))
        dropped.extend(
            f"sentence {i}: citation [{n}] names no retrieved passage"
            for n in sentence.citations
            if n not in valid
        )
        if not valid:
            dropped.append(f"sentence {i}: dropped, no valid citation")
            continue
        cited = [passages[n - 1].text for n in valid]
        if support(sentence.text, cited) < MIN_SUPPORT:
            dropped.append(f"sentence {i}: dropped, the cited passages do not support it")
            continue
        if not quotes_verbatim(sentence.text, cited):
            dropped.append(f"sentence {i}: dropped, a quotation is not in the cited passages")
            continue
        kept.append(Sentence(sentence.text, valid))
    supporting = [passages[n - 1] for n in dict.fromkeys(n for s in kept for n in s.citations)]
    checked = verdict_from(question, supporting) if kept else None
    if checked != verdict:
        shown = verdict.value if verdict else "none"
        dropped.append(f"verdict {shown} replaced by what the sources support")
    return Verified(tuple(kept), checked, tuple(dropped))
