"""Rule outlines: subdivision paths from markers, restored lost parents, capitalized headings."""

from __future__ import annotations

import pytest

from bot.ingest.outline import Paragraph, subdivide, title_case


@pytest.mark.parametrize(
    ("paragraphs", "paths"),
    [
        # Rule 4(h)(1)(B) then "(i) SERVING THE UNITED STATES": a letter after (h), by its heading.
        (["(h) SERVING A CORPORATION.", "(1) in a district:", "(A) in the manner;",
          "(B) by delivering a copy;", "(i) SERVING THE UNITED STATES AND ITS AGENCIES."],
         [(), ("h",), ("h", "1"), ("h", "1", "A"), ("h", "1", "B"), ("i",)]),
        # Rule 5(b)(2)(B)(i): roman numeral under (B).
        (["(b) SERVICE: HOW MADE.", "(2) Service in General. A paper is served by:",
          "(A) handing it to the person; (B) leaving it:", "(i) at the person’s office"],
         [(), ("b",), ("b", "2"), ("b", "2", "A"), ("b", "2", "B"), ("b", "2", "B", "i")]),
        # Rule 4(i)(1): "(A)(i) deliver ... —or (ii) send": compound and inline markers.
        (["(i) SERVING THE UNITED STATES.", "(1) United States. A party must: (A)(i) deliver "
          "a copy—or (ii) send a copy;"],
         [(), ("i",), ("i", "1"), ("i", "1", "A"), ("i", "1", "A", "i"), ("i", "1", "A", "ii")]),
        # Rule 4(d)(1): "under Rule 4(e), (f), or (h)" is a citation, not subdivisions.
        (["(d) WAIVING SERVICE.", "(1) Requesting a Waiver. An individual subject to service "
          "under Rule 4(e), (f), or (h) has a duty"],
         [(), ("d",), ("d", "1")]),
        # Evidence Rule 803: the exceptions are numbered with no lettered level, and the print
        # lost the indent of (8)(A)'s items, so "(i)" stands at the line start: a roman numeral
        # under (A), never a subdivision "(i)" of the rule.
        (["The following are not excluded by the rule against hearsay, regardless of whether "
          "the declarant is available as a witness:",
          "(1) Present Sense Impression. A statement describing an event.",
          "(2) Excited Utterance.", "(3) Then-Existing Condition.", "(4) Medical Diagnosis.",
          "(5) Recorded Recollection.", "(6) Records of a Regularly Conducted Activity.",
          "(7) Absence of a Record of a Regularly Conducted Activity.",
          "(8) Public Records. A record or statement of a public office if:",
          "(A) it sets out:", "(i) the office’s activities;", "(ii) a matter observed;",
          "(B) the opponent does not show a lack of trustworthiness.",
          "(9) Public Records of Vital Statistics."],
         [(), *[(str(n),) for n in range(1, 9)], ("8", "A"), ("8", "A", "i"), ("8", "A", "ii"),
          ("8", "B"), ("9",)]),
        # 42 U.S.C. § 2000cc-5 (Definitions): numbered terms, clauses (i)-(iii) under (4)(A).
        (["In this chapter:", "(1) Claimant", "The term “claimant” means a person raising a claim.",
          "(2) Demonstrates", "The term “demonstrates” means meets the burdens.",
          "(4) Government", "The term “government”", "(A) means",
          "(i) a State, county, municipality, or other governmental entity;",
          "(ii) any branch, department, agency, instrumentality, or official; and"],
         [(), ("1",), ("2",), ("4",), ("4", "A"), ("4", "A", "i"), ("4", "A", "ii")]),
    ],
)  # fmt: skip
def test_subdivision_paths(paragraphs: list[str], paths: list[tuple[str, ...]]) -> None:
    nodes = subdivide([Paragraph(p) for p in paragraphs])
    assert [path for path, _, _ in nodes] == paths


def test_lost_parent_marker_is_restored() -> None:
    # Rule 37: the "(c)" line was lost; "(1) Failure to Disclose or Supplement." follows (b)(2)(C).
    paragraphs = [
        "(b) FAILURE TO COMPLY.",
        "(2) Sanctions.",
        "(C) Payment of Expenses. The court.",
        "(1) Failure to Disclose or Supplement. If a party fails to provide information",
    ]
    nodes = subdivide([Paragraph(p) for p in paragraphs])
    assert nodes[-1][0] == ("c", "1")
    assert nodes[-1][1] == "Failure to Disclose or Supplement"


@pytest.mark.parametrize(
    ("caps", "title"),
    [
        ("SERVICE: WHEN REQUIRED", "Service: When Required"),  # Rule 5(a)
        ("TIME LIMIT FOR SERVICE", "Time Limit for Service"),  # Rule 4(m)
        ("SERVING A MINOR OR AN INCOMPETENT PERSON", "Serving a Minor or an Incompetent Person"),
    ],
)
def test_title_case(caps: str, title: str) -> None:
    assert title_case(caps) == title
