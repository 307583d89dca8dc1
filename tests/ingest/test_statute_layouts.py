"""U.S. Code files in the layouts real sources use, or refused by name with the reason."""

# ruff: noqa: E501  (verbatim statute text is kept on its original lines)

from __future__ import annotations

import pytest

from bot.core.errors import DocumentError
from bot.core.types import DocKind, Document
from bot.ingest.parse_statute import parse_statute_book

# statutes/28-usc-636.md (corpus-plus): the title in the heading, a chapter line under it.
SECTION_636 = """
## 28 U.S.C. § 636. Jurisdiction, powers, and temporary assignment
(CHAPTER 43—UNITED STATES MAGISTRATE JUDGES)

(b)

(1) Notwithstanding any provision of law to the contrary

(A) a judge may designate a magistrate judge to hear and determine any pretrial matter pending before the court, except a motion for injunctive relief,

(C) the magistrate judge shall file his proposed findings and recommendations under subparagraph (B) with the court and a copy shall forthwith be mailed to all parties.
"""

# statutes/18-usc-3626-prison-conditions-remedies.md (corpus-plus): a plain `§3626.` line, the
# title only in the front matter, and the Code's notes after the section's source credit.
SECTION_3626 = """
§3626. Appropriate remedies with respect to prison conditions

(a) Requirements for Relief.—

(1) Prospective relief.—(A) Prospective relief in any civil action with respect to prison conditions shall extend no further than necessary to correct the violation of the Federal right of a particular plaintiff or plaintiffs.

(Added Pub. L. 103–322, title II, §20409(a), Sept. 13, 1994, 108 Stat. 1827.)

Editorial Notes

Amendments

1997—Subsec. (a)(1)(B)(i). Pub. L. 105–119, §123(a)(1)(A), substituted "requires" for "permits".
"""

# statutes/42-usc-2000cc-rluipa.md (corpus-plus): a section number with an en dash.
SECTION_2000CC_1 = """
## 42 U.S.C. § 2000cc–1. Protection of religious exercise of institutionalized persons
(CHAPTER 21C—PROTECTION OF RELIGIOUS EXERCISE IN LAND USE AND BY INSTITUTIONALIZED PERSONS)

(a) General rule

No government shall impose a substantial burden on the religious exercise of a person residing in or confined to an institution.
"""


def _statute(body: str, title: str = "U.S. Code") -> Document:
    return Document("usc", "usc.md", DocKind.STATUTE, title, body, "hash")


def _ids(document: Document) -> dict[str, object]:
    return {s.authority.id: s for s in parse_statute_book(document)}


def test_title_in_the_heading() -> None:
    sections = _ids(_statute(SECTION_636))
    assert sections["28 U.S.C. § 636(b)(1)(C)"].text.startswith("the magistrate judge shall file")
    assert (
        sections["28 U.S.C. § 636(b)(1)"].text
        == "Notwithstanding any provision of law to the contrary"
    )
    assert sections["28 U.S.C. § 636"].heading == "Jurisdiction, powers, and temporary assignment"
    assert not any("CHAPTER" in s.text for s in sections.values())


def test_plain_section_line_takes_its_title_from_the_front_matter_and_drops_the_notes() -> None:
    book = _statute(
        SECTION_3626,
        title="18 U.S.C. § 3626. Appropriate remedies with respect to prison conditions (PLRA), with statutory notes",
    )
    sections = _ids(book)
    assert sections["18 U.S.C. § 3626(a)(1)(A)"].text.startswith(
        "Prospective relief in any civil action"
    )
    assert not any("Pub. L." in s.text or "substituted" in s.text for s in sections.values())


def test_section_numbers_with_a_dash() -> None:
    sections = _ids(_statute(SECTION_2000CC_1))
    assert sections["42 U.S.C. § 2000cc-1(a)"].text.startswith("No government shall impose")


@pytest.mark.parametrize(
    ("body", "title", "reason"),
    [
        # No section heading anywhere: refused, not indexed as one blob.
        ("The district courts shall have original jurisdiction.\n", "Jurisdiction", "no section headings"),
        # `§ 1332.` with no title anywhere (not in a heading, not in the front matter).
        ("§ 1332. Diversity of citizenship\n\n(a) The district courts shall have original jurisdiction.\n", "Diversity", "which title"),
    ],
)  # fmt: skip
def test_unreadable_statute_files_are_refused(body: str, title: str, reason: str) -> None:
    with pytest.raises(DocumentError) as raised:
        parse_statute_book(_statute(body, title))
    assert reason in raised.value.reason
