"""Tests for reading one citation: parsing, the readings of a bare query, containment, long form."""

from __future__ import annotations

import pytest

from bot.core.cite_parse import authority_candidates, contains, format_authority, parse_authority
from bot.core.errors import InputError
from bot.core.types import Authority, AuthorityKind

FRCP = "Fed. R. Civ. P."
EDCAL = "E.D. Cal. L.R."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Fed. R. Civ. P. 5(d)(1)(A)",
            Authority(AuthorityKind.FEDERAL_RULE, FRCP, "5", ("d", "1", "A")),
        ),
        (
            "Federal Rule of Civil Procedure 37(a)(3)(B)",
            Authority(AuthorityKind.FEDERAL_RULE, FRCP, "37", ("a", "3", "B")),
        ),
        ("Rule 26(b)(1)", Authority(AuthorityKind.FEDERAL_RULE, FRCP, "26", ("b", "1"))),
        ("FRCP 26(b)(1)", Authority(AuthorityKind.FEDERAL_RULE, FRCP, "26", ("b", "1"))),
        ("rule 26(b)(1).", Authority(AuthorityKind.FEDERAL_RULE, FRCP, "26", ("b", "1"))),
        ("Fed. R. Civ. P. 5.1", Authority(AuthorityKind.FEDERAL_RULE, FRCP, "5.1")),
        ("L.R. 183(b)", Authority(AuthorityKind.LOCAL_RULE, EDCAL, "183", ("b",))),
        ("Local Rule 230(l)", Authority(AuthorityKind.LOCAL_RULE, EDCAL, "230", ("l",))),
        ("E.D. Cal. L.R. 250.2", Authority(AuthorityKind.LOCAL_RULE, EDCAL, "250.2")),
        ("Local Rule 110", Authority(AuthorityKind.LOCAL_RULE, EDCAL, "110")),
        (
            "28 U.S.C. § 1915(e)(1)",
            Authority(AuthorityKind.STATUTE, "28 U.S.C.", "1915", ("e", "1")),
        ),
        ("28 USC 1915(e)(1)", Authority(AuthorityKind.STATUTE, "28 U.S.C.", "1915", ("e", "1"))),
        ("42 U.S.C. 1983", Authority(AuthorityKind.STATUTE, "42 U.S.C.", "1983")),
        ("§ 1915A", Authority(AuthorityKind.STATUTE, "28 U.S.C.", "1915A")),
        ("42 U.S.C. § 1997e(a)", Authority(AuthorityKind.STATUTE, "42 U.S.C.", "1997e", ("a",))),
    ],
)
def test_parse_authority(text: str, expected: Authority) -> None:
    assert parse_authority(text, court="E.D. Cal.") == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hello", "not a citation procbot understands"),
        ("", "No citation was given"),
        ("   ", "No citation was given"),
        ("Rule", "has no rule or section number"),
        ("ECF No. 48", "docket entry"),
        ("Rules 33 and 34", "more than one citation"),
        ("Fed. R. Civ. P. 99", "run from Rule 1 to Rule 87"),
        ("Fed. R. Evid. 99", "run from Rule 101 to Rule 1103"),
        ("§ 2255", "which title of the U.S. Code"),
        ("see Rule 26 and more", "not a citation procbot understands"),
    ],
)
def test_parse_authority_rejects(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_authority(text)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # a Civil Rule first, then the other sets that have that number
        ("26(b)(1)", [f"{FRCP} 26(b)(1)", "Fed. R. App. P. 26(b)(1)", "Fed. R. Crim. P. 26(b)(1)"]),
        ("5(d)", [f"{FRCP} 5(d)", "Fed. R. App. P. 5(d)", "Fed. R. Crim. P. 5(d)"]),
        ("86", [f"{FRCP} 86"]),
        ("Rule 5", [f"{FRCP} 5"]),
        ("L.R. 183(b)", [f"{EDCAL} 183(b)"]),
        # the court's local rule first; the Evidence Rules number in the hundreds too
        ("230(l)", [f"{EDCAL} 230(l)", "Fed. R. Evid. 230(l)"]),
        ("250.2", [f"{EDCAL} 250.2", "Fed. R. Evid. 250.2"]),
        ("1915(e)(1)", ["28 U.S.C. § 1915(e)(1)", "42 U.S.C. § 1915(e)(1)"]),
        ("3626", ["18 U.S.C. § 3626", "28 U.S.C. § 3626", "42 U.S.C. § 3626"]),
        ("1983", ["42 U.S.C. § 1983", "28 U.S.C. § 1983"]),
        ("1997e", ["42 U.S.C. § 1997e", "28 U.S.C. § 1997e"]),
        ("§ 1915A", ["28 U.S.C. § 1915A", "42 U.S.C. § 1915A"]),
        ("28 U.S.C. § 1915(g)", ["28 U.S.C. § 1915(g)"]),
    ],
)
def test_authority_candidates(query: str, expected: list[str]) -> None:
    assert [a.id for a in authority_candidates(query, court="E.D. Cal.")] == expected


@pytest.mark.parametrize("query", ["", "garbage", "Rule", "what is rule 26"])
def test_authority_candidates_rejects(query: str) -> None:
    with pytest.raises(InputError):
        authority_candidates(query)


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        (f"{FRCP} 5(d)", f"{FRCP} 5(d)(1)(A)", True),
        (f"{FRCP} 5(d)", f"{FRCP} 5(d)", True),
        (f"{FRCP} 5", f"{FRCP} 5(d)", True),
        ("28 U.S.C. § 1915", "28 U.S.C. § 1915(e)(1)", True),
        (f"{FRCP} 5(d)", f"{FRCP} 5.1", False),
        (f"{FRCP} 5(d)", f"{FRCP} 5(c)", False),
        (f"{FRCP} 5(d)(1)(A)", f"{FRCP} 5(d)", False),
        (f"{FRCP} 26", f"{EDCAL} 260", False),
        (f"{EDCAL} 230(l)", f"{EDCAL} 230(l)", True),
        ("28 U.S.C. § 1983", "42 U.S.C. § 1983", False),
        ("28 U.S.C. § 1915", "28 U.S.C. § 1915A", False),
    ],
)
def test_contains(outer: str, inner: str, expected: bool) -> None:
    assert contains(outer, inner) is expected


@pytest.mark.parametrize(
    ("authority", "short", "long"),
    [
        (
            Authority(AuthorityKind.FEDERAL_RULE, FRCP, "5", ("d", "1", "A")),
            "Fed. R. Civ. P. 5(d)(1)(A)",
            "Federal Rule of Civil Procedure 5(d)(1)(A)",
        ),
        (
            Authority(AuthorityKind.LOCAL_RULE, EDCAL, "183", ("b",)),
            "E.D. Cal. L.R. 183(b)",
            "Local Rule 183(b) (E.D. Cal.)",
        ),
        (
            Authority(AuthorityKind.STATUTE, "28 U.S.C.", "1915", ("e", "1")),
            "28 U.S.C. § 1915(e)(1)",
            "28 U.S.C. § 1915(e)(1)",
        ),
    ],
)
def test_format_authority(authority: Authority, short: str, long: str) -> None:
    assert format_authority(authority) == short
    assert format_authority(authority, long=True) == long
    assert parse_authority(short) == authority  # the canonical form reads back, court and all
