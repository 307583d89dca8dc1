"""Rule lookup by number: the indexed text of a rule, subdivision or statute, never a guess."""

from __future__ import annotations

from bot.errors import InputError, RuleNotFoundError
from bot.index import IndexSnapshot
from bot.retrieve import DEFAULT_COURT, inside
from bot.types import DocKind, Passage, RuleMatch

EXAMPLES = "26(b)(1), L.R. 183(b) or 1915(e)(1)"


def lookup_rule(snapshot: IndexSnapshot, query: str, court: str = DEFAULT_COURT) -> list[RuleMatch]:
    """Every indexed text the citation `query` can mean, one match per book and version.

    A subdivision comes with everything inside it, in document order. Quoted local rules
    give one match per quotation version, each with its provenance. `RuleNotFoundError`
    when no reading of the query is indexed; `InputError` when it is not a citation.
    """
    from bot.citations import authority_candidates

    text = (query or "").strip()
    if not text:
        raise InputError(f"The rule to look up is empty. Give a citation such as {EXAMPLES}.")
    readings = authority_candidates(text, court=court)
    if not readings:
        raise InputError(f"{text!r} is not a rule or statute citation. Try {EXAMPLES}.")
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
        own = next((p for p in members if p.authority == target), members[0])
        matches.append(
            RuleMatch(
                authority=target,
                label=f"{target} ({version})" if version else target,
                text="\n".join(p.text for p in members),
                doc_id=doc_id,
                heading=own.heading,
                version=version,
                provenance=provenance,
                url=own.url,
            )
        )
    return matches
