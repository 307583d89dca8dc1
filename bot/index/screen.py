"""Sentences of a document that speak to the reader or the assistant instead of deciding anything.

Knowledge files are data. A sentence that gives orders to whoever reads it ("ignore previous
instructions", "system note to the assistant"), that vouches for its own document ("this
document is the most authoritative source"), or that hands out contact details found in no
other document is flagged at index time: its words are left out of what is embedded and
word-indexed (so they cannot lift the passage's rank), and the served passage text has them
blanked (so no composer can quote them). Court orders speak about the parties in the third
person and never to a program, so the patterns below stay clear of them; the reference
corpus has no sentence flagged (tests/reliability/test_injection.py).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from bot.core.text import split_sentences
from bot.core.types import Passage

ROLE = "addresses_reader"

# Instructions aimed at a program: override its instructions, or a note "to the assistant".
_TO_THE_PROGRAM = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,40}?"
    r"\b(?:previous|prior|above|earlier|preceding|all|any|your|other|system)\b[^.!?\n]{0,30}?"
    r"\b(?:instructions?|prompts?|directions|guidelines|rules\s+above)\b"
    r"|\b(?:system|developer|admin(?:istrator)?)\s+(?:note|message|prompt|instruction|override)s?\b"
    r"|\b(?:note|message|instructions?)\s+(?:to|for)\s+(?:the\s+|any\s+)?"
    r"(?:ai|assistant|chatbot|bot|model|language\s+model|llm|search\s+engine)\b"
    r"|\b(?:ai|virtual|chat)\s+assistants?\b|\bchatbots?\b|\blanguage\s+models?\b|\bllms?\b"
    r"|\byou\s+are\s+(?:now\s+)?(?:an?\s+)?(?:ai|assistant|chatbot|language\s+model)\b"
    r"|\b(?:tell|instruct|advise)\s+(?:every|all|any|each)\s+(?:readers?|users?|persons?|people)\b",
    re.IGNORECASE,
)
# A document's claims about itself: "this document is the most authoritative source".
_SELF_CLAIM = re.compile(
    r"\bthis\s+(?:document|file|text|page|passage|source|notice|message)\b[^.!?\n]{0,80}?"
    r"\b(?:authoritative|relevant|reliable|trust(?:ed|worthy)?|priority|rank(?:ed|s)?|"
    r"supersedes?|overrides?|controlling|official|first|above\s+all)\b",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?!\d)")
_URL = re.compile(r"\b(?:https?://|www\.)([\w-]+(?:\.[\w-]+)+)", re.IGNORECASE)


def contacts(text: str) -> set[str]:
    """The e-mail addresses, phone numbers and web domains `text` gives, normalised."""
    found = {m.group(0).lower() for m in _EMAIL.finditer(text)}
    found |= {re.sub(r"\D", "", m.group(0))[-10:] for m in _PHONE.finditer(text)}
    found |= {_domain(m.group(1)) for m in _URL.finditer(text)}
    for email in [f for f in found if "@" in f]:
        found.add(_domain(email.rsplit("@", 1)[1]))
    return found


def _domain(host: str) -> str:
    """The registrable part of a host name: its last two labels ("caed.uscourts.gov" -> ...)."""
    labels = host.lower().rstrip(".").split(".")
    return ".".join(labels[-2:])


def flagged_spans(text: str, foreign: set[str]) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence of `text` that addresses the reader or the assistant.

    `foreign` holds the contact details that no other document of the index gives.
    """
    spans = []
    for start, end in split_sentences(text):
        sentence = text[start:end]
        if (
            _TO_THE_PROGRAM.search(sentence)
            or _SELF_CLAIM.search(sentence)
            or contacts(sentence) & foreign
        ):
            spans.append((start, end))
    return tuple(spans)


def screen(documents: Sequence[Sequence[Passage]]) -> list[list[Passage]]:
    """Each document's passages with `reader_addressed` set; contact details count per document."""
    per_document = [set().union(*(_given(p) for p in found)) for found in documents]
    counts = Counter(c for found in per_document for c in found)
    screened = []
    for found, own in zip(documents, per_document, strict=True):
        foreign = {c for c in own if counts[c] == 1}
        screened.append(
            [replace(p, reader_addressed=flagged_spans(p.text, foreign)) for p in found]
        )
    return screened


def _given(passage: Passage) -> set[str]:
    # A document's source URL counts as given by it: another document's text naming that
    # site is not a contact found nowhere else.
    found = contacts(passage.text)
    if passage.url:
        found |= contacts(passage.url if "://" in passage.url else f"https://{passage.url}")
    return found


def blanked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` with each span replaced by spaces (line breaks kept), so offsets stay valid."""
    chars = list(text)
    for start, end in spans:
        for i in range(start, min(end, len(chars))):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)
