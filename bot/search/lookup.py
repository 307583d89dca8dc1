"""Rule lookup by number: the indexed text of a rule, subdivision or statute, never a guess."""

from __future__ import annotations

import contextlib
import threading
import weakref
from dataclasses import dataclass

from bot.core.cite_parse import authority_candidates, inside, parse_authority
from bot.core.errors import InputError, RuleNotFoundError, quoted
from bot.core.types import DocKind, Passage, RuleMatch
from bot.index.snapshot import IndexSnapshot, keys_of

EXAMPLES = "26(b)(1), Fed. R. App. P. 4(a)(1)(A), FRE 801(d)(2), L.R. 183(b) or 28 U.S.C. § 1332(a)"
HEADING_JOIN = " — "  # how chunk.py joins rule headings, outermost first


def lookup_rule(
    snapshot: IndexSnapshot, query: str, court: str | None = None, version: str | None = None
) -> list[RuleMatch]:
    """Every indexed text the citation `query` can mean, one match per book.

    When several versions of a book have the rule, the newest one is shown (and the others
    named in `other_versions`); `version` ("2022-12-01") asks for one version instead. A
    subdivision comes with everything inside it, in document order. Quoted local rules give
    one match per quotation version, each with its provenance. `RuleNotFoundError` when no
    reading of the query is indexed; `InputError` when it is not a citation.
    """
    text = (query or "").strip()
    if not text:
        raise InputError(f"The rule to look up is empty. Give a citation such as {EXAMPLES}.")
    readings = authority_candidates(text, court=court)
    if not readings:
        raise InputError(f"{quoted(text)} is not a rule or statute citation. Try {EXAMPLES}.")
    # Each distinct rule id is tested once, and only the passages it holds are read.
    index = rule_index(snapshot)
    matches: list[RuleMatch] = []
    seen: set[str] = set()
    for reading in readings:
        target = reading.id
        if target in seen:
            continue
        seen.add(target)
        held = sorted(
            i for a, found in index.by_authority.items() if inside(target, a) for i in found
        )
        matches.extend(_matches(target, [snapshot.passages[i] for i in held], version))
    if not matches:
        raise RuleNotFoundError(text, _nearest(index, readings[0].id, version))
    return matches


@dataclass(frozen=True)
class RuleIndex:
    """A generation's rule and statute passages by authority id, made once per snapshot: a
    look-up then tests each distinct id, not every passage (the deadline events alone look up
    dozens of rules at start)."""

    by_authority: dict[str, list[int]]
    versions: dict[str, frozenset[str]]  # each id's passages' version dates and labels


_rule_indexes: weakref.WeakKeyDictionary[object, RuleIndex] = weakref.WeakKeyDictionary()
_rule_indexes_lock = threading.Lock()


def rule_index(snapshot: IndexSnapshot) -> RuleIndex:
    """The rule index of `snapshot`, kept as long as its passage table lives."""
    table = snapshot.passages
    with _rule_indexes_lock:
        try:
            found = _rule_indexes.get(table)
        except TypeError:  # a plain list of passages (tests): not weakly referable
            found = None
        if found is not None:
            return found
    by_authority: dict[str, list[int]] = {}
    versions: dict[str, set[str]] = {}
    for i, key in enumerate(keys_of(table)):
        if key.authority and key.kind is not DocKind.ORDER:
            by_authority.setdefault(key.authority, []).append(i)
            versions.setdefault(key.authority, set()).update(
                v for v in (key.version_date, key.version) if v
            )
    index = RuleIndex(by_authority, {a: frozenset(v) for a, v in versions.items()})
    with _rule_indexes_lock, contextlib.suppress(TypeError):
        _rule_indexes[table] = index
    return index


def _nearest(index: RuleIndex, target: str, version: str | None) -> str | None:
    """What the knowledge base does have around a missing subdivision, said in one sentence."""
    try:
        outer = parse_authority(target).parent
    except InputError:
        return None
    while outer is not None:
        held = [a for a in index.by_authority if inside(outer.id, a)]
        if version:
            held = [a for a in held if version in index.versions[a]]
        if held:
            below = {a[len(outer.id) :] for a in held}
            parts = sorted({rest[: rest.index(")") + 1] for rest in below if rest.startswith("(")})
            which = f"; it has {', '.join(parts)}" if parts else ""
            return f"{outer.id} is indexed{which}."
        outer = outer.parent
    if version:
        return f"No indexed version {version} has it."
    return None


def _matches(target: str, found: list[Passage], version: str | None) -> list[RuleMatch]:
    # One group per book and wording: FRCP text is one group, each quoted version its own.
    groups: dict[tuple[str, str | None, str | None], list[Passage]] = {}
    for passage in found:
        groups.setdefault((passage.doc_id, passage.version, passage.provenance), []).append(passage)
    dated = {
        members[0].version_date: key
        for key, members in groups.items()
        if members[0].version_date and not key[2]
    }
    if version is not None:
        keep = [k for k, m in groups.items() if version in (m[0].version_date, m[0].version)]
    elif dated:
        newest = dated[max(dated)]
        keep = [k for k, m in groups.items() if not m[0].version_date or k == newest]
    else:
        keep = list(groups)
    matches = []
    for key in keep:
        doc_id, version_label, provenance = key
        members = sorted(groups[key], key=lambda p: p.position)
        heading = _shared_heading(members)
        titles = {p.authority or "": p.heading or "" for p in members}
        own = next((p for p in members if p.authority == target), members[0])
        others = tuple(sorted(d for d in dated if d != own.version_date))
        matches.append(
            RuleMatch(
                authority=target,
                label=f"{target} ({version_label})" if version_label else target,
                text="\n".join(_line(target, heading, p, titles) for p in members),
                doc_id=doc_id,
                heading=heading,
                version=version_label,
                provenance=provenance,
                url=own.url,
                other_versions=others if own.version_date else (),
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
    inner = authority[len(target) :] if authority.startswith(target) else ""
    if not inner:
        return passage.text
    parts = _parts(passage.heading)
    # Untitled items (e.g. (B)(i)) repeat their parent's heading; only a title of their own shows.
    parent = authority.rsplit("(", 1)[0]
    own = len(parts) > len(_parts(heading)) and titles.get(parent) != passage.heading
    title = f"{parts[-1]}." if own else ""
    return " ".join(part for part in (inner, title, passage.text) if part)
