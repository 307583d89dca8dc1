"""Rule lookup by number: the indexed text of a rule, subdivision or statute, never a guess."""

from __future__ import annotations

from bot.core.citations import authority_candidates, inside
from bot.core.errors import InputError, RuleNotFoundError, quoted
from bot.core.types import DocKind, Passage, RuleMatch
from bot.index.snapshot import IndexSnapshot
from bot.search.retrieve import DEFAULT_COURT

EXAMPLES = "26(b)(1), L.R. 183(b) or 1915(e)(1)"
HEADING_JOIN = " — "  # how chunk.py joins rule headings, outermost first


def lookup_rule(snapshot: IndexSnapshot, query: str, court: str = DEFAULT_COURT) -> list[RuleMatch]:
    """Every indexed text the citation `query` can mean, one match per book and version.

    A subdivision comes with everything inside it, in document order. Quoted local rules
    give one match per quotation version, each with its provenance. `RuleNotFoundError`
    when no reading of the query is indexed; `InputError` when it is not a citation.
    """
    text = (query or "").strip()
    if not text:
        raise InputError(f"The rule to look up is empty. Give a citation such as {EXAMPLES}.")
    readings = authority_candidates(text, court=court)
    if not readings:
        raise InputError(f"{quoted(text)} is not a rule or statute citation. Try {EXAMPLES}.")
    rule_text = [p for p in snapshot.passages if p.authority and p.kind is not DocKind.ORDER]
    matches: list[RuleMatch] = []
    seen: set[str] = set()
    for reading in readings:
        target = reading.id
        if target in seen:
            continue
        seen.add(target)
        found = [p for p in rule_text if inside(target, p.authority or "")]
        matches.extend(_matches(target, found))
    if not matches:
        raise RuleNotFoundError(text)
    return matches


def _matches(target: str, found: list[Passage]) -> list[RuleMatch]:
    # One group per book and wording: FRCP text is one group, each quoted version its own.
    groups: dict[tuple[str, str | None, str | None], list[Passage]] = {}
    for passage in found:
        groups.setdefault((passage.doc_id, passage.version, passage.provenance), []).append(passage)
    matches = []
    for (doc_id, version, provenance), members in groups.items():
        members.sort(key=lambda p: p.position)
        heading = _shared_heading(members)
        titles = {p.authority or "": p.heading or "" for p in members}
        own = next((p for p in members if p.authority == target), members[0])
        matches.append(
            RuleMatch(
                authority=target,
                label=f"{target} ({version})" if version else target,
                text="\n".join(_line(target, heading, p, titles) for p in members),
                doc_id=doc_id,
                heading=heading,
                version=version,
                provenance=provenance,
                url=own.url,
            )
        )
    return matches


def _parts(heading: str | None) -> list[str]:
    return heading.split(HEADING_JOIN) if heading else []


def _shared_heading(members: list[Passage]) -> str | None:
    """The heading of the subdivision itself: what every member's heading starts with."""
    shared = _parts(members[0].heading)
    for passage in members[1:]:
        parts = _parts(passage.heading)
        n = 0
        while n < min(len(shared), len(parts)) and shared[n] == parts[n]:
            n += 1
        shared = shared[:n]
    return HEADING_JOIN.join(shared) or None


def _line(target: str, heading: str | None, passage: Passage, titles: dict[str, str]) -> str:
    """A member's text; a nested one starts with its place and title, e.g. `(1)(A) Papers ...`."""
    authority = passage.authority or ""
    inner = authority[len(target) :]
    if not inner:
        return passage.text
    parts = _parts(passage.heading)
    # Untitled items (e.g. (B)(i)) repeat their parent's heading; only a title of their own shows.
    parent = authority.rsplit("(", 1)[0]
    own = len(parts) > len(_parts(heading)) and titles.get(parent) != passage.heading
    title = f"{parts[-1]}." if own else ""
    return " ".join(part for part in (inner, title, passage.text) if part)
