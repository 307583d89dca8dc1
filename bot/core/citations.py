"""Citation grammar: find rule, statute and docket references in text, normalize and format them."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from bot.core.courts import court_from_caption, court_profile, court_profiles
from bot.core.errors import InputError, quoted
from bot.core.rule_sets import RuleSet, civil_rules, known_titles, rule_set, rule_sets
from bot.core.types import COURTLESS_LOCAL, Authority, AuthorityKind, DocketRef, Mention

FRCP_CODE = "Fed. R. Civ. P."


def rule_of(authority_id: str) -> str:
    """The whole rule or section an id lies in: "Fed. R. Civ. P. 12(a)(1)" -> "... 12"."""
    return authority_id.split("(", 1)[0]


def inside(outer: str, inner: str) -> bool:
    """True when authority id `inner` is `outer` or one of its subdivisions.

    A local rule whose court is not named ("L.R. 230") holds that rule of any court.
    """
    if inner == outer:
        return True
    if not outer.startswith(COURTLESS_LOCAL) and (
        not inner.startswith(outer) or inner[len(outer) : len(outer) + 1] != "("
    ):
        return False
    return contains(outer, inner)


# Subdivisions must touch the number ("26(b)(1)"): a space before "(" usually opens a
# parenthetical, not a subdivision. "( l)" with inner spaces occurs in PDF-converted orders.
_SUBS = r"(?:\(\s*(?:[A-Za-z]{1,5}|\d{1,3})\s*\))*"
_SUB = re.compile(r"\(\s*([A-Za-z]{1,5}|\d{1,3})\s*\)")

# Pleading paper prints line numbers 1-28 inline ("Local Rule 24 230(l)", "(Doc. 8 159.)").
# A small number directly followed by a number above 28 is taken to be such a line number.
_STRAY = r"(?:(?:[1-9]|1\d|2[0-8])\s+(?=(?:29|[3-9]\d|[1-9]\d{2,})(?!\d)))?"


def _spellings(sets: tuple[RuleSet, ...]) -> str:
    return "|".join(f"(?P<s{k}>{'|'.join(s.spellings)})" for k, s in enumerate(sets))


# Every federal rule set's spellings, each in its own group, then a bare "Rule 26". A bare rule
# followed by "of the Federal Rules of Evidence" belongs to the set named after it.
_FED = re.compile(
    rf"""
    \b(?P<prefix>{_spellings(rule_sets())}
      | (?P<bare>Rules?)
    )
    \s+{_STRAY}
    (?P<number>\d{{1,4}}(?:\.\d)?)(?![\d.]?\d|[A-Za-z])
    (?P<path>{_SUBS})
    """,
    re.VERBOSE | re.IGNORECASE,
)
_OF_SET = re.compile(rf"\s+of\s+the\s+(?:{_spellings(rule_sets())})", re.IGNORECASE)

_LOCAL = re.compile(
    rf"""
    (?:
        \b(?P<district>[NSEWCM])\.\s?D\.\s?(?P<state>[A-Z][a-z]{{1,4}})\.\s*   # "E.D. Cal."
      | \b(?P<caption>(?:Northern|Eastern|Southern|Central|Western|Middle)\s+District\s+
           (?:of\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+
    )?
    (?P<prefix>\b(?:Civ(?:il|\.)\s?)?L\.\s?R\.|\b(?:Civil\s+)?Local\s+Rules?|\bLoc\.\s?R\.)
    \s+{_STRAY}
    # "250.2", "230", "7-3", and the pre-2009 numbering "37-251" / "83-183"
    (?P<number>\d{{1,3}}(?:-\d{{1,3}})?(?:\.\d{{1,2}})?)(?!\d)
    (?P<path>{_SUBS})
    """,
    re.VERBOSE | re.IGNORECASE,
)

# "1915", "1915A", "1997e", "2000cc-1" (a letter suffix may take a dash and a number)
_SECTION_NUMBER = r"\d{1,5}(?:[A-Za-z]{1,3}(?:[-–]\d{1,3})?)?"

_STATUTE = re.compile(
    rf"""
    # Up to two line numbers may sit around the title ("42 18 U.S.C.", "17 18 42 U.S.C.").
    (?P<titles>\b\d{{1,2}}(?:\s+\d{{1,2}}){{0,2}})\s+
    U\.?\s?S\.?\s?C(?:\.?\s?A\b\.?|\.|ode\b|\b)
    \s*(?:\d{{1,2}}\s+(?=§))?                        # "U.S.C. 5 § 1651(a)"
    (?P<prefix>§§|§)?\s*
    (?P<number>{_SECTION_NUMBER})(?![A-Za-z\d])
    (?P<path>{_SUBS})
    """,
    re.VERBOSE | re.IGNORECASE,
)

# A section without its title: "§ 1983 cases", "section 1915(e)(1)".
_SECTION = re.compile(
    rf"""
    (?P<prefix>§§|§|\bsections?\b)\s*
    (?P<number>{_SECTION_NUMBER})(?![A-Za-z\d])
    (?P<path>{_SUBS})
    """,
    re.VERBOSE | re.IGNORECASE,
)

_DOCKET = re.compile(
    rf"""
    (?<![HS]\.\s)                                # "H. Doc. 108–56" is a House Document
    \b(?P<prefix>ECF|Doc\.|Docket|Dckt\.|Dkt\.)(?:\s+(?:Entry\s+)?Nos?\.)?\s*
    {_STRAY}(?P<number>\d{{1,4}})(?![\d:]|[–-]\d)
    """,
    re.VERBOSE | re.IGNORECASE,
)

# What joins list items: "Rules 33 and 34", "L.R. 250.2, 250.3, 250.4", "ECF Nos. 93 & 100".
_JOIN = r"(?P<join>\s*,\s*(?:and\s+|or\s+|&\s*)?|\s+(?:and|or)\s+|\s*&\s*)"
_NEXT_NUMBER = {
    AuthorityKind.FEDERAL_RULE: r"\d{1,4}(?:\.\d)?(?![\d.]?\d|[A-Za-z])",  # "71A" is no rule
    AuthorityKind.LOCAL_RULE: r"\d{1,3}(?:-\d{1,3})?(?:\.\d{1,2})?(?!\d)",
    AuthorityKind.STATUTE: rf"{_SECTION_NUMBER}(?![A-Za-z\d])",
}
_NEXT = {
    kind: re.compile(
        rf"{_JOIN}(?:{_STRAY}(?P<number>{number})(?P<path>{_SUBS})|(?P<sibling>(?:{_SUB.pattern})+))"
        r"(?!\s*U\.?\s?S\.?\s?C)",  # "§ 1983 and 28 U.S.C." starts a new citation
        re.IGNORECASE,
    )
    for kind, number in _NEXT_NUMBER.items()
}
# "Rules 1, 16, and 26-37", "Rules 26 through 37"
_RANGE = re.compile(r"\s*(?:-|–|through)\s*(?P<end>\d{1,4})(?!\d|\.\d|\()")
_NEXT_DOCKET = re.compile(rf"{_JOIN}(?P<number>\d{{1,4}})(?![\d:])")
_PINPOINT = re.compile(
    r"""
    \s+at\s+(?P<at>\d{1,3}(?::\d{1,2})?(?:\s*[-–]\s*\d{1,3}(?::\d{1,2})?)?(?:\s*¶\s*\d+)?)
  | \s*(?P<para>¶\s*\d+)
    """,
    re.VERBOSE,
)
# After a comma alone, a number of at most 28 followed by a word is a line number, not an item.
_WORD_AFTER = re.compile(r"\s+[A-Za-z]")


@dataclass(frozen=True)
class _Group:
    """Mentions found from one prefix (a list gives several), kept or dropped together."""

    start: int
    end: int
    mentions: tuple[Mention, ...]


def _path(text: str) -> tuple[str, ...]:
    return tuple(_SUB.findall(text))


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
        and bool(_WORD_AFTER.match(text, end))
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
    r = _RANGE.match(text, end) if found and not item.path else None
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
    first = _authority(kind, code, m["number"], _path(m["path"]))
    if first is None:
        return None
    found, pos = _range(text, m.start(), m.end(), first)
    while n := _NEXT[kind].match(text, pos):
        previous = found[-1].target
        if n["sibling"]:
            # "Rule 26(b)(1) and (2)": the sibling replaces the innermost levels.
            sibling = _path(n["sibling"])
            if len(sibling) > len(previous.path):
                break
            item = replace(previous, path=previous.path[: -len(sibling)] + sibling)
        elif not _plural(m["prefix"] or "") or _is_line_number(
            text, n.end(), n["number"], n["join"]
        ):
            break
        else:
            item = _authority(kind, code, n["number"], _path(n["path"]))
            if item is None:
                break
        start = n.start("sibling") if n["sibling"] else n.start("number")
        items, pos = _range(text, start, n.end(), item)
        found += items
    return _Group(m.start(), pos, tuple(found))


def _matched_set(m: re.Match) -> RuleSet | None:
    return next((s for k, s in enumerate(rule_sets()) if m[f"s{k}"]), None)


def _local_code(court: str | None, spelled: str) -> str:
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
    for m in _FED.finditer(text):
        number = m["number"]
        named = _matched_set(m)
        if m["bare"]:
            after = _OF_SET.match(text, m.end())  # "Rule 56 of the Federal Rules of ..."
            named = _matched_set(after) if after else bare_set
        if m["bare"] and named and not named.numbered(number) and named.bare:
            if court is None:
                continue  # no civil rule is that high, and no court says whose local rule it is
            # No civil rule is that high: in a district court's order "Rule 230" is a local rule.
            group = _list(text, m, AuthorityKind.LOCAL_RULE, _local_code(court, "L.R."))
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
    for m in _LOCAL.finditer(text):
        if m["district"]:
            court_here: str | None = f"{m['district'].upper()}.D. {m['state'].capitalize()}."
        elif m["caption"]:
            court_here = court_from_caption(m["caption"]) or court
        else:
            court_here = court
        groups.append(
            _list(text, m, AuthorityKind.LOCAL_RULE, _local_code(court_here, m["prefix"]))
        )
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
    for m in _STATUTE.finditer(text):
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
    groups = [_list(text, m, AuthorityKind.STATUTE, "") for m in _SECTION.finditer(text)]
    return [g for g in groups if g]


def _dockets(text: str) -> list[_Group]:
    groups = []
    for m in _DOCKET.finditer(text):
        numbers, pos = [int(m["number"])], m.end()
        while (n := _NEXT_DOCKET.match(text, pos)) and not _is_line_number(
            text, n.end(), n["number"], n["join"]
        ):
            numbers.append(int(n["number"]))
            pos = n.end()
        pinpoint = None
        if p := _PINPOINT.match(text, pos):
            pinpoint = re.sub(r"\s+", " ", p["at"] or p["para"].replace(" ", ""))
            pos = p.end()
        ref = DocketRef(tuple(numbers), pinpoint)
        groups.append(
            _Group(m.start(), pos, (Mention(m.start(), pos, text[m.start() : pos], ref),))
        )
    return groups


@cache
def _citator():
    from citeurl import Citator  # loads its templates (a fifth of a second): only when needed

    return Citator(defaults=["general federal law"])


def _short_forms(text: str) -> list[_Group]:
    """ "Id. at (c)(1)" and "id. § 1915(g)" read by citeurl, which follows what "id." refers to."""
    if not _ID.search(text):
        return []
    groups = []
    for cite in _citator().list_cites(text):
        if cite.parent is None or not _ID.match(cite.text):
            continue
        authority = _from_citeurl(cite.template.name, cite.tokens)
        if authority is not None:
            start, end = cite.span
            groups.append(_Group(start, end, (Mention(start, end, text[start:end], authority),)))
    return groups


_ID = re.compile(r"\b[Ii]d\.\s*(?:at\s*\(|§|\()")
_LOCAL_CUE = re.compile(r"L\.\s?R\.|Local\s+Rule|Loc\.\s?R\.", re.IGNORECASE)
_RULE_CUE = re.compile(r"\bRule|\bFed|\bF\.?\s?R\.?\s?[ACE]", re.IGNORECASE)
_CODE_CUE = re.compile(r"U\.?\s?S\.?\s?C", re.IGNORECASE)
_SECTION_CUE = re.compile(r"§|\bsection", re.IGNORECASE)
_DOCKET_CUE = re.compile(r"\b(?:ECF|Doc|Docket|Dckt|Dkt)\b", re.IGNORECASE)


def _from_citeurl(template: str, tokens: dict) -> Authority | None:
    """citeurl's reading as a procbot Authority: U.S. Code sections and federal rule sets."""
    path = _path(tokens.get("subsection") or "")
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
        *(_local(text, court) if _LOCAL_CUE.search(text) else ()),
        *(_federal(text, court, bare_set) if _RULE_CUE.search(text) else ()),
        *(_statutes(text) if _CODE_CUE.search(text) else ()),
        *(_sections(text) if _SECTION_CUE.search(text) else ()),
        *(_dockets(text) if _DOCKET_CUE.search(text) else ()),
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


_EXAMPLES = (
    "for example 'Fed. R. Civ. P. 26(b)(1)', 'Fed. R. App. P. 4(a)(1)(A)', 'FRE 801(d)(2)', "
    "'E.D. Cal. L.R. 230(l)' or '28 U.S.C. § 1915(e)(1)'"
)


@lru_cache(maxsize=65_536)
def parse_authority(text: str, court: str | None = None) -> Authority:
    """The one rule or statute that `text` is, in canonical or loose spelling.

    Remembered per text and court (an Authority is frozen): the authority index and every
    containment check parse the same few thousand ids again and again.
    """
    stripped = text.strip()
    if not stripped:
        raise InputError(f"No citation was given; write one, {_EXAMPLES}.")
    mentions = find_mentions(stripped, court)
    authorities = [m for m in mentions if isinstance(m.target, Authority)]
    if len(authorities) > 1:
        raise InputError(f"{quoted(stripped)} names more than one citation; give one at a time.")
    if mentions and not authorities:
        raise InputError(f"{quoted(stripped)} is a docket entry, not a rule or statute.")
    if authorities:
        mention = authorities[0]
        rest = stripped[: mention.start] + stripped[mention.end :]
        if not rest.strip(" .,;:"):
            return mention.target
    whole = stripped.rstrip(" .,;:")
    if (m := _FED.fullmatch(whole)) and (named := _matched_set(m) or civil_rules()):
        raise InputError(
            f"{quoted(stripped)} is not one of the {named.name}: they run from Rule "
            f"{named.first} to Rule {named.last}."
        )
    if m := _SECTION.fullmatch(whole):
        raise InputError(
            f"{quoted(stripped)} does not say which title of the U.S. Code it is in; "
            f"write it as, for example, '28 U.S.C. § {m['number']}'."
        )
    if re.fullmatch(r"(?i)(rules?|local\s+rules?|l\.r\.|fed\. r\. civ\. p\.|§+)", stripped):
        raise InputError(f"{quoted(stripped)} has no rule or section number; {_EXAMPLES}.")
    # Spellings procbot's own grammar does not know ("F.R.A.P. 24"), read by citeurl.
    found = [c for c in _citator().list_cites(whole) if c.span == (0, len(whole))]
    if found and (authority := _from_citeurl(found[0].template.name, found[0].tokens)):
        return authority
    raise InputError(f"{quoted(stripped)} is not a citation procbot understands; {_EXAMPLES}.")


_BARE = re.compile(
    rf"""
    (?P<section>§§?\s*|sections?\s+)?
    (?P<number>\d{{4,5}}(?:[A-Za-z]{{1,3}}(?:-\d{{1,3}})?)?|\d{{1,3}}(?:-\d{{1,3}})?(?:\.\d{{1,2}})?)(?![\w.])
    (?P<path>{_SUBS})
    """,
    re.VERBOSE | re.IGNORECASE,
)


def authority_candidates(query: str, court: str | None = None) -> list[Authority]:
    """Every plausible reading of a short lookup query such as "26(b)(1)", "230(l)" or "1983".

    A bare number can be a rule of any federal set that has it (the Civil Rules first), a
    section of the U.S. Code, or a local rule of `court` (of every profiled court when no
    court is given); the caller keeps the readings its knowledge base holds.
    """
    stripped = query.strip().rstrip(".,;:")
    m = _BARE.fullmatch(stripped)
    bare = _FED.fullmatch(stripped)
    if bare and bare["bare"] and not civil_rules().numbered(bare["number"]):
        # "Rule 230(l)": no Civil Rule is that high, so a local rule (of `court`, or any court)
        return _local_readings(bare["number"], _path(bare["path"]), court)
    if m is None:
        found = parse_authority(stripped, court)
        if found.kind is AuthorityKind.LOCAL_RULE and found.code in COURTLESS_LOCAL:
            return _local_readings(found.number, found.path, court)
        return [found]
    number, path = m["number"], _path(m["path"])
    if m["section"] or re.fullmatch(r"\d{4,5}[A-Za-z-\d]*", number):
        first = known_titles().get(number, 28)
        titles = dict.fromkeys((first, 28, 42))
        return [Authority(AuthorityKind.STATUTE, f"{t} U.S.C.", number, path) for t in titles]
    sets = [s for s in rule_sets() if "-" not in number and s.numbered(number)]
    federal = [Authority(AuthorityKind.FEDERAL_RULE, s.prefix, number, path) for s in sets]
    if sets and sets[0].bare:
        return federal  # "26(b)(1)": a Civil Rule first, then other sets that number it so
    return _local_readings(number, path, court) + federal


def _local_readings(number: str, path: tuple[str, ...], court: str | None) -> list[Authority]:
    courts = [court] if court else [p.name for p in court_profiles()]
    codes = dict.fromkeys(_local_code(c, "L.R.") for c in courts)
    return [Authority(AuthorityKind.LOCAL_RULE, code, number, path) for code in codes]


def contains(outer_id: str, inner_id: str) -> bool:
    """True when the authority `inner_id` is `outer_id` or one of its subdivisions."""
    return parse_authority(outer_id).contains(parse_authority(inner_id))


def format_authority(authority: Authority, long: bool = False) -> str:
    """The citation for people: the canonical id, or spelled out with `long=True`."""
    if not long:
        return authority.id
    path = "".join(f"({p})" for p in authority.path)
    if authority.kind is AuthorityKind.FEDERAL_RULE and (found := rule_set(authority.code)):
        return f"{found.long} {authority.number}{path}"
    if authority.kind is AuthorityKind.LOCAL_RULE:
        court = re.sub(r"\s*(?:Civ\.\s)?(?:L\.R\.|Loc\. R\.)$", "", authority.code)
        return f"Local Rule {authority.number}{path}" + (f" ({court})" if court else "")
    return authority.id


def case_citations(text: str) -> list[str]:
    """Reporter citations of cases ("975 F.2d 604"), unique, in order, found by eyecite."""
    from eyecite import get_citations  # loads the reporter database; only needed here
    from eyecite.models import FullCaseCitation

    found = (c.corrected_citation() for c in get_citations(text) if isinstance(c, FullCaseCitation))
    return list(dict.fromkeys(found))
