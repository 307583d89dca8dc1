"""Citations for lay readers: short labels in an answer's body, full ones under its quotes."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from bot.core.cite_parse import parse_authority
from bot.core.errors import InputError
from bot.core.rule_sets import rule_set
from bot.core.types import COURTLESS_LOCAL, AuthorityKind, DocKind, Passage

#: A case name longer than this is cut to its first party on each side of "v.".
MAX_CASE_NAME = 40
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
# Where an order label's case name ends: its docket ("No. 1:14-cv-...", "CIV S-...") or court.
_NAME_END = re.compile(r",\s+(?:No\.|Nos\.|CIV\b|Case No\.)|\s+\(")


def case_name(label: str) -> str:
    """The case name an order's label starts with: "Masterson v. Killen"."""
    found = _NAME_END.search(label)
    name = (label[: found.start()] if found else label).strip(" ,")
    if len(name) <= MAX_CASE_NAME or " v. " not in name:
        return name
    # "Smith, et al. v. Jones, Warden, et al." -> "Smith v. Jones"
    sides = [side.split(",")[0].strip() for side in name.split(" v. ", 1)]
    return " v. ".join(sides)


def order_label(passage: Passage) -> str:
    """'Masterson v. Killen (E.D. Cal. 2014)': case name, court and year, no docket or pinpoint."""
    name = case_name(passage.label)
    tail = passage.label[len(name) :]
    years = _YEAR.findall(tail)
    where = " ".join(p for p in (passage.court, years[-1] if years else None) if p)
    return f"{name} ({where})" if where else name


def authority_label(authority: str) -> str:
    """'Fed. R. Civ. P. 5(d)(1)(A)' -> 'FRCP 5(d)(1)(A)'; 'E.D. Cal. L.R. 230' -> 'L.R. 230'."""
    try:
        parsed = parse_authority(authority)
    except InputError:
        return authority
    where = "".join(f"({p})" for p in parsed.path)
    if parsed.kind is AuthorityKind.FEDERAL_RULE:
        found = rule_set(parsed.code)
        short = found.short if found and found.short else parsed.code
        return f"{short} {parsed.number}{where}"
    if parsed.kind is AuthorityKind.LOCAL_RULE:
        # A reader in the court's own district knows which court's local rules these are.
        local = next((p for p in COURTLESS_LOCAL if parsed.code.endswith(p)), parsed.code)
        return f"{local} {parsed.number}{where}"
    return parsed.id


def short_label(passage: Passage) -> str:
    """The label a phone reader sees in an answer's body, for any kind of passage."""
    if passage.kind is DocKind.ORDER:
        return order_label(passage)
    if passage.authority:
        return authority_label(passage.authority)
    return passage.label


def full_citation(passage: Passage) -> str:
    """The full citation with docket, date and pinpoint (orders) or version (rules)."""
    return passage.citation


def safe_url(url: str | None) -> str | None:
    """An http(s) address fit for an href, or None.

    Front matter sometimes carries a note after the address ("https://... (retrieved ...)"):
    only the address is kept, and anything that is not one whole address is dropped.
    """
    if not url:
        return None
    first = url.strip().split()[0] if url.strip() else ""
    parsed = urlparse(first)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        return None
    if any(c in first for c in '"<>\\^`{|}'):
        return None
    return first
