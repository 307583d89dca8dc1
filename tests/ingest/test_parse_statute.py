"""U.S. Code Markdown: title from the heading, merged section chunks, subsection ids, headings."""

from __future__ import annotations

from bot.ingest.parse_statute import parse_statutes

# 28 U.S.C. § 1915A as the corpus stores it: one chunk per subsection, headings repeated.
SECTION_1915A = """# Title 28— JUDICIARY AND JUDICIAL PROCEDURE
### CHAPTER 123— FEES AND COSTS
#### § 1915A. Screening
###### (a) Screening .

The court shall review, before docketing, if feasible or, in any event, as soon as practicable after docketing, a complaint in a civil action in which a prisoner seeks redress from a governmental entity or officer or employee of a governmental entity.

# Title 28— JUDICIARY AND JUDICIAL PROCEDURE
### CHAPTER 123— FEES AND COSTS
#### § 1915A. Screening
###### (b) Grounds for Dismissal .

On review, the court shall identify cognizable claims or dismiss the complaint, or any portion of the complaint, if the complaint

(1) is frivolous, malicious, or fails to state a claim upon which relief may be granted; or

(2) seeks monetary relief from a defendant who is immune from such relief.
"""  # noqa: E501

# 28 U.S.C. § 1915(e) and 42 U.S.C. § 1997e(d)(1) (with the Code's footnote call "1988  1").
MIXED = """# Title 28— JUDICIARY AND JUDICIAL PROCEDURE
#### § 1915. Proceedings in forma pauperis

(e)

(1) The court may request an attorney to represent any person unable to afford counsel.

(2) Notwithstanding any filing fee, or any portion thereof, that may have been paid, the court shall dismiss the case at any time if the court determines that

(A) the allegation of poverty is untrue; or

(B) the action or appeal

(i) is frivolous or malicious;

# Title 42— THE PUBLIC HEALTH AND WELFARE
#### § 1997e. Suits by prisoners
##### (d) Attorney’s fees

(1) In any action brought by a prisoner who is confined to any jail, prison, or other correctional facility, in which attorney’s fees are authorized under section 1988  1 of this title, such fees shall not be awarded
"""  # noqa: E501


def test_repeated_headings_merge_into_one_section() -> None:
    sections = parse_statutes(SECTION_1915A)
    rows = [(s.authority.id, s.heading) for s in sections]
    assert rows == [
        ("28 U.S.C. § 1915A", "Screening"),
        ("28 U.S.C. § 1915A(a)", "Screening — Screening"),
        ("28 U.S.C. § 1915A(b)", "Screening — Grounds for Dismissal"),
        ("28 U.S.C. § 1915A(b)(1)", "Screening — Grounds for Dismissal"),
        ("28 U.S.C. § 1915A(b)(2)", "Screening — Grounds for Dismissal"),
    ]
    assert sections[2].text.startswith("On review, the court shall identify cognizable claims")
    assert sections[4].text == (
        "seeks monetary relief from a defendant who is immune from such relief."
    )


def test_titles_and_nested_subsections() -> None:
    by_id = {s.authority.id: s for s in parse_statutes(MIXED)}
    assert by_id["28 U.S.C. § 1915(e)(1)"].text == (
        "The court may request an attorney to represent any person unable to afford counsel."
    )
    assert by_id["28 U.S.C. § 1915(e)(2)(B)(i)"].text == "is frivolous or malicious;"
    assert by_id["28 U.S.C. § 1915(e)"].text == ""  # heading-only subsection
    fees = by_id["42 U.S.C. § 1997e(d)(1)"]
    assert "under section 1988 of this title, such fees" in fees.text  # footnote call removed
    assert fees.heading == "Suits by prisoners — Attorney’s fees"


def test_corpus_statutes(corpus) -> None:
    ids = []
    for path in sorted((corpus / "statutes").glob("*.md")):
        ids += [s.authority.id for s in parse_statutes(path.read_text(encoding="utf-8"))]
    assert len(ids) == len(set(ids))
    for expected in ("28 U.S.C. § 1915(e)(1)", "42 U.S.C. § 1997e(a)", "28 U.S.C. § 1915A(b)",
                     "42 U.S.C. § 1983", "28 U.S.C. § 1654", "28 U.S.C. § 1915(g)"):  # fmt: skip
        assert expected in ids
