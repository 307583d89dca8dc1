"""FRCP print and quoted local rules: full ids, heading chains, own text, versions, provenance."""

# ruff: noqa: E501  (verbatim rule text is kept on its original lines)

from __future__ import annotations

import pytest

from bot.core.types import DocKind, Document
from bot.ingest.parse_rules import (
    join_broken_words,
    parse_local_rules,
    parse_rule_book,
    version_label,
)


def parse_frcp(body: str, version: str | None):
    # The House print as a rule book of the Civil Rules, as amended to Dec. 1, 2022.
    book = Document(
        "frcp",
        "frcp.md",
        DocKind.RULES,
        "Federal Rules of Civil Procedure",
        body,
        "hash",
        citation_prefix="Fed. R. Civ. P.",
        version="2022-12-01",
    )
    return parse_rule_book(book)


# Rule 5(d) as the House print converted to Markdown renders it (stray "#", "interrog- atories").
RULE_5D = """# Rule 1. Scope and Purpose

These rules govern the procedure in all civil actions and pro- ceedings in the United States district courts, except as stated in Rule 81.

# Rule 5. Serving and Filing Pleadings and Other Papers

# (a) SERVICE: WHEN REQUIRED.

(1) In General. Unless these rules provide otherwise, each of

the following papers must be served on every party:

(A) an order stating that service is required; (B) a pleading filed after the original complaint, unless the court orders otherwise under Rule 5(c) because there are numerous defendants;

(C) a discovery paper required to be served on a party,

# unless the court orders otherwise;

# Page 58 59

# (d) FILING.

# (1) Required Filings; Certificate of Service.

(A) Papers after the Complaint. Any paper after the com- plaint that is required to be served must be filed no later than a reasonable time after service. But disclosures under Rule 26(a)(1) or (2) and the following discovery requests and responses must not be filed until they are used in the proceeding or the court orders filing: depositions, interrog- atories, requests for documents or tangible things or to permit entry onto land, and requests for admission.

(B) Certificate of Service. No certificate of service is re- quired when a paper is served by filing it with the court’s electronic-filing system. (As amended Apr. 30, 2007, eff. Dec. 1, 2007.)

# APPENDIX OF FORMS

# Rule 5. Presenting the Action for Decision
"""

RULE_5D1A = (
    "Any paper after the complaint that is required to be served must be filed no later than a "
    "reasonable time after service. But disclosures under Rule 26(a)(1) or (2) and the following "
    "discovery requests and responses must not be filed until they are used in the proceeding or "
    "the court orders filing: depositions, interrogatories, requests for documents or tangible "
    "things or to permit entry onto land, and requests for admission."
)


def _by_id(body: str) -> dict:
    return {s.authority.id: s for s in parse_frcp(body, "as amended to Dec. 1, 2022")}


def test_rule_5_outline_from_snippet() -> None:
    sections = _by_id(RULE_5D)
    a1a = sections["Fed. R. Civ. P. 5(d)(1)(A)"]
    assert a1a.text == RULE_5D1A
    assert a1a.heading == (
        "Serving and Filing Pleadings and Other Papers — Filing — "
        "Required Filings; Certificate of Service — Papers after the Complaint"
    )
    assert a1a.version == "as amended to Dec. 1, 2022"
    # Two subdivisions on one line are split; the stray "# unless ..." line is body text.
    assert (
        sections["Fed. R. Civ. P. 5(a)(1)(A)"].text == "an order stating that service is required;"
    )
    assert sections["Fed. R. Civ. P. 5(a)(1)(C)"].text == (
        "a discovery paper required to be served on a party, unless the court orders otherwise;"
    )
    # Amendment history is not rule text; "electronic-filing" keeps its hyphen.
    assert sections["Fed. R. Civ. P. 5(d)(1)(B)"].text == (
        "No certificate of service is required when a paper is served by filing it with the "
        "court’s electronic-filing system."
    )
    assert sections["Fed. R. Civ. P. 5(d)"].text == ""  # heading only
    # Parsing stops at the Appendix: the Supplemental "Rule 5" never overwrites FRCP Rule 5.
    assert sections["Fed. R. Civ. P. 5"].heading == "Serving and Filing Pleadings and Other Papers"
    assert not any("Presenting" in (s.heading or "") for s in sections.values())
    assert "Page" not in " ".join(s.text for s in sections.values())


@pytest.mark.parametrize(
    ("broken", "repaired"),
    [
        ("to- gether with forms", "together with forms"),  # FRCP foreword
        ("interrog- atories, requests", "interrogatories, requests"),  # Rule 5(d)(1)(A)
        ("must serve its an- swers", "must serve its answers"),  # Rule 33(b)(2)
        ("the court’s electronic- filing system", "the court’s electronic-filing system"),
        ("a third- party claim", "a third-party claim"),  # Rule 14
        ("a court- ordered examination", "a court-ordered examination"),  # prefix list
        ("the dis- trict court", "the district court"),  # Rule 6(a)(6)(C)
    ],
)
def test_hyphenation_breaks(broken: str, repaired: str) -> None:
    # The words the document spells elsewhere decide: "together", "electronic-filing".
    context = " together answers electronic-filing third-party district"
    assert join_broken_words(broken + context) == repaired + context


def test_version_label() -> None:
    assert version_label("2022-12-01") == "as amended to Dec. 1, 2022"
    assert version_label("2023-09-14") == "as amended to Sept. 14, 2023"
    assert version_label(None) is None


LOCAL = """## L.R. 183(b) — Address changes of parties appearing in propria persona

"A party appearing in propria persona shall keep the Court and opposing parties advised as to his or her current address."
Quoted in: Bays v. Calhoun, No. 1:16-cv-01780-DAD-MJS (PC) (E.D. Cal. Feb. 14, 2017).
Earlier version (L.R. 83-183(b), 2006) read "within sixty (60) days thereafter". Quoted in: Cauton v. USA, No. CV F 06 0015 REC SMS P (E.D. Cal. Feb. 8, 2006).

## L.R. 250.2, 250.3, 250.4 — Interrogatories; requests for production; requests for admission

Interrogatories, requests for production, and requests for admission, responses, and proofs of service thereof "shall not be filed unless and until there is a proceeding in which the document or proof of service is at issue."
Quoted in: Gradford v. McDougall, No. 1:17-cv-00201-DAD-GSA-PC (E.D. Cal. Sept. 4, 2018).

## L.R. 251 — Discovery motions

Former L.R. 37-251(c)(3): "For each disputed category or individual item, include: (1) the specific disputed discovery category or item"
Quoted in: Strain v. Sandham, No. CIV S-05-0474 GEB GGH P (E.D. Cal. Nov. 13, 2007).
"""


def test_local_rules_keep_provenance_and_mark_older_versions() -> None:
    sections = parse_local_rules(LOCAL, "E.D. Cal. L.R.")
    rows = [(s.authority.id, s.version, s.provenance[:20], s.also) for s in sections]
    assert rows == [
        ("E.D. Cal. L.R. 183(b)", "as quoted in orders (official text not available)",
         "Quoted in: Bays v. C", ()),
        ("E.D. Cal. L.R. 183(b)", "earlier version (L.R. 83-183(b), 2006); not the current rule",
         "Quoted in: Cauton v.", ()),
        ("E.D. Cal. L.R. 250.2", "as quoted in orders (official text not available)",
         "Quoted in: Gradford ", ("E.D. Cal. L.R. 250.3", "E.D. Cal. L.R. 250.4")),
        ("E.D. Cal. L.R. 251", "former L.R. 37-251(c)(3); not the current rule",
         "Quoted in: Strain v.", ()),
    ]  # fmt: skip
    assert sections[1].text == '"within sixty (60) days thereafter".'
    assert sections[0].heading == "Address changes of parties appearing in propria persona"


FRCP_EXPECTED = {
    # id: start of its own text (from the House print)
    "Fed. R. Civ. P. 1": "These rules govern the procedure in all civil actions and proceedings",
    "Fed. R. Civ. P. 4(m)": "If a defendant is not served within 90 days after the complaint",
    "Fed. R. Civ. P. 6(d)": "When a party may or must act within a specified time after being",
    "Fed. R. Civ. P. 16(b)(4)": "A schedule may be modified only for good cause and with the judge’s",
    "Fed. R. Civ. P. 26(b)(1)": "Unless otherwise limited by court order, the scope of discovery is",
    "Fed. R. Civ. P. 33(a)(1)": "Unless otherwise stipulated or ordered by the court, a party may",
    "Fed. R. Civ. P. 34(a)": "A party may serve on any other party a request within the scope",
    "Fed. R. Civ. P. 37(a)(3)(B)": "A party seeking discovery may move for an order compelling",
    "Fed. R. Civ. P. 41(b)": "If the plaintiff fails to prosecute or to comply with these rules",
    "Fed. R. Civ. P. 45(a)(1)(A)(i)": "state the court from which it issued;",
    "Fed. R. Civ. P. 56(c)(1)": "A party asserting that a fact cannot be or is genuinely disputed",
    "Fed. R. Civ. P. 30(a)(1)": "A party may, by oral questions, depose any person",
}


def test_frcp_print(corpus) -> None:
    body = (corpus / "rules" / "frcp-2022-12-01.md").read_text(encoding="utf-8")
    sections = parse_frcp(body.split("---\n", 2)[2], "as amended to Dec. 1, 2022")
    by_id = {s.authority.id: s for s in sections}
    assert len(by_id) == len(sections)  # no id twice (no Supplemental "Rule 5")
    assert by_id["Fed. R. Civ. P. 5(d)(1)(A)"].text == RULE_5D1A
    for authority, start in FRCP_EXPECTED.items():
        assert by_id[authority].text.startswith(start), authority
    assert by_id["Fed. R. Civ. P. 34"].heading.startswith("Producing Documents")
    assert by_id["Fed. R. Civ. P. 45(a)"].heading == "Subpoena — In General"
    assert not any("As amended" in s.text for s in sections)
    assert sum(1 for s in sections if s.text) > 1200
