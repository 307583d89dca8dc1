"""One citation grammar for every federal rule set, the U.S. Code's forms, "id." and local rules."""

from __future__ import annotations

import pytest

from bot.core.citations import authority_ids, find_mentions
from bot.core.cite_parse import contains, format_authority, parse_authority
from bot.core.courts import court_caveat, court_from_caption, local_rule_prefix

# (text as written, canonical id)
SPELLINGS = [
    # the examples
    ("Fed. R. App. P. 4(c)(1)", "Fed. R. App. P. 4(c)(1)"),
    ("FRAP 4(c)(1)", "Fed. R. App. P. 4(c)(1)"),
    ("FRE 801(d)(2)", "Fed. R. Evid. 801(d)(2)"),
    ("28 USC 1332(a)", "28 U.S.C. § 1332(a)"),
    ("28 U.S.C. § 636(b)(1)", "28 U.S.C. § 636(b)(1)"),
    # tran-v-young.txt (corpus): the Evidence Rules spelled out
    ("Federal Rule of Evidence 404(b)", "Fed. R. Evid. 404(b)"),
    # ndfla-jones-v-state-2008-01-23.txt (corpus-plus): "Fed.R.Civ.P." without spaces
    ("Fed.R.Civ.P. 7(b)(1)", "Fed. R. Civ. P. 7(b)(1)"),
    # rules/frcp-2022-12-01.md, Rule 58(e): an Appellate Rule inside the Civil Rules
    ("Federal Rule of Appellate Procedure 4(a)(4)", "Fed. R. App. P. 4(a)(4)"),
    ("Fed. R. Crim. P. 45(a)", "Fed. R. Crim. P. 45(a)"),
    # statutes/42-usc-2000cc-rluipa.md (corpus-plus): a section number with a dash
    ("42 U.S.C. § 2000cc-1(a)", "42 U.S.C. § 2000cc-1(a)"),
    ("42 U.S.C. § 2000cc–1(a)", "42 U.S.C. § 2000cc-1(a)"),  # written with an en dash
    # a spelling only citeurl knows
    ("F.R.A.P. 24", "Fed. R. App. P. 24"),
]


@pytest.mark.parametrize(("text", "expected"), SPELLINGS)
def test_spellings_parse_to_one_id_that_reads_back(text: str, expected: str) -> None:
    assert parse_authority(text).id == expected
    assert parse_authority(expected).id == expected


@pytest.mark.parametrize(
    ("text", "rules", "expected"),
    [
        # rules/frap-2024-12-01.md, Rule 4(a)(1)(A): inside the Appellate Rules a bare "Rule"
        # is an Appellate Rule ...
        ("except as provided in Rules 4(a)(1)(B), 4(a)(4), and 4(c), the notice of appeal "
         "required by Rule 3", "Fed. R. App. P.",
         ("Fed. R. App. P. 4(a)(1)(B)", "Fed. R. App. P. 4(a)(4)", "Fed. R. App. P. 4(c)",
          "Fed. R. App. P. 3")),
        # ... and anywhere else a Civil Rule
        ("the notice of appeal required by Rule 3", None, ("Fed. R. Civ. P. 3",)),
        # the set named after the number wins over the book's own
        ("Rule 56 of the Federal Rules of Civil Procedure", "Fed. R. App. P.",
         ("Fed. R. Civ. P. 56",)),
        # rules/frcp-2022-12-01.md, Rule 30(c)(1): numbers no Civil Rule has are left unnamed
        # inside the book, never guessed to be a court's local rules
        ("under the Federal Rules of Evidence, except Rules 103 and 615", "Fed. R. Civ. P.", ()),
    ],
)  # fmt: skip
def test_a_bare_rule_means_the_books_own_set(text, rules, expected) -> None:
    assert authority_ids(text, rules=rules) == expected


@pytest.mark.parametrize(
    ("text", "court", "expected"),
    [
        # ndfla-jones-v-state-2008-01-23.txt: the court named in the citation
        ("as required by N.D. Fla. Loc. R. 5.1(B)(3).", None, ("N.D. Fla. Loc. R. 5.1(B)(3)",)),
        # a bare local rule is the document's court's, in that court's form (courts.yaml)
        ("See Civil L.R. 7-3(a).", "N.D. Cal.", ("N.D. Cal. Civ. L.R. 7-3(a)",)),
        ("See Local Rule 230(l).", "E.D. Cal.", ("E.D. Cal. L.R. 230(l)",)),
        # no court: the rule keeps the prefix as written, never another court's name
        ("See Local Rule 230(l).", None, ("L.R. 230(l)",)),
        # "Rule 230" in an order of an unknown court: no civil rule, no court to give it to
        ("as Rule 230(l) requires", None, ()),
    ],
)
def test_local_rules_take_the_court_of_the_document(text, court, expected) -> None:
    assert authority_ids(text, court=court) == expected


def test_id_short_forms_follow_the_citation_before_them() -> None:
    # citeurl reads "Id. at (c)(1)" as the section cited just before it.
    text = "See 42 U.S.C. § 1997e(a). Id. at (c)(1)."
    assert authority_ids(text) == ("42 U.S.C. § 1997e(a)", "42 U.S.C. § 1997e(c)(1)")
    spans = [m.text for m in find_mentions(text)]
    assert spans == ["42 U.S.C. § 1997e(a)", "Id. at (c)(1)"]


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        # the same numbers in two rule sets are two different rules
        ("Fed. R. Civ. P. 39(d)", "Fed. R. App. P. 39(d)(2)", False),
        ("Fed. R. App. P. 39", "Fed. R. App. P. 39(d)(2)", True),
        # a local rule of an unnamed court contains that rule of any court
        ("L.R. 230", "E.D. Cal. L.R. 230(l)", True),
        ("E.D. Cal. L.R. 230", "N.D. Cal. Civ. L.R. 230(l)", False),
    ],
)
def test_containment_across_sets(outer: str, inner: str, expected: bool) -> None:
    assert contains(outer, inner) is expected


def test_long_forms_name_the_set() -> None:
    assert format_authority(parse_authority("FRE 801(d)(2)"), long=True) == (
        "Federal Rule of Evidence 801(d)(2)"
    )
    assert format_authority(parse_authority("N.D. Fla. Loc. R. 5.1"), long=True) == (
        "Local Rule 5.1 (N.D. Fla.)"
    )


def test_court_profiles() -> None:
    # ndcal-saddozai-v-atchley-2024-01-10.txt has no caption line; a Justia caption does.
    assert court_from_caption("UNITED STATES DISTRICT COURT 9 EASTERN DISTRICT OF CALIFORNIA") == (
        "E.D. Cal."
    )
    assert court_from_caption("IN THE UNITED STATES DISTRICT COURT FOR THE DISTRICT") is None
    assert court_from_caption("NORTHERN DISTRICT OF FLORIDA PANAMA CITY DIVISION") == "N.D. Fla."
    assert local_rule_prefix("N.D. Fla.") == "N.D. Fla. Loc. R."
    assert local_rule_prefix("D. Or.") == "D. Or. L.R."  # a district without a profile
    assert local_rule_prefix("U.S. courts of appeals") is None  # where a rule book applies


def test_court_caveat_for_orders_from_another_district() -> None:
    label = "Jones v. State, No. 5:07cv294-RS/MD (N.D. Fla. Jan. 23, 2008)"
    caveat = court_caveat(label, "N.D. Fla.", home="E.D. Cal.")
    assert caveat is not None and "persuasive only, not binding" in caveat
    assert "N.D. Fla." in caveat
    assert court_caveat(label, "E.D. Cal.", home="E.D. Cal.") is None
