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
