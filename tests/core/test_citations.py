"""Tests for the citation grammar on real citation spellings from the reference corpus."""

from __future__ import annotations

import pytest

from bot.core.citations import authority_ids, case_citations, find_mentions
from bot.core.cite_parse import parse_authority
from bot.core.types import Authority, DocketRef

FRCP = "Fed. R. Civ. P."
EDCAL = "E.D. Cal. L.R."

# (text, [(canonical id, words as written), ...])
MENTIONS = [
    # masterson-v-killen-2014-11-24.txt
    (
        "with the court unless required by Local Rules 250.2, 250.3, and 250.4. (Doc. 42 ¶1.)",
        [
            (f"{EDCAL} 250.2", "Local Rules 250.2"),
            (f"{EDCAL} 250.3", "250.3"),
            (f"{EDCAL} 250.4", "250.4"),
            ("ECF No. 42 ¶1", "Doc. 42 ¶1"),
        ],
    ),
    # masterson-v-killen-2014-11-24.txt
    (
        'the possibility of settlement." (Doc. 43 at 1:19-20.)',
        [("ECF No. 43 at 1:19-20", "Doc. 43 at 1:19-20")],
    ),
    # gradford-v-mcdougall-2018-09-04.txt
    (
        "TO FILE DISCOVERY DOCUMENTS MCDOUGALL, et al., (ECF No. 48.)",
        [("ECF No. 48", "ECF No. 48")],
    ),
    # gradford-v-mcdougall-2018-09-04.txt
    ("(ECF Nos. 41, 42, 43.)", [("ECF Nos. 41, 42, 43", "ECF Nos. 41, 42, 43")]),
    # calloway-v-montgomery-2012-07-23.txt: a list after the singular "No."
    ("(ECF No. 90, 92)", [("ECF Nos. 90, 92", "ECF No. 90, 92")]),
    # pc-hollis-v-bal.txt: "19 20" are pleading line numbers, not entries
    ("ECF Nos. 93 & 100 19 20 Plaintiff has", [("ECF Nos. 93, 100", "ECF Nos. 93 & 100")]),
    # pc-hollis-v-bal.txt: the "15" after the number is the next line's number
    ("(ECF No. 87 15 Defendants", [("ECF No. 87", "ECF No. 87")]),
    # branch-v-umphenour.txt: the "8" before the number is a line number
    ("a reply to the opposition. (Doc. 8 159.)", [("ECF No. 159", "Doc. 8 159")]),
    # branch-v-umphenour.txt
    ("(Doc. 94 at 9 ¶20)", [("ECF No. 94 at 9 ¶20", "Doc. 94 at 9 ¶20")]),
    # warner-v-cate-2012-04-19.txt
    (
        "pursuant to Rule 56 of the Federal Rules of Civil Procedure. Dckt. No. 53.",
        [(f"{FRCP} 56", "Rule 56"), ("ECF No. 53", "Dckt. No. 53")],
    ),
    # pickering-v-clark-enenmoh-2015-10-27.txt
    (
        "for good cause. Fed. R. Civ. P. 16(b)(4).",
        [(f"{FRCP} 16(b)(4)", "Fed. R. Civ. P. 16(b)(4)")],
    ),
    # pc-nuno-v-eslick.txt
    (
        "Federal Rule of Civil Procedure 16(b)(4), a scheduling order",
        [(f"{FRCP} 16(b)(4)", "Federal Rule of Civil Procedure 16(b)(4)")],
    ),
    # pickering-v-clark-enenmoh-2015-04-22.txt
    (
        "Federal Rule of Civil Procedure 26(a)(1)(B), the parties",
        [(f"{FRCP} 26(a)(1)(B)", "Federal Rule of Civil Procedure 26(a)(1)(B)")],
    ),
    # cantu-v-ward-2021-11-23.txt
    ("Fed.R.Civ.P. 34(a)(1)", [(f"{FRCP} 34(a)(1)", "Fed.R.Civ.P. 34(a)(1)")]),
    # thomas-v-ravera-2017-11-29.txt
    ("Fed R. Civ. P. 45(b)(1)", [(f"{FRCP} 45(b)(1)", "Fed R. Civ. P. 45(b)(1)")]),
    # thomas-v-ravera-2017-11-29.txt
    (
        "Fed. R. Civ. P. 34(c), 45(a).",
        [(f"{FRCP} 34(c)", "Fed. R. Civ. P. 34(c)"), (f"{FRCP} 45(a)", "45(a)")],
    ),
    # thomas-v-ravera-2017-11-29.txt: "3" is a line number inside the list
    (
        "the requested information. Fed. R. Civ. P. 26, 3 45. A motion",
        [(f"{FRCP} 26", "Fed. R. Civ. P. 26"), (f"{FRCP} 45", "45")],
    ),
    # pc-smith-v-municipality-of-fresno.txt
    (
        "incomplete responses. Rule 37(a)(2)(3), Fed. R. Civ. P. The moving",
        [(f"{FRCP} 37(a)(2)(3)", "Rule 37(a)(2)(3)")],
    ),
    # pc-brookins-v-acosta.txt: "Federal Rules of Civil Procedure" with no number is no citation
    (
        "in compliance with Rule 5 of the Federal 8 Rules of Civil Procedure (Fed. R. Civ. P.) "
        "and Eastern District of California Local Rule 135.",
        [
            (f"{FRCP} 5", "Rule 5"),
            (f"{EDCAL} 135", "Eastern District of California Local Rule 135"),
        ],
    ),
    # pc-forster-v-clendenin.txt: a footnote mark glued to 45 makes "451", which is no rule
    ("Federal Rule of Civil Procedure 451 governs subpoenas", []),
    # berna-v-powell-2015-03-04.txt: "22 23" are two line numbers, not a rule
    ("Federal Rules of Civil Procedure 22 23 and the Local Rules of the United", []),
    # berna-v-powell-2015-03-04.txt: the "26" before the number is a line number
    (
        "See Local Rule 26 110; Fed. R. Civ. P. 41(b).",
        [(f"{EDCAL} 110", "Local Rule 26 110"), (f"{FRCP} 41(b)", "Fed. R. Civ. P. 41(b)")],
    ),
    # lee-v-alameida-c-o-hough-2011-07-07.txt
    (
        "but failed to do so. Local Rule 24 230(l). On May 9",
        [(f"{EDCAL} 230(l)", "Local Rule 24 230(l)")],
    ),
    # asberry-v-cate-2011-08-24.txt: "l" is a subdivision letter, spaced as the PDF left it
    ("Local Rule 230( l) provides in part", [(f"{EDCAL} 230(l)", "Local Rule 230( l)")]),
    # asberry-v-cate-2011-08-24.txt
    (
        "Federal Rule of Civil Procedure 12(b), and Local Rule 230(m)",
        [
            (f"{FRCP} 12(b)", "Federal Rule of Civil Procedure 12(b)"),
            (f"{EDCAL} 230(m)", "Local Rule 230(m)"),
        ],
    ),
    # bays-v-calhoun-2017-02-14.txt
    ("Local Rule 183(b) requires a party", [(f"{EDCAL} 183(b)", "Local Rule 183(b)")]),
    # washington-v-velos-2015-06-10.txt
    (
        "Local Rules 130, 133(b)(2), and 135 for cases",
        [
            (f"{EDCAL} 130", "Local Rules 130"),
            (f"{EDCAL} 133(b)(2)", "133(b)(2)"),
            (f"{EDCAL} 135", "135"),
        ],
    ),
    # strain-v-sandham-2007-11-13.txt: the pre-2009 numbering
    ("E.D. Cal. L.R. 37-251(c)(3).", [(f"{EDCAL} 37-251(c)(3)", "E.D. Cal. L.R. 37-251(c)(3)")]),
    # rules/edcal-local-rules-quoted.md: ", 2006" is a year, not a rule
    ("Earlier version (L.R. 83-183(b), 2006) read", [(f"{EDCAL} 83-183(b)", "L.R. 83-183(b)")]),
    # rules/edcal-local-rules-quoted.md: the list ends at a capitalized word, not a line number
    (
        "L.R. 250.2, 250.3, 250.4 Therefore, Plaintiff",
        [
            (f"{EDCAL} 250.2", "L.R. 250.2"),
            (f"{EDCAL} 250.3", "250.3"),
            (f"{EDCAL} 250.4", "250.4"),
        ],
    ),
    # rules/frcp-2022-12-01.md
    (
        "orders like those authorized by Rules 34 and 35. A reference",
        [(f"{FRCP} 34", "Rules 34"), (f"{FRCP} 35", "35")],
    ),
    # rules/frcp-2022-12-01.md: a sibling subdivision replaces the innermost level
    (
        "consistent with Rule 26(b)(1) and (2):",
        [(f"{FRCP} 26(b)(1)", "Rule 26(b)(1)"), (f"{FRCP} 26(b)(2)", "(2)")],
    ),
    # rules/frcp-2022-12-01.md
    (
        "service under Rule 4(e), (f), or (h) has a duty",
        [(f"{FRCP} 4(e)", "Rule 4(e)"), (f"{FRCP} 4(f)", "(f)"), (f"{FRCP} 4(h)", "(h)")],
    ),
    # rules/frcp-2022-12-01.md: roman-numeral level
    (
        "materials identified under Rule 26(a)(3)(A)(iii).",
        [(f"{FRCP} 26(a)(3)(A)(iii)", "Rule 26(a)(3)(A)(iii)")],
    ),
    # rules/frcp-2022-12-01.md: a decimal rule number
    ("added new Rule 5.1, affected Form 35", [(f"{FRCP} 5.1", "Rule 5.1")]),
    # rules/frcp-2022-12-01.md: "H. Doc." is a House Document, not a docket entry
    ("Ex. Comm. 1493; H. Doc. 108–56), and became effective", []),
    # epps-v-csp-sacramento-2014-12-03.txt
    (
        'unable to afford 24 counsel." 28 U.S.C. § 1915(e)(1); Agyeman',
        [("28 U.S.C. § 1915(e)(1)", "28 U.S.C. § 1915(e)(1)")],
    ),
    # epps-v-csp-sacramento-2014-12-03.txt: a bare § 1983 is title 42
    ("to represent indigent prisoners in § 1983 cases.", [("42 U.S.C. § 1983", "§ 1983")]),
    # henderson-v-felker-2013-10-15.txt: line numbers before the title
    (
        "rights action pursuant to 17 18 42 U.S.C. § 1983. This",
        [("42 U.S.C. § 1983", "42 U.S.C. § 1983")],
    ),
    # pc-nuno-v-eslick.txt: a line number between title and "U.S.C."
    ("relief under 42 18 U.S.C. § 1983.", [("42 U.S.C. § 1983", "42 18 U.S.C. § 1983")]),
    # pc-hollis-v-bal.txt: a line number between "U.S.C." and "§"
    (
        'the All Writs Act, 28 U.S.C. 5 § 1651(a) ("the Act")',
        [("28 U.S.C. § 1651(a)", "28 U.S.C. 5 § 1651(a)")],
    ),
    # sierra-v-defendant-not-shown-in-excerpt.txt: "U.S.C" without its last period
    ("action pursuant to 42 U.S.C § 1983.", [("42 U.S.C. § 1983", "42 U.S.C § 1983")]),
    # statutes/28-usc-1915-1915a.md (title)
    (
        '"28 U.S.C. §§ 1915, 1915A"',
        [("28 U.S.C. § 1915", "28 U.S.C. §§ 1915"), ("28 U.S.C. § 1915A", "1915A")],
    ),
    # issue examples
    ("42 U.S.C. 1983", [("42 U.S.C. § 1983", "42 U.S.C. 1983")]),
    ("42 U.S.C. § 1997e(a)", [("42 U.S.C. § 1997e(a)", "42 U.S.C. § 1997e(a)")]),
    (
        "Fed. R. Civ. P. 45(a)(1)(A)(iii)",
        [(f"{FRCP} 45(a)(1)(A)(iii)", "Fed. R. Civ. P. 45(a)(1)(A)(iii)")],
    ),
    ("Rules 26(b)(1) and 34", [(f"{FRCP} 26(b)(1)", "Rules 26(b)(1)"), (f"{FRCP} 34", "34")]),
    ("Rule 26 11 (b)", [(f"{FRCP} 26", "Rule 26")]),  # a stray line number, then "(b)"
    ("the Local Rules of Practice", []),
    ("Rule 230(l)", [(f"{EDCAL} 230(l)", "Rule 230(l)")]),  # no federal rule is above 86
]


@pytest.mark.parametrize(("text", "expected"), MENTIONS)
def test_find_mentions_ids_and_words(text: str, expected: list[tuple[str, str]]) -> None:
    # The texts come from E.D. Cal. orders and rule books: their court's local rules.
    mentions = find_mentions(text, court="E.D. Cal.")
    assert [(m.target.id, m.text) for m in mentions] == expected
    for m in mentions:
        assert text[m.start : m.end] == m.text


def test_find_mentions_spans_in_order() -> None:
    # masterson-v-killen-2014-11-24.txt
    text = "unless required by Local Rules 250.2, 250.3, and 250.4. (Doc. 42 ¶1.)"
    spans = [(m.start, m.end) for m in find_mentions(text)]
    assert spans == [(19, 36), (38, 43), (49, 54), (57, 67)]


def test_docket_ref_target() -> None:
    # gradford-v-mcdougall-2018-09-04.txt
    [mention] = find_mentions("(ECF Nos. 41, 42, 43.)")
    assert mention.target == DocketRef((41, 42, 43))


def test_ranges_expand_to_every_rule() -> None:
    # cantu-v-ward-2021-11-23.txt
    text = "Pursuant to Federal Rules of Civil Procedure 1, 16, and 26-37, the Court"
    numbers = [m.target.number for m in find_mentions(text)]
    assert numbers == ["1", "16", *map(str, range(26, 38))]
    # rules/frcp-2022-12-01.md
    assert authority_ids("motions under Rules 26 through 37.")[-1] == f"{FRCP} 37"


@pytest.mark.parametrize(
    ("text", "court", "expected"),
    [
        # masterson-v-killen-2014-11-24.txt: docket refs are left out, repeats once
        (
            "Local Rules 250.2, 250.3, and 250.4. (Doc. 42 ¶1.) ... Local Rule 250.2",
            "E.D. Cal.",
            (f"{EDCAL} 250.2", f"{EDCAL} 250.3", f"{EDCAL} 250.4"),
        ),
        # rules/edcal-local-rules-quoted.md: a bare L.R. takes the court given, in that court's
        # citation form (courts.yaml)
        ("L.R. 183(b) — Address changes", "N.D. Cal.", ("N.D. Cal. Civ. L.R. 183(b)",)),
        # ... and without a court it keeps the prefix as written, never a court's name
        ("L.R. 183(b) — Address changes", None, ("L.R. 183(b)",)),
        # issue example: a bare § takes the title of the earlier citation
        (
            "28 U.S.C. § 1915(e)(1) ... three strikes under § 1915(g)",
            "E.D. Cal.",
            ("28 U.S.C. § 1915(e)(1)", "28 U.S.C. § 1915(g)"),
        ),
        # a section of unknown title with no earlier title is not named
        ("see § 2255", "E.D. Cal.", ()),
    ],
)
def test_authority_ids(text: str, court: str | None, expected: tuple[str, ...]) -> None:
    assert authority_ids(text, court) == expected


def test_case_citations() -> None:
    # epps-v-csp-sacramento-2014-12-03.txt
    text = (
        "pursuant to 28 U.S.C. § 1915(e)(1). Terrell v. Brewer, 935 F.2d 1015, 1017 (9th Cir. "
        "1991); Wood v. Housewright, 900 F.2d 1332, 1335-36 (9th Cir. 1990)"
    )
    assert case_citations(text) == ["935 F.2d 1015", "900 F.2d 1332"]


@pytest.mark.corpus
def test_every_order_mention_reads_back(corpus) -> None:
    """Every authority found in the real orders has an id that parses to itself."""
    seen = 0
    for path in sorted((corpus / "orders").rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for mention in find_mentions(text, court="E.D. Cal."):
            assert text[mention.start : mention.end] == mention.text
            if isinstance(mention.target, Authority):
                assert parse_authority(mention.target.id) == mention.target, path.name
                seen += 1
    assert seen > 100
