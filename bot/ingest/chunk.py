"""Documents into citable passages: sentence groups of orders, one per rule or statute node."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from datetime import date

from bot.core.citations import authority_ids
from bot.core.courts import court_profile
from bot.core.types import AuthorityKind, DocKind, Document, Passage
from bot.ingest.outline import RuleSection
from bot.ingest.parse_order import order_text, split_docket_text
from bot.ingest.parse_rules import MONTHS, parse_rule_book
from bot.ingest.parse_statute import parse_statute_book

TARGET_CHARS = 300  # a passage grows to at least this many characters ...
MAX_CHARS = 700  # ... and stops before passing this many, or four sentences
MAX_SENTENCES = 4


# Words whose period does not end a sentence: citation parts, case-name abbreviations, titles,
# months. Tokens with an inner period ("U.S.C.", "F.R.D.", "e.g.") are abbreviations too.
ABBREVIATIONS = frozenset(
    """v vs no nos fed r civ p cal cir supp f inc co corp dist dept dep't al doc docs ecf dkt
    mr ms mrs dr st cf ct app cnty sch med grp univ ass'n assoc fin nat'l int'l gov't comm'n
    sec'y mgmt ins indus bros mfg ctr hosp auth dev elec envtl prot serv servs sys tech transp
    admin dckt jan feb mar apr jun jul aug sept sep oct nov dec wl sec seq ex""".split()  # noqa: SIM905
)
# A sentence ends at . ? ! (and closing quotes or brackets) before a capital letter. A "(" or a
# digit after the period is not a new sentence: "(ECF No. 1.)" and "F.R.D. 605" belong before.
_BOUNDARY = re.compile(r"[.?!][\"”’')\]]*(?=\s+[\"“]?[A-Z])")
# Case numbers of any district: "1:17-cv-00201-DAD-GSA-PC", "CIV S-09-1568 KJM EFB P",
# "20-cv-07534 BLF (PR)" (N.D. Cal.), "5:07cv294-RS/MD" (N.D. Fla.).
_DOCKET = re.compile(r"\b(?:\d{1,2}:)?\d{2}-?[A-Za-z]{2,3}-?\d|CIV\s+S-\d")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; never inside a quotation, a citation or "No. 48"."""
    quoted = [(m.start(), m.end()) for m in re.finditer(r"\"[^\"]{1,800}\"|“[^”]{1,800}”", text)]
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        dot = m.start()
        word = re.search(r"(\S+)$", text[start:dot])
        token = word.group(1).lower().lstrip('("“[') if word else ""
        if token in ABBREVIATIONS or re.fullmatch(r"[a-z]|\S+\.\S+", token):
            continue  # "Fed. R. Civ. P.", "J." in "William J. Gradford"
        before = text[start : dot - len(token)].rstrip()
        if token.isdigit() and len(token) <= 2 and (not before or before[-1] in ":;"):
            continue  # a list number: "ORDERED that: 1. Within thirty days"
        if any(a < dot < b - 1 for a, b in quoted):
            continue
        spans.append((start, m.end()))
        start = m.end()
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text) and text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


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
        passages.append(Passage(pid, text=docket_text, position=0, mentions=mentions, **common))
    clean = order_text(rest)
    for start, end in _groups(sentence_spans(clean.text)):
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
                **common,
            )
        )
    return passages


def _section_passages(document: Document, sections: list[RuleSection]) -> list[Passage]:
    passages: list[Passage] = []
    for section in sections:
        if not section.text:
            continue  # heading-only nodes: their words live in their children
        own = section.authority.id
        version = section.version
        # Inside a rule book a bare "Rule 26(b)" is the book's own rule; "L.R. 230" the court's.
        rules = (
            section.authority.code if section.authority.kind is AuthorityKind.FEDERAL_RULE else None
        )
        court = document.court if court_profile(document.court) else None
        cited = authority_ids(section.text, court=court, rules=rules)
        mentions = tuple(dict.fromkeys(section.also + cited))
        passages.append(
            Passage(
                passage_id(document.doc_id, f"{own}|{version or ''}", section.text),
                doc_id=document.doc_id,
                kind=document.kind,
                text=section.text,
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
