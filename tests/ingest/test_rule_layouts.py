"""Rule books of any federal rule set and layout: prefix, version and ids from the document."""

# ruff: noqa: E501  (verbatim rule text is kept on its original lines)

from __future__ import annotations

import pytest

from bot.core.errors import DocumentError
from bot.core.types import DocKind, Document
from bot.ingest.parse_rules import parse_rule_book

# rules/frap-2024-12-01.md (corpus-plus): `## Rule N. Title`, indented subdivisions, headings
# in title case, clause items that lost their indentation.
FRAP_4 = """
## Rule 4. Appeal as of Right—When Taken

(a) Appeal in a Civil Case.

  (1) Time for Filing a Notice of Appeal.

    (A) In a civil case, except as provided in Rules 4(a)(1)(B), 4(a)(4), and 4(c), the notice of appeal required by Rule 3 must be filed with the district clerk within 30 days after entry of the judgment or order appealed from.

    (B) The notice of appeal may be filed by any party within 60 days after entry of the judgment or order appealed from if one of the parties is:

(i) the United States;

(ii) a United States agency;

## Rule 39. Costs

(d) Bill of Costs; Objections; Insertion in Mandate.

  (2) Objections must be filed within 14 days after service of the bill of costs, unless the court extends the time.
"""

# rules/fre-2023-12-01.md (corpus-plus): three-digit rule numbers.
FRE_801 = """
## Rule 801. Definitions That Apply to This Article; Exclusions from Hearsay

(d) Statements That Are Not Hearsay. A statement that meets the following conditions is not hearsay:

  (2) An Opposing Party’s Statement. The statement is offered against an opposing party and:

    (A) was made by the party in an individual or representative capacity;

    (B) is one the party manifested that it adopted or believed to be true;
"""


def _book(body: str, **fields) -> Document:
    base = {"doc_id": "book", "path": "book.md", "kind": DocKind.RULES, "title": "Rules",
            "body": body, "content_hash": "hash"}  # fmt: skip
    return Document(**{**base, **fields})


def _ids(document: Document) -> dict[str, object]:
    return {s.authority.id: s for s in parse_rule_book(document)}


def test_appellate_rules_carry_their_own_prefix_and_version() -> None:
    sections = _ids(_book(FRAP_4, citation_prefix="Fed. R. App. P.", version="2024-12-01"))
    a1a = sections["Fed. R. App. P. 4(a)(1)(A)"]
    assert a1a.text.startswith("In a civil case, except as provided in Rules 4(a)(1)(B)")
    assert a1a.heading == (
        "Appeal as of Right—When Taken — Appeal in a Civil Case — Time for Filing a Notice of Appeal"
    )
    assert a1a.version == "as amended to Dec. 1, 2024"
    # A clause that lost its indentation is still (B)'s first item, not a letter (i).
    assert sections["Fed. R. App. P. 4(a)(1)(B)(i)"].text == "the United States;"
    assert sections["Fed. R. App. P. 4(a)(1)(B)(ii)"].text == "a United States agency;"
    # The same numbers as a Civil Rule, never the Civil Rules' label.
    assert sections["Fed. R. App. P. 39(d)(2)"].text.startswith(
        "Objections must be filed within 14 days"
    )
    assert not any(key.startswith("Fed. R. Civ. P.") for key in sections)


def test_evidence_rules_have_three_digit_numbers_and_a_prefix_from_the_title() -> None:
    # No citation_prefix: the title names the rule set.
    book = _book(FRE_801, title="Federal Rules of Evidence (Rules 101–1103), rule text only")
    sections = _ids(book)
    assert sections["Fed. R. Evid. 801(d)(2)(A)"].text == (
        "was made by the party in an individual or representative capacity;"
    )
    assert sections["Fed. R. Evid. 801(d)(2)"].heading.endswith("An Opposing Party’s Statement")
    assert sections["Fed. R. Evid. 801(d)"].text.startswith("A statement that meets the following")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # `# Rule 4` with no title; subdivisions on one line (inline).
        (
            "# Rule 2\n\nThere is one form of action—the civil action.\n\n# Rule 3\n\n(a) Filing. A civil action is commenced by filing a complaint with the court. (b) Other. Text of (b).\n",
            {"Fed. R. Civ. P. 2": "There is one form of action—the civil action.",
             "Fed. R. Civ. P. 3(b)": "Text of (b)."},
        ),
        # `Rule 4. Title` lines without any `#`, as text pasted from a PDF reads.
        (
            "Rule 1. Scope and Purpose\nThese rules govern the procedure in all civil actions and proceedings.\nRule 2. One Form of Action\nThere is one form of action—the civil action.\n",
            {"Fed. R. Civ. P. 1": "These rules govern the procedure in all civil actions and proceedings.",
             "Fed. R. Civ. P. 2": "There is one form of action—the civil action."},
        ),
    ],
)  # fmt: skip
def test_heading_styles(body: str, expected: dict[str, str]) -> None:
    sections = _ids(_book(body, citation_prefix="Fed. R. Civ. P."))
    for authority, text in expected.items():
        assert sections[authority].text == text


def test_a_districts_local_rules_take_the_prefix_of_its_court_profile() -> None:
    # N.D. Cal. cites its local rules as "Civil L.R. 7-3"; the profile gives the prefix.
    body = "## Civil L.R. 7-3. Opposition; Reply; Supplementary Material\n\n(a) Opposition. Any opposition to a motion must be filed and served not more than 14 days after the motion was filed.\n"
    sections = _ids(_book(body, court="N.D. Cal.", title="Civil Local Rules"))
    assert sections["N.D. Cal. Civ. L.R. 7-3(a)"].text.startswith("Any opposition to a motion")


@pytest.mark.parametrize(
    ("body", "fields", "reason"),
    [
        # A rule book in which no rule heading is found is refused, not indexed as one blob.
        ("These are the rules.\n\nThey have no headings at all.\n", {"citation_prefix": "Fed. R. Civ. P."}, "no rule headings"),
        # Which rules are these? Neither a prefix, a known title nor a court says.
        ("## Rule 1. Scope\n\nText.\n", {"title": "Some Rules"}, "citation_prefix"),
    ],
)  # fmt: skip
def test_unreadable_rule_books_are_refused_with_the_reason(body, fields, reason) -> None:
    with pytest.raises(DocumentError) as raised:
        parse_rule_book(_book(body, **fields))
    assert raised.value.path == "book.md"
    assert reason in raised.value.reason
