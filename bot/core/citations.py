"""Citation grammar: find rule, statute, docket and case references in text and normalize them."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from functools import cache

from bot.core.cite_patterns import (
    CODE_CUE,
    DOCKET,
    DOCKET_CUE,
    FED,
    ID_SHORT_FORM,
    LOCAL,
    LOCAL_CUE,
    NEXT,
    NEXT_DOCKET,
    OF_SET,
    PINPOINT,
    RANGE,
    RULE_CUE,
    SECTION,
    SECTION_CUE,
    STATUTE,
    WORD_AFTER,
    matched_set,
    subdivisions,
)
from bot.core.courts import court_from_caption, court_profile
from bot.core.rule_sets import RuleSet, civil_rules, known_titles, rule_set, rule_sets
from bot.core.types import Authority, AuthorityKind, DocketRef, Mention

FRCP_CODE = "Fed. R. Civ. P."


@dataclass(frozen=True)
class _Group:
    """Mentions found from one prefix (a list gives several), kept or dropped together."""

    start: int
    end: int
    mentions: tuple[Mention, ...]


def _plural(prefix: str) -> bool:
    # Only plural or number-agnostic prefixes take a list: "Rule 26 and 10 days" is one rule.
    p = " ".join(prefix.lower().split())
    return (
        p.endswith("s")
        or p.startswith(("fed", "f."))
        or p in {"§§", "l.r.", "l. r."}
        or (p.endswith(("l.r.", "l. r.", "loc. r.", "loc.r.")))
    )


def _is_line_number(text: str, end: int, number: str, join: str) -> bool:
    return (
        "," in join
        and not re.search(r"and|or|&", join)
        and number.isdigit()
        and int(number) <= 28
        and bool(WORD_AFTER.match(text, end))
    )


def _authority(
    kind: AuthorityKind, code: str, number: str, path: tuple[str, ...]
) -> Authority | None:
    if kind is AuthorityKind.FEDERAL_RULE:
        found = rule_set(code)
        if found is None or not found.numbered(number):
            return None
    return Authority(kind, code, number, path)


def _range(text: str, start: int, end: int, item: Authority) -> tuple[list[Mention], int]:
    """The item at text[start:end], or every rule of "26-37" / "26 through 37" it opens."""
    found = rule_set(item.code) if item.kind is AuthorityKind.FEDERAL_RULE else None
    r = RANGE.match(text, end) if found and not item.path else None
    if (
        r
        and item.number.isdigit()
        and int(item.number) < int(r["end"])
        and found.numbered(r["end"])
    ):
        numbers = range(int(item.number), int(r["end"]) + 1)
        span = (start, r.end(), text[start : r.end()])
        return [Mention(*span, replace(item, number=str(n))) for n in numbers], r.end()
    return [Mention(start, end, text[start:end], item)], end


def _list(text: str, m: re.Match, kind: AuthorityKind, code: str) -> _Group | None:
    """The head citation of `m` and any list items after it."""
    first = _authority(kind, code, m["number"], subdivisions(m["path"]))
    if first is None:
        return None
    found, pos = _range(text, m.start(), m.end(), first)
    while n := NEXT[kind].match(text, pos):
        previous = found[-1].target
        if n["sibling"]:
            # "Rule 26(b)(1) and (2)": the sibling replaces the innermost levels.
            sibling = subdivisions(n["sibling"])
            if len(sibling) > len(previous.path):
                break
            item = replace(previous, path=previous.path[: -len(sibling)] + sibling)
        elif not _plural(m["prefix"] or "") or _is_line_number(
            text, n.end(), n["number"], n["join"]
        ):
            break
        else:
            item = _authority(kind, code, n["number"], subdivisions(n["path"]))
            if item is None:
                break
        start = n.start("sibling") if n["sibling"] else n.start("number")
        items, pos = _range(text, start, n.end(), item)
        found += items
    return _Group(m.start(), pos, tuple(found))


def local_code(court: str | None, spelled: str) -> str:
    """The local-rule prefix of `court`, or the spelling alone when the court is unknown."""
    profile = court_profile(court)
    if profile is not None:
        return profile.local_rules
    p = " ".join(spelled.split()).lower()
    if p.startswith("civ"):
        return "Civ. L.R."
    return "Loc. R." if p.startswith("loc.") else "L.R."


def _federal(text: str, court: str | None, bare_set: RuleSet) -> list[_Group]:
    groups = []
    for m in FED.finditer(text):
        number = m["number"]
        named = matched_set(m)
        if m["bare"]:
            after = OF_SET.match(text, m.end())  # "Rule 56 of the Federal Rules of ..."
            named = matched_set(after) if after else bare_set
        if m["bare"] and named and not named.numbered(number) and named.bare:
            if court is None:
                continue  # no civil rule is that high, and no court says whose local rule it is
            # No civil rule is that high: in a district court's order "Rule 230" is a local rule.
            group = _list(text, m, AuthorityKind.LOCAL_RULE, local_code(court, "L.R."))
        elif named:
            follow = re.match(r"\s+(\d{1,2})\b", text[m.end() :])
            if not m["path"] and follow and int(follow[1]) == int(float(number)) + 1:
                continue  # "Procedure 22 23 and": two pleading line numbers, no rule cited
            group = _list(text, m, AuthorityKind.FEDERAL_RULE, named.prefix)
        else:
            continue
        if group:
            groups.append(group)
    return groups


def _local(text: str, court: str | None) -> list[_Group]:
    groups = []
    for m in LOCAL.finditer(text):
        if m["district"]:
            court_here: str | None = f"{m['district'].upper()}.D. {m['state'].capitalize()}."
        elif m["caption"]:
            court_here = court_from_caption(m["caption"]) or court
        else:
            court_here = court
        groups.append(_list(text, m, AuthorityKind.LOCAL_RULE, local_code(court_here, m["prefix"])))
    return [g for g in groups if g]


def _title(numbers: list[int]) -> int:
    """The title among numbers around "U.S.C.": the others are consecutive line numbers."""
    for i, n in enumerate(numbers):
        rest = numbers[:i] + numbers[i + 1 :]
        if all(b == a + 1 for a, b in itertools.pairwise(rest)):
            return n
    return numbers[-1]


def _section_id(number: str) -> str:
    return number.replace("–", "-")


def _statutes(text: str) -> list[_Group]:
    groups = []
    for m in STATUTE.finditer(text):
        numbers = [
            (int(d[0]), m.start("titles") + d.start()) for d in re.finditer(r"\d+", m["titles"])
        ]
        title = _title([n for n, _ in numbers])
        start = next(pos for n, pos in numbers if n == title)
        group = _list(text, m, AuthorityKind.STATUTE, f"{title} U.S.C.")
        if group:
            head = group.mentions[0]
            head = replace(head, start=start, text=text[start : head.end])
            groups.append(_Group(start, group.end, (head, *group.mentions[1:])))
    return groups


def _sections(text: str) -> list[_Group]:
    # The title is unknown here (code ""); find_mentions fills it in from context or drops it.
    groups = [_list(text, m, AuthorityKind.STATUTE, "") for m in SECTION.finditer(text)]
    return [g for g in groups if g]


def _dockets(text: str) -> list[_Group]:
    groups = []
    for m in DOCKET.finditer(text):
        numbers, pos = [int(m["number"])], m.end()
        while (n := NEXT_DOCKET.match(text, pos)) and not _is_line_number(
            text, n.end(), n["number"], n["join"]
        ):
            numbers.append(int(n["number"]))
            pos = n.end()
        pinpoint = None
        if p := PINPOINT.match(text, pos):
            pinpoint = re.sub(r"\s+", " ", p["at"] or p["para"].replace(" ", ""))
            pos = p.end()
        ref = DocketRef(tuple(numbers), pinpoint)
        groups.append(
            _Group(m.start(), pos, (Mention(m.start(), pos, text[m.start() : pos], ref),))
        )
    return groups


@cache
def citator():
    from citeurl import Citator  # loads its templates (a fifth of a second): only when needed

    return Citator(defaults=["general federal law"])


def _short_forms(text: str) -> list[_Group]:
    """ "Id. at (c)(1)" and "id. § 1915(g)" read by citeurl, which follows what "id." refers to."""
    if not ID_SHORT_FORM.search(text):
        return []
    groups = []
    for cite in citator().list_cites(text):
        if cite.parent is None or not ID_SHORT_FORM.match(cite.text):
            continue
        authority = from_citeurl(cite.template.name, cite.tokens)
        if authority is not None:
            start, end = cite.span
            groups.append(_Group(start, end, (Mention(start, end, text[start:end], authority),)))
    return groups


def from_citeurl(template: str, tokens: dict) -> Authority | None:
    """citeurl's reading as a procbot Authority: U.S. Code sections and federal rule sets."""
    path = subdivisions(tokens.get("subsection") or "")
    if template == "U.S. Code" and tokens.get("title") and tokens.get("section"):
        return Authority(
            AuthorityKind.STATUTE,
            f"{int(tokens['title'])} U.S.C.",
            _section_id(tokens["section"]),
            path,
        )
    named = next((s for s in rule_sets() if s.name == template), None)
    if named and tokens.get("rule"):
        return _authority(AuthorityKind.FEDERAL_RULE, named.prefix, tokens["rule"], path)
    return None


def find_mentions(text: str, court: str | None = None, rules: str | None = None) -> list[Mention]:
    """Every rule, statute and docket reference in `text`, in order, with character spans.

    `court` is the district whose local rules a bare "L.R. 230" or "Local Rule 230" means (the
    court of the document); without one such a rule keeps the prefix as written ("L.R. 230").
    `rules` is the prefix a bare "Rule 26" means: the book's own set inside a rule book, the
    Civil Rules anywhere else.
    """
    bare_set = rule_set(rules) or civil_rules()
    # Each pattern runs only on text holding its cheap cue: most passages cite little.
    groups = [
        *(_local(text, court) if LOCAL_CUE.search(text) else ()),
        *(_federal(text, court, bare_set) if RULE_CUE.search(text) else ()),
        *(_statutes(text) if CODE_CUE.search(text) else ()),
        *(_sections(text) if SECTION_CUE.search(text) else ()),
        *(_dockets(text) if DOCKET_CUE.search(text) else ()),
        *_short_forms(text),
    ]
    groups.sort(key=lambda g: (g.start, -g.end))
    mentions: list[Mention] = []
    last_end, title = -1, None
    titles = known_titles()
    for group in groups:
        if group.start < last_end:
            continue  # "Rule 230" inside "Local Rule 230", "§ 1983" inside "42 U.S.C. § 1983"
        last_end = group.end
        for mention in group.mentions:
            target = mention.target
            if isinstance(target, Authority) and target.kind is AuthorityKind.STATUTE:
                target = replace(target, number=_section_id(target.number))
                if not target.code:
                    known = titles.get(target.number)
                    if known is None and len(target.number) >= 3:
                        known = title  # "§ 12" is more likely a paragraph than a section
                    if known is None:
                        continue  # a section of an unknown title is not a citation we can name
                    target = replace(target, code=f"{known} U.S.C.")
                else:
                    title = int(target.code.split()[0])
                mention = replace(mention, target=target)
            mentions.append(mention)
    return mentions


def authority_ids(text: str, court: str | None = None, rules: str | None = None) -> tuple[str, ...]:
    """Unique canonical ids of the rules and statutes `text` cites, in order of first mention."""
    found = find_mentions(text, court, rules)
    ids = (m.target.id for m in found if isinstance(m.target, Authority))
    return tuple(dict.fromkeys(ids))


def case_citations(text: str) -> list[str]:
    """Reporter citations of cases ("975 F.2d 604"), unique, in order, found by eyecite."""
    from eyecite import get_citations  # loads the reporter database; only needed here
    from eyecite.models import FullCaseCitation

    found = (c.corrected_citation() for c in get_citations(text) if isinstance(c, FullCaseCitation))
    return list(dict.fromkeys(found))
