"""The citation grammar's patterns: how rules, statutes and docket entries are written in text."""

from __future__ import annotations

import re

from bot.core.rule_sets import RuleSet, rule_sets
from bot.core.types import AuthorityKind

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
FED = re.compile(
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
OF_SET = re.compile(rf"\s+of\s+the\s+(?:{_spellings(rule_sets())})", re.IGNORECASE)

LOCAL = re.compile(
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

STATUTE = re.compile(
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
SECTION = re.compile(
    rf"""
    (?P<prefix>§§|§|\bsections?\b)\s*
    (?P<number>{_SECTION_NUMBER})(?![A-Za-z\d])
    (?P<path>{_SUBS})
    """,
    re.VERBOSE | re.IGNORECASE,
)

DOCKET = re.compile(
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
NEXT = {
    kind: re.compile(
        rf"{_JOIN}(?:{_STRAY}(?P<number>{number})(?P<path>{_SUBS})|(?P<sibling>(?:{_SUB.pattern})+))"
        r"(?!\s*U\.?\s?S\.?\s?C)",  # "§ 1983 and 28 U.S.C." starts a new citation
        re.IGNORECASE,
    )
    for kind, number in _NEXT_NUMBER.items()
}
# "Rules 1, 16, and 26-37", "Rules 26 through 37"
RANGE = re.compile(r"\s*(?:-|–|through)\s*(?P<end>\d{1,4})(?!\d|\.\d|\()")
NEXT_DOCKET = re.compile(rf"{_JOIN}(?P<number>\d{{1,4}})(?![\d:])")
PINPOINT = re.compile(
    r"""
    \s+at\s+(?P<at>\d{1,3}(?::\d{1,2})?(?:\s*[-–]\s*\d{1,3}(?::\d{1,2})?)?(?:\s*¶\s*\d+)?)
  | \s*(?P<para>¶\s*\d+)
    """,
    re.VERBOSE,
)
# After a comma alone, a number of at most 28 followed by a word is a line number, not an item.
WORD_AFTER = re.compile(r"\s+[A-Za-z]")

# "Id. at (c)(1)", "id. § 1915(g)": a short form citeurl reads from the citation before it.
ID_SHORT_FORM = re.compile(r"\b[Ii]d\.\s*(?:at\s*\(|§|\()")
# Cheap cues: a pattern runs only on text that holds its cue.
LOCAL_CUE = re.compile(r"L\.\s?R\.|Local\s+Rule|Loc\.\s?R\.", re.IGNORECASE)
RULE_CUE = re.compile(r"\bRule|\bFed|\bF\.?\s?R\.?\s?[ACE]", re.IGNORECASE)
CODE_CUE = re.compile(r"U\.?\s?S\.?\s?C", re.IGNORECASE)
SECTION_CUE = re.compile(r"§|\bsection", re.IGNORECASE)
DOCKET_CUE = re.compile(r"\b(?:ECF|Doc|Docket|Dckt|Dkt)\b", re.IGNORECASE)

# A bare lookup query: "26(b)(1)", "230(l)", "§ 1983", "2000cc-1".
BARE = re.compile(
    rf"""
    (?P<section>§§?\s*|sections?\s+)?
    (?P<number>\d{{4,5}}(?:[A-Za-z]{{1,3}}(?:-\d{{1,3}})?)?|\d{{1,3}}(?:-\d{{1,3}})?(?:\.\d{{1,2}})?)(?![\w.])
    (?P<path>{_SUBS})
    """,
    re.VERBOSE | re.IGNORECASE,
)


def subdivisions(text: str) -> tuple[str, ...]:
    """The subdivisions written in `text`, outermost first: "(b)(1)" -> ("b", "1")."""
    return tuple(_SUB.findall(text))


def matched_set(m: re.Match) -> RuleSet | None:
    """The rule set whose spelling `m` matched (None for a bare "Rule")."""
    return next((s for k, s in enumerate(rule_sets()) if m[f"s{k}"]), None)
