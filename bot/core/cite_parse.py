"""One citation at a time: parse it, read a bare query every way, containment, the long form."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.core.citations import citator, find_mentions, from_citeurl, local_code
from bot.core.cite_patterns import BARE, FED, SECTION, matched_set, subdivisions
from bot.core.courts import court_profiles
from bot.core.errors import InputError, quoted
from bot.core.rule_sets import civil_rules, known_titles, rule_set, rule_sets
from bot.core.types import COURTLESS_LOCAL, Authority, AuthorityKind


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
    if (m := FED.fullmatch(whole)) and (named := matched_set(m) or civil_rules()):
        raise InputError(
            f"{quoted(stripped)} is not one of the {named.name}: they run from Rule "
            f"{named.first} to Rule {named.last}."
        )
    if m := SECTION.fullmatch(whole):
        raise InputError(
            f"{quoted(stripped)} does not say which title of the U.S. Code it is in; "
            f"write it as, for example, '28 U.S.C. § {m['number']}'."
        )
    if re.fullmatch(r"(?i)(rules?|local\s+rules?|l\.r\.|fed\. r\. civ\. p\.|§+)", stripped):
        raise InputError(f"{quoted(stripped)} has no rule or section number; {_EXAMPLES}.")
    # Spellings procbot's own grammar does not know ("F.R.A.P. 24"), read by citeurl.
    found = [c for c in citator().list_cites(whole) if c.span == (0, len(whole))]
    if found and (authority := from_citeurl(found[0].template.name, found[0].tokens)):
        return authority
    raise InputError(f"{quoted(stripped)} is not a citation procbot understands; {_EXAMPLES}.")


def authority_candidates(query: str, court: str | None = None) -> list[Authority]:
    """Every plausible reading of a short lookup query such as "26(b)(1)", "230(l)" or "1983".

    A bare number can be a rule of any federal set that has it (the Civil Rules first), a
    section of the U.S. Code, or a local rule of `court` (of every profiled court when no
    court is given); the caller keeps the readings its knowledge base holds.
    """
    stripped = query.strip().rstrip(".,;:")
    m = BARE.fullmatch(stripped)
    bare = FED.fullmatch(stripped)
    if bare and bare["bare"] and not civil_rules().numbered(bare["number"]):
        # "Rule 230(l)": no Civil Rule is that high, so a local rule (of `court`, or any court)
        return _local_readings(bare["number"], subdivisions(bare["path"]), court)
    if m is None:
        found = parse_authority(stripped, court)
        if found.kind is AuthorityKind.LOCAL_RULE and found.code in COURTLESS_LOCAL:
            return _local_readings(found.number, found.path, court)
        return [found]
    number, path = m["number"], subdivisions(m["path"])
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
    codes = dict.fromkeys(local_code(c, "L.R.") for c in courts)
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
