"""Documents into citable passages: sentence groups of orders, one per rule or statute node."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from datetime import date

from bot.core.citations import authority_ids
from bot.core.courts import court_profile
from bot.core.text import split_sentences
from bot.core.types import AuthorityKind, DocKind, Document, Passage
from bot.ingest.outline import RuleSection
from bot.ingest.parse_order import order_text, split_docket_text
from bot.ingest.parse_rules import MONTHS, parse_rule_book
from bot.ingest.parse_statute import parse_statute_book
from bot.ingest.roles import sentence_spans

TARGET_CHARS = 300  # a passage grows to at least this many characters ...
MAX_CHARS = 700  # ... and stops before passing this many, or four sentences
MAX_SENTENCES = 4


# Case numbers of any district: "1:17-cv-00201-DAD-GSA-PC", "CIV S-09-1568 KJM EFB P",
# "20-cv-07534 BLF (PR)" (N.D. Cal.), "5:07cv294-RS/MD" (N.D. Fla.).
_DOCKET = re.compile(r"\b(?:\d{1,2}:)?\d{2}-?[A-Za-z]{2,3}-?\d|CIV\s+S-\d")
#: A rule lead-in ("The notice and request must:") carries its list when the list fits.
MAX_LIST_CHARS = 1500


def _groups(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    groups: list[tuple[int, int]] = []
    first = last = None
    count = 0
    for start, end in spans:
        if first is not None and last is not None:
            size = last - first
            if size >= TARGET_CHARS and (end - first > MAX_CHARS or count >= MAX_SENTENCES):
                groups.append((first, last))
                first, count = None, 0
        first = start if first is None else first
        last, count = end, count + 1
    if first is not None and last is not None:
        groups.append((first, last))
    return groups


def bluebook_date(iso: str) -> str:
    """'2018-09-04' -> 'Sept. 4, 2018'."""
    when = date.fromisoformat(iso)
    return f"{MONTHS[when.month - 1]} {when.day}, {when.year}"


def order_label(document: Document) -> str:
    """`Gradford v. McDougall, No. 1:17-cv-00201-DAD-GSA-PC (E.D. Cal. Sept. 4, 2018)`."""
    name = re.sub(r"^\((?:PC|HC|SS|PS)\)\s*", "", document.title)  # nature-of-suit tags
    parts = [name]
    docket = document.docket or ""
    if _DOCKET.search(docket):
        parts.append(docket if re.match(r"(?:No\.|CIV)\s", docket) else f"No. {docket}")
    when = None
    if document.date:
        try:
            when = bluebook_date(document.date)
        except ValueError:
            when = None
    elif document.date_note and (m := re.match(r"(c\. )?(\d{4})-\d\d-\d\d", document.date_note)):
        # "2011-08-24 (signed ...)" is the filing date; "c. 2019-12-04" only gives the year.
        when = m.group(2) if m.group(1) else bluebook_date(m.group(0))
    court = " ".join(p for p in (document.court, when) if p)
    return ", ".join(parts) + (f" ({court})" if court else "")


def _iso(value: str | None) -> str | None:
    """The book's version as an ISO date ("2024-12-01"), when it is one: it orders versions."""
    try:
        return date.fromisoformat(value).isoformat() if value else None
    except ValueError:
        return None


def passage_id(doc_id: str, anchor: str, text: str) -> str:
    """Content key: unchanged text at the same place keeps its id across runs."""
    return hashlib.sha256(f"{doc_id}\x1f{anchor}\x1f{text}".encode()).hexdigest()[:24]


def _unique(passages: list[Passage]) -> list[Passage]:
    seen: dict[str, int] = {}
    out = []
    for p in passages:
        n = seen.get(p.passage_id, 0)
        seen[p.passage_id] = n + 1
        if n:  # the same words twice in one document: keep both, with distinct ids
            p = replace(p, passage_id=passage_id(p.doc_id, f"{p.position}#{n}", p.text))
        out.append(p)
    return out


def _order_passages(document: Document) -> list[Passage]:
    court = document.court  # a bare "Local Rule 230" is its court's rule; unknown: as written
    label = order_label(document)
    docket_text, rest = split_docket_text(document.body)
    common = {
        "doc_id": document.doc_id,
        "kind": DocKind.ORDER,
        "label": label,
        "court": document.court,
        "excerpt": not document.complete,
        "url": document.source_url,
    }
    passages: list[Passage] = []
    if docket_text:
        pid = passage_id(document.doc_id, "docket", docket_text)
        mentions = authority_ids(docket_text, court=court)
        roles = sentence_spans(docket_text, DocKind.ORDER, docket=True)
        passages.append(
            Passage(pid, text=docket_text, position=0, mentions=mentions, sentences=roles, **common)
        )
    clean = order_text(rest)
    for start, end in _groups(split_sentences(clean.text)):
        text = " ".join(clean.text[start:end].split())
        pinpoint = clean.pinpoint(start, end)
        pid = passage_id(document.doc_id, pinpoint or "", text)
        passages.append(
            Passage(
                pid,
                text=text,
                position=len(passages),
                pinpoint=pinpoint,
                mentions=authority_ids(text, court=court),
                sentences=sentence_spans(text, DocKind.ORDER),
                **common,
            )
        )
    return passages


def with_list(section: RuleSection, following: list[RuleSection]) -> str:
    """The section's text; a lead-in ending in a colon also carries the list it introduces.

    "The notice and request must:" answers nothing without its items (A) to (G), which are
    its subdivisions: they are appended, each with its mark, when together they fit in
    MAX_LIST_CHARS. The subdivisions stay passages of their own too.
    """
    text = section.text.rstrip()
    if not text.endswith(":"):
        return section.text
    items = []
    for child in following:
        if not section.authority.contains(child.authority):
            break
        if child.text:
            items.append(f"({child.authority.path[-1]}) {' '.join(child.text.split())}")
    listed = " ".join([text, *items])
    return listed if items and len(listed) <= MAX_LIST_CHARS else section.text


def _section_passages(document: Document, sections: list[RuleSection]) -> list[Passage]:
    passages: list[Passage] = []
    for at, section in enumerate(sections):
        if not section.text:
            continue  # heading-only nodes: their words live in their children
        text = with_list(section, sections[at + 1 :])
        own = section.authority.id
        version = section.version
        # Inside a rule book a bare "Rule 26(b)" is the book's own rule; "L.R. 230" the court's.
        rules = (
            section.authority.code if section.authority.kind is AuthorityKind.FEDERAL_RULE else None
        )
        court = document.court if court_profile(document.court) else None
        cited = authority_ids(text, court=court, rules=rules)
        mentions = tuple(dict.fromkeys(section.also + cited))
        passages.append(
            Passage(
                passage_id(document.doc_id, f"{own}|{version or ''}", text),
                doc_id=document.doc_id,
                kind=document.kind,
                text=text,
                label=f"{own} ({version})" if version else own,
                position=len(passages),
                authority=own,
                heading=section.heading,
                mentions=tuple(m for m in mentions if m != own),
                court=document.court,
                version=version,
                version_date=_iso(document.version) if not section.provenance else None,
                provenance=section.provenance,
                url=document.source_url,
                sentences=sentence_spans(text, document.kind),
            )
        )
    return passages


def passages(document: Document) -> list[Passage]:
    """The passages of one document, in document order."""
    if document.kind is DocKind.ORDER:
        out = _order_passages(document)
    elif document.kind is DocKind.RULES:
        out = _section_passages(document, parse_rule_book(document))
    else:
        out = _section_passages(document, parse_statute_book(document))
    return _unique(out)
