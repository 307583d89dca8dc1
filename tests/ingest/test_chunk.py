"""passages(): sentence groups with pinpoints for orders, one passage per rule or statute node."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.core.settings import SHIPPED_KNOWLEDGE
from bot.core.text import split_sentences
from bot.core.types import DocKind, Document
from bot.ingest.chunk import order_label, passage_id, passages
from bot.ingest.load import read_documents

MASTERSON = SHIPPED_KNOWLEDGE / "masterson-v-killen-2014-11-24.txt"
FRCP_5D1A = (
    "Any paper after the complaint that is required to be served must be filed no later than a "
    "reasonable time after service. But disclosures under Rule 26(a)(1) or (2) and the following "
    "discovery requests and responses must not be filed until they are used in the proceeding or "
    "the court orders filing: depositions, interrogatories, requests for documents or tangible "
    "things or to permit entry onto land, and requests for admission."
)


def _order(**fields: object) -> Document:
    base = {"doc_id": "x", "path": "x.txt", "kind": DocKind.ORDER, "body": "", "content_hash": ""}
    return Document(**(base | fields))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "label"),
    [
        ({"title": "Masterson v. Killen", "docket": "1:11-cv-01179-LJO-GSA-PC",
          "court": "E.D. Cal.", "date": "2014-11-24"},
         "Masterson v. Killen, No. 1:11-cv-01179-LJO-GSA-PC (E.D. Cal. Nov. 24, 2014)"),
        # Bluebook "Sept."; the "(PC)" nature-of-suit tag is not part of a case name.
        ({"title": "(PC) Gradford v. McDougall", "docket": "1:17-cv-00201-DAD-GSA-PC",
          "court": "E.D. Cal.", "date": "2018-09-04"},
         "Gradford v. McDougall, No. 1:17-cv-00201-DAD-GSA-PC (E.D. Cal. Sept. 4, 2018)"),
        # "CIV S-..." keeps its form; "No. ..." is not doubled.
        ({"title": "Warner v. Cate", "docket": "CIV S-09-1568 KJM EFB P", "court": "E.D. Cal.",
          "date": "2012-04-19"},
         "Warner v. Cate, CIV S-09-1568 KJM EFB P (E.D. Cal. Apr. 19, 2012)"),
        ({"title": "Head v. County", "docket": "No. 2:19-cv-1663 TLN KJN P", "court": "E.D. Cal."},
         "Head v. County, No. 2:19-cv-1663 TLN KJN P (E.D. Cal.)"),
        # A docket field that only says it is unknown stays out; "c. 2019-12-04" gives the year.
        ({"title": "Sierra v. [defendant not shown in excerpt]", "court": "E.D. Cal.",
          "docket": "not shown in excerpt", "date_note": "c. 2019-12-04 (per source id)"},
         "Sierra v. [defendant not shown in excerpt] (E.D. Cal. 2019)"),
    ],
)  # fmt: skip
def test_order_labels(fields: dict, label: str) -> None:
    assert order_label(_order(**fields)) == label


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # Masterson: "U.S.C." and "(Doc. 1.)" stay inside their sentences.
        ("in this civil rights action filed pursuant to 42 U.S.C. § 1983. Plaintiff filed the "
         "Complaint commencing this action on July 18, 2011. (Doc. 1.) This case proceeds",
         ["in this civil rights action filed pursuant to 42 U.S.C. § 1983.",
          "Plaintiff filed the Complaint commencing this action on July 18, 2011. (Doc. 1.)",
          "This case proceeds"]),
        # Nuno: case names and reporters ("v.", "Inc.", "F.R.D.", "Fin.") do not end sentences.
        ("Jackson v. Laureate, Inc., 186 F.R.D. 605, 608 (E.D. Cal. 1999). The party seeking",
         ["Jackson v. Laureate, Inc., 186 F.R.D. 605, 608 (E.D. Cal. 1999).", "The party seeking"]),
        ("see also Sprague v. Fin. Credit Network, Inc., 2018 WL 4616688, at *4",
         ["see also Sprague v. Fin. Credit Network, Inc., 2018 WL 4616688, at *4"]),
        # Warner: a quotation with its own sentence end is not split inside.
        ('"Opposition, if any, shall be served. Failure may be deemed a waiver." Id. A responding',
         ['"Opposition, if any, shall be served. Failure may be deemed a waiver." Id.',
          "A responding"]),
        # Asberry: list numbers after "that:" are not sentences.
        ("IT IS HEREBY ORDERED that: 1. Within thirty days after the filing date",
         ["IT IS HEREBY ORDERED that: 1. Within thirty days after the filing date"]),
    ],
)  # fmt: skip
def test_sentences(text: str, sentences: list[str]) -> None:
    assert [text[a:b] for a, b in split_sentences(text)] == sentences


def test_masterson_passages() -> None:
    (doc,), _ = read_documents([MASTERSON])
    found = passages(doc)
    assert all(p.pinpoint is None for p in found)  # plain text: no line numbers
    assert all(p.label == "Masterson v. Killen, No. 1:11-cv-01179-LJO-GSA-PC (E.D. Cal. Nov. 24, "
               "2014)" for p in found)  # fmt: skip
    assert [p.position for p in found] == list(range(len(found)))
    assert all(p.excerpt is False and p.kind is DocKind.ORDER for p in found)
    joined = " ".join(p.text for p in found)
    assert "(Doc. 43 at 1:19-20.)" in joined
    mentions = {m for p in found for m in p.mentions}
    assert "42 U.S.C. § 1983" in mentions
    assert "E.D. Cal. L.R. 250.2" in mentions
    # Passages end at sentence ends, within the size bounds (a longer single sentence may stand).
    assert all(p.text.rstrip().endswith((".", ")", '"', "JUDGE")) for p in found)


def test_passage_ids_are_content_keys(tmp_path: Path) -> None:
    text = MASTERSON.read_text(encoding="utf-8")
    before = passages(read_documents([MASTERSON])[0][0])
    copy = tmp_path / MASTERSON.name
    copy.write_text(text.replace("IT IS SO ORDERED.", "IT IS SO ORDERED!"), encoding="utf-8")
    after = passages(read_documents([copy])[0][0])
    assert len(before) == len(after)
    changed = [b for a, b in zip(before, after, strict=True) if a.passage_id != b.passage_id]
    # Only the passage whose words changed gets a new id; the others keep theirs.
    assert [p.text.count("ORDERED!") for p in changed] == [1]
    assert passage_id("d", "a", "t") == passage_id("d", "a", "t") != passage_id("d", "a", "u")


def test_rule_and_statute_passages(tmp_path: Path) -> None:
    rules = tmp_path / "frcp.md"
    rules.write_text(
        '---\ntype: rules\ncitation_prefix: "Fed. R. Civ. P."\nas_amended_to: "2022-12-01"\n---\n'
        "# Rule 1. Scope and Purpose\n\nThese rules govern.\n\n"
        "# Rule 5. Serving and Filing Pleadings and Other Papers\n\n# (d) FILING.\n\n"
        "# (1) Required Filings; Certificate of Service.\n\n(A) Papers after the Complaint. "
        + FRCP_5D1A.replace("interrogatories", "interrog- atories")
        + "\n",
        encoding="utf-8",
    )
    (doc,), errors = read_documents([rules])
    assert errors == []
    by_id = {p.authority: p for p in passages(doc)}
    assert set(by_id) == {"Fed. R. Civ. P. 1", "Fed. R. Civ. P. 5(d)(1)(A)"}  # headings only: none
    p = by_id["Fed. R. Civ. P. 5(d)(1)(A)"]
    assert p.text == FRCP_5D1A
    assert p.label == "Fed. R. Civ. P. 5(d)(1)(A) (as amended to Dec. 1, 2022)"
    assert p.version == "as amended to Dec. 1, 2022"
    assert "Fed. R. Civ. P. 26(a)(1)" in p.mentions
    assert p.authority not in p.mentions


def test_whole_corpus(corpus) -> None:
    started = time.perf_counter()
    documents, errors = read_documents([corpus])
    found = {d.doc_id: passages(d) for d in documents}
    elapsed = time.perf_counter() - started
    assert errors == []
    assert elapsed < 10
    for doc in documents:
        if doc.kind is not DocKind.ORDER:
            continue
        assert doc.docket, doc.doc_id
        assert found[doc.doc_id] and all(p.label for p in found[doc.doc_id])
        body = Path(doc.path).read_text(encoding="utf-8")
        if "line numbers" in body[:1200]:  # Justia / ecases.us PDF text
            order_passages = [p for p in found[doc.doc_id] if not p.text.startswith("Docket text")]
            assert all(p.pinpoint for p in order_passages), doc.doc_id
        assert all(p.excerpt == (not doc.complete) for p in found[doc.doc_id])
    frcp = found["frcp-2022-12-01"]
    assert len(frcp) > 500
    assert len({p.passage_id for p in frcp}) == len(frcp)
    by_id = {p.authority: p for p in frcp}
    assert by_id["Fed. R. Civ. P. 5(d)(1)(A)"].text == FRCP_5D1A
    local = found["edcal-local-rules-quoted"]
    assert all(p.provenance and p.provenance.startswith("Quoted in:") for p in local)
    older = [p for p in local if "not the current rule" in (p.version or "")]
    assert len(older) == 4  # 183(b) 2006, 230(l) twice, former 37-251(c)(3)
    assert any(p.authority == "E.D. Cal. L.R. 250.2" and "E.D. Cal. L.R. 250.4" in p.mentions
               for p in local)  # fmt: skip
    all_ids = [p.passage_id for ps in found.values() for p in ps]
    assert len(all_ids) == len(set(all_ids))
