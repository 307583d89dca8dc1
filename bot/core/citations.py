"""Citation grammar: find rule, statute and docket references in text, normalize and format them."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from bot.core.errors import InputError, quoted
from bot.core.types import Authority, AuthorityKind, DocketRef, Mention

FRCP_CODE = "Fed. R. Civ. P."
LAST_FRCP_RULE = 86  # Rule 86 (Effective Dates) is the last numbered rule.

# Sections whose title is certain even when the text writes only "§ 1983"; any other bare
# section takes the title of the nearest earlier "N U.S.C." in the same text.
KNOWN_TITLES = {"1915": 28, "1915A": 28, "1654": 28, "1651": 28, "1983": 42, "1997e": 42}

# Subdivisions must touch the number ("26(b)(1)"): a space before "(" usually opens a
# parenthetical, not a subdivision. "( l)" with inner spaces occurs in PDF-converted orders.
_SUBS = r"(?:\(\s*(?:[A-Za-z]{1,5}|\d{1,3})\s*\))*"
_SUB = re.compile(r"\(\s*([A-Za-z]{1,5}|\d{1,3})\s*\)")

# Pleading paper prints line numbers 1-28 inline ("Local Rule 24 230(l)", "(Doc. 8 159.)").
# A small number directly followed by a number above 28 is taken to be such a line number.
_STRAY = r"(?:(?:[1-9]|1\d|2[0-8])\s+(?=(?:29|[3-9]\d|[1-9]\d{2,})(?!\d)))?"

_FRCP = re.compile(
    rf"""
    \b(?P<prefix>
        Federal\s+Rules?\s+of\s+Civil\s+Procedure
      | Fed\.?\s*R\.?\s*Civ\.?\s*P(?:roc)?\.?        # Fed. R. Civ. P., Fed.R.Civ.P.
      | F\.?R\.?C\.?P\.?                             # FRCP, used by self-represented people
      | Rules?                                       # bare "Rule 26" means the federal rule
    )
    \s+{_STRAY}
    (?P<number>\d{{1,3}}(?:\.\d)?)(?![\d.]?\d|[A-Za-z])
    (?P<path>{_SUBS})
    """,
    re.VERBOSE | re.IGNORECASE,
)

_LOCAL = re.compile(
    rf"""
    (?:
        \b(?P<district>[NSEWCM])\.\s?D\.\s?(?P<state>[A-Z][a-z]{{1,4}})\.\s*   # "E.D. Cal."
      | \bEastern\s+District\s+(?:of\s+)?California\s+
    )?
    (?P<prefix>\bL\.\s?R\.|\bLocal\s+Rules?)
    \s+{_STRAY}
    # "250.2", "230", and the pre-2009 numbering "37-251" / "83-183"
    (?P<number>\d{{1,3}}(?:-\d{{1,3}})?(?:\.\d{{1,2}})?)(?!\d)
    (?P<path>{_SUBS})
    """,
    re.VERBOSE | re.IGNORECASE,
)

_STATUTE = re.compile(
    rf"""
    # Up to two line numbers may sit around the title ("42 18 U.S.C.", "17 18 42 U.S.C.").
    (?P<titles>\b\d{{1,2}}(?:\s+\d{{1,2}}){{0,2}})\s+
    U\.?\s?S\.?\s?C(?:\.?\s?A\b\.?|\.|ode\b|\b)
    \s*(?:\d{{1,2}}\s+(?=§))?                        # "U.S.C. 5 § 1651(a)"
    (?P<prefix>§§|§)?\s*
    (?P<number>\d{{1,5}}[A-Za-z]?)(?![A-Za-z\d])
    (?P<path>{_SUBS})
    """,
    re.VERBOSE | re.IGNORECASE,
)

# A section without its title: "§ 1983 cases", "section 1915(e)(1)".
_SECTION = re.compile(
    rf"""
    (?P<prefix>§§|§|\bsections?\b)\s*
    (?P<number>\d{{1,5}}[A-Za-z]?)(?![A-Za-z\d])
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
    AuthorityKind.FRCP: r"\d{1,2}(?:\.\d)?(?![\d.]?\d|[A-Za-z])",  # abrogated "71A" is no rule
    AuthorityKind.LOCAL_RULE: r"\d{1,3}(?:-\d{1,3})?(?:\.\d{1,2})?(?!\d)",
    AuthorityKind.STATUTE: r"\d{1,5}[A-Za-z]?(?![A-Za-z\d])",
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
_RANGE = re.compile(r"\s*(?:-|–|through)\s*(?P<end>\d{1,2})(?!\d|\.\d|\()")
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
    p = prefix.lower()
    return p.endswith("s") or p in {"§§", "l.r.", "l. r."} or p.startswith(("fed", "f."))


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
    if kind is AuthorityKind.FRCP and not 1 <= int(number.split(".")[0]) <= LAST_FRCP_RULE:
        return None
    return Authority(kind, code, number, path)


def _range(text: str, start: int, end: int, item: Authority) -> tuple[list[Mention], int]:
    """The item at text[start:end], or every rule of "26-37" / "26 through 37" it opens."""
    r = _RANGE.match(text, end) if item.kind is AuthorityKind.FRCP and not item.path else None
    if r and item.number.isdigit() and int(item.number) < int(r["end"]) <= LAST_FRCP_RULE:
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


def _frcp(text: str, court: str) -> list[_Group]:
    groups = []
    for m in _FRCP.finditer(text):
        number = m["number"]
        bare = m["prefix"].lower().startswith("rule")
        if bare and int(number.split(".")[0]) > LAST_FRCP_RULE:
            # No federal rule is that high: in an E.D. Cal. order "Rule 230" is a local rule.
            group = _list(text, m, AuthorityKind.LOCAL_RULE, f"{court} L.R.")
        else:
            follow = re.match(r"\s+(\d{1,2})\b", text[m.end() :])
            if not m["path"] and follow and int(follow[1]) == int(float(number)) + 1:
                continue  # "Procedure 22 23 and": two pleading line numbers, no rule cited
            group = _list(text, m, AuthorityKind.FRCP, FRCP_CODE)
        if group:
            groups.append(group)
    return groups


def _local(text: str, court: str) -> list[_Group]:
    groups = []
    for m in _LOCAL.finditer(text):
        if m["district"]:
            court_here = f"{m['district'].upper()}.D. {m['state'].capitalize()}."
        else:
            court_here = "E.D. Cal." if m[0].lower().startswith("eastern") else court
        groups.append(_list(text, m, AuthorityKind.LOCAL_RULE, f"{court_here} L.R."))
    return [g for g in groups if g]


def _title(numbers: list[int]) -> int:
    """The title among numbers around "U.S.C.": the others are consecutive line numbers."""
    for i, n in enumerate(numbers):
        rest = numbers[:i] + numbers[i + 1 :]
        if all(b == a + 1 for a, b in itertools.pairwise(rest)):
            return n
    return numbers[-1]


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


def find_mentions(text: str, court: str = "E.D. Cal.") -> list[Mention]:
    """Every rule, statute and docket reference in `text`, in order, with character spans."""
    groups = [
        *_local(text, court),
        *_frcp(text, court),
        *_statutes(text),
        *_sections(text),
        *_dockets(text),
    ]
    groups.sort(key=lambda g: (g.start, -g.end))
    mentions: list[Mention] = []
    last_end, title = -1, None
    for group in groups:
        if group.start < last_end:
            continue  # "Rule 230" inside "Local Rule 230", "§ 1983" inside "42 U.S.C. § 1983"
        last_end = group.end
        for mention in group.mentions:
            target = mention.target
            if isinstance(target, Authority) and target.kind is AuthorityKind.STATUTE:
                if not target.code:
                    known = KNOWN_TITLES.get(target.number)
                    if known is None and len(target.number) >= 3:
                        known = title  # "§ 12" is more likely a paragraph than a section
                    if known is None:
                        continue  # a section of an unknown title is not a citation we can name
                    mention = replace(mention, target=replace(target, code=f"{known} U.S.C."))
                else:
                    title = int(target.code.split()[0])
            mentions.append(mention)
    return mentions


def authority_ids(text: str, court: str = "E.D. Cal.") -> tuple[str, ...]:
    """Unique canonical ids of the rules and statutes `text` cites, in order of first mention."""
    ids = (m.target.id for m in find_mentions(text, court) if isinstance(m.target, Authority))
    return tuple(dict.fromkeys(ids))


_EXAMPLES = "for example 'Fed. R. Civ. P. 26(b)(1)', 'L.R. 230(l)' or '28 U.S.C. § 1915(e)(1)'"


def parse_authority(text: str, court: str = "E.D. Cal.") -> Authority:
    """The one rule or statute that `text` is, in canonical or loose spelling."""
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
    if m := _FRCP.fullmatch(stripped.rstrip(" .,;:")):
        raise InputError(
            f"{quoted(stripped)} is not a federal rule: the Federal Rules of Civil Procedure "
            f"end at Rule {LAST_FRCP_RULE}."
        )
    if m := _SECTION.fullmatch(stripped.rstrip(" .,;:")):
        raise InputError(
            f"{quoted(stripped)} does not say which title of the U.S. Code it is in; "
            f"write it as, for example, '28 U.S.C. § {m['number']}'."
        )
    if re.fullmatch(r"(?i)(rules?|local\s+rules?|l\.r\.|fed\. r\. civ\. p\.|§+)", stripped):
        raise InputError(f"{quoted(stripped)} has no rule or section number; {_EXAMPLES}.")
    raise InputError(f"{quoted(stripped)} is not a citation procbot understands; {_EXAMPLES}.")


_BARE = re.compile(
    rf"""
    (?P<section>§§?\s*|sections?\s+)?
    (?P<number>\d{{4}}[A-Za-z]?|\d{{1,3}}(?:-\d{{1,3}})?(?:\.\d{{1,2}})?)(?![\w.])
    (?P<path>{_SUBS})
    """,
    re.VERBOSE | re.IGNORECASE,
)


def authority_candidates(query: str, court: str = "E.D. Cal.") -> list[Authority]:
    """Every plausible reading of a short lookup query such as "26(b)(1)", "230(l)" or "1983"."""
    stripped = query.strip().rstrip(".,;:")
    m = _BARE.fullmatch(stripped)
    if m is None:
        return [parse_authority(stripped, court)]
    number, path = m["number"], _path(m["path"])
    if m["section"] or re.fullmatch(r"\d{4}[A-Za-z]?", number):
        # Both titles procbot knows; the caller keeps the ones its knowledge base holds.
        first = KNOWN_TITLES.get(number, 28)
        titles = (first, 42 if first == 28 else 28)
        return [Authority(AuthorityKind.STATUTE, f"{t} U.S.C.", number, path) for t in titles]
    if "-" not in number and int(number.split(".")[0]) <= LAST_FRCP_RULE and len(number) <= 4:
        return [Authority(AuthorityKind.FRCP, FRCP_CODE, number, path)]
    return [Authority(AuthorityKind.LOCAL_RULE, f"{court} L.R.", number, path)]


def contains(outer_id: str, inner_id: str) -> bool:
    """True when the authority `inner_id` is `outer_id` or one of its subdivisions."""
    return parse_authority(outer_id).contains(parse_authority(inner_id))


def format_authority(authority: Authority, long: bool = False) -> str:
    """The citation for people: the canonical id, or spelled out with `long=True`."""
    if not long:
        return authority.id
    path = "".join(f"({p})" for p in authority.path)
    if authority.kind is AuthorityKind.FRCP:
        return f"Federal Rule of Civil Procedure {authority.number}{path}"
    if authority.kind is AuthorityKind.LOCAL_RULE:
        court = authority.code.removesuffix(" L.R.")
        return f"Local Rule {authority.number}{path} ({court})"
    return authority.id


def case_citations(text: str) -> list[str]:
    """Reporter citations of cases ("975 F.2d 604"), unique, in order, found by eyecite."""
    from eyecite import get_citations  # loads the reporter database; only needed here
    from eyecite.models import FullCaseCitation

    found = (c.corrected_citation() for c in get_citations(text) if isinstance(c, FullCaseCitation))
    return list(dict.fromkeys(found))


def inside(outer: str, inner: str) -> bool:
    """True when authority id `inner` is `outer` or one of its subdivisions."""
    if inner == outer:
        return True
    if not inner.startswith(outer) or inner[len(outer) : len(outer) + 1] != "(":
        return False
    return contains(outer, inner)
