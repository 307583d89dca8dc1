"""Guide verification at index time: anchors found in their authority's passages, facts kept."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.core.citations import find_mentions
from bot.core.cite_parse import parse_authority
from bot.core.errors import GuideError, InputError
from bot.core.facts import case_names, names_case, numbers, without_authorities
from bot.core.guide_types import Guide, GuideAnchor, GuidePoint, VerifiedGuide
from bot.core.types import Authority, Document, Passage

# Typographic variants folded like whitespace and case: a guide writer types straight quotes.
_TYPOGRAPHY = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})
# A word broken at a line end ("an- swer"), and the compound it may be ("electronic-filing"):
# both sides drop the hyphen, so a break repaired either way in indexing still matches.
_HYPHEN = re.compile(r"(?<=[a-z])-\s*(?=[a-z])")
# "Fed. R. App. P. 4(a)(1)(A)": a citation the grammar may not know, read for its code.
_CITE_SHAPE = re.compile(r"(?P<code>.*?\D)\s*§*\s*(?P<number>\d[\w.-]*)(?P<path>(?:\([^)]+\))*)")
#: What a guide citing an order that is not indexed waits for, in the summary line.
ORDERS_NOT_INDEXED = "court orders"
_DOCKET_SHAPE = re.compile(r"\d:\d{2}-[a-z]{2}-\d|civ\s+s-\d|\d{2}-cv-\d", re.IGNORECASE)


@dataclass(frozen=True)
class GuideCheck:
    """The outcome of verifying every guide against one generation's passages."""

    served: tuple[VerifiedGuide, ...]
    waiting: tuple[tuple[str, str], ...]  # (guide id, the source it waits for)
    failed: tuple[GuideError, ...]

    def waiting_line(self) -> str | None:
        """One line for the index summary: "2 guides wait for sources: Fed. R. App. P. (2)"."""
        if not self.waiting:
            return None
        counts = Counter(source for _, source in self.waiting)
        listed = ", ".join(f"{source} ({n})" for source, n in sorted(counts.items()))
        n = len(self.waiting)
        return f"{n} guide{'s' if n != 1 else ''} wait{'s' if n == 1 else ''} for sources: {listed}"


def fold(text: str) -> tuple[str, list[int]]:
    """`text` with case, whitespace, typography and hyphenation folded, and for each folded
    character its offset in `text` (so a match maps back to the verbatim words)."""
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text.translate(_TYPOGRAPHY).lower()):
        if ch.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                where.append(i)
            continue
        chars.append(ch)
        where.append(i)
    folded = "".join(chars)
    keep = [True] * len(folded)
    for m in _HYPHEN.finditer(folded):
        for j in range(m.start(), m.end()):
            keep[j] = False
    text_out = "".join(c for c, k in zip(folded, keep, strict=True) if k)
    return text_out, [w for w, k in zip(where, keep, strict=True) if k]


def find_anchor(anchor: str, passage: Passage) -> GuideAnchor | None:
    """The span of `passage.text` that the anchor quotes, folded as in `fold`; None if absent."""
    needle = fold(anchor)[0].strip(" .,;:\"'")
    if not needle:
        return None
    hay, where = fold(passage.text)
    at = hay.find(needle)
    if at < 0:
        return None
    return GuideAnchor(passage.passage_id, where[at], where[at + len(needle) - 1] + 1)


def _canonical(cite: str) -> Authority | None:
    try:
        return parse_authority(cite)
    except InputError:
        return None


def _docket_key(text: str) -> str:
    return re.sub(r"^no\.?\s*|\s+", "", text.strip().lower())


def _within(outer: str, inner: str) -> bool:
    """Is authority id `inner` the same as `outer` or one of its subdivisions?"""
    if inner == outer:
        return True
    if not inner.startswith(outer + "("):
        return False
    held, named = _canonical(inner), _canonical(outer)
    return held is None or named is None or named.contains(held)


class _Sources:
    """The passages a cite can name: by authority id, and by order docket."""

    def __init__(self, entries: Sequence[tuple[Document, Sequence[Passage]]]) -> None:
        self.rules: list[Passage] = []
        self.orders: dict[str, list[Passage]] = {}
        self.cases: dict[str, str] = {}  # docket key -> the order's label (case name, court)
        for document, found in entries:
            self.rules.extend(p for p in found if p.authority)
            if document.docket:
                key = _docket_key(document.docket)
                self.orders.setdefault(key, []).extend(found)
                if found:
                    self.cases[key] = found[0].label

    def of(self, cite: str) -> tuple[list[Passage], str, str]:
        """(passages of the cited authority, its id as printed, the source it would wait for)."""
        key = _docket_key(cite)
        if key in self.orders:
            return self.orders[key], cite, cite
        named = _canonical(cite)
        shape = None if named else _CITE_SHAPE.fullmatch(" ".join(cite.split()))
        if named is None and (shape is None or _DOCKET_SHAPE.search(cite)):
            # Not a citation the grammar or the citation shape reads: an order's docket.
            return [], cite, ORDERS_NOT_INDEXED
        cited = named.id if named else " ".join(cite.split())
        found = [p for p in self.rules if p.authority and _within(cited, p.authority)]
        # The newest version first: with the 2022 and 2024 Civil Rules indexed, an anchor both
        # prints hold is quoted from the 2024 text, the one lookups and search serve.
        found.sort(key=lambda p: p.version_date or "", reverse=True)
        if named is not None:
            code, number = named.code, named.number
        else:
            code, number = shape["code"].strip(), shape["number"]
        indexed = any(p.authority.startswith(code) for p in self.rules if p.authority)
        sep = " § " if "U.S.C." in code else " "
        waits = f"{code}{sep}{number}" if indexed else code
        return found, cited, waits


def _point_problem(point: GuidePoint, cited: str, case: str | None) -> str | None:
    """Why the point says more than its anchor and cite carry, or None."""
    for text in filter(None, (point.text, point.text_es)):
        plain = without_authorities(text)
        extra = sorted(numbers(plain) - numbers(point.anchor))
        if extra:
            return f"states the number {extra[0]}, which its anchor does not"
        anchored = set(a.id for a in _authorities(point.anchor))
        for named in _authorities(text):
            if not (_within(cited, named.id) or named.id in anchored):
                return f"names {named.id}, which is neither its cite nor in its anchor"
        for name in case_names(plain):
            if not (case and names_case(case, name)) and not names_case(point.anchor, name):
                return f"names the case {name[0]} v. {name[1]}, which its anchor does not"
    return None


def _authorities(text: str) -> list[Authority]:
    return [m.target for m in find_mentions(text) if isinstance(m.target, Authority)]


def verify_guides(
    guides: Iterable[Guide], entries: Sequence[tuple[Document, Sequence[Passage]]]
) -> GuideCheck:
    """Each guide served, waiting for an authority not indexed, or failed with the reason.

    A point's anchor must appear verbatim (case, whitespace, typography and hyphenation folded)
    in one passage of its cite: the rule or statute passages whose id is the cite or lies
    inside it, or the passages of the order with that docket number. Every number in the point
    must be in its anchor, and every rule or case it names must be its cite or in its anchor.
    """
    sources = _Sources(entries)
    served: list[VerifiedGuide] = []
    waiting: list[tuple[str, str]] = []
    failed: list[GuideError] = []
    for guide in guides:
        anchors: list[GuideAnchor] = []
        waits: str | None = None
        problem: str | None = None
        for n, point in enumerate(guide.points):
            passages, cited, source = sources.of(point.cite)
            if not passages:
                waits = waits or source
                continue
            case = sources.cases.get(_docket_key(point.cite))
            found = next(filter(None, (find_anchor(point.anchor, p) for p in passages)), None)
            if found is None:
                problem = f"point {n}: the anchor is not in the indexed text of {cited}"
            else:
                problem = _point_problem(point, cited, case)
                problem = f"point {n}: {problem}" if problem else None
            if problem:
                break
            anchors.append(found)
        if problem:
            failed.append(GuideError(guide.path, problem, guide.id))
        elif waits:
            waiting.append((guide.id, waits))
        else:
            served.append(VerifiedGuide(guide, tuple(anchors)))
    return GuideCheck(tuple(served), tuple(waiting), tuple(failed))
