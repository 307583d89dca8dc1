"""Hand-built index snapshots of short real rule texts, for the event checks."""

from __future__ import annotations

import hashlib

import pytest

from bot.core.types import DocKind, Passage
from bot.index.snapshot import IndexedDocument, IndexSnapshot

# (doc_id, version, authority, provenance, text): short real texts from the corpora.
RULE_TEXTS = [
    # frcp-2024-12-01.md, Rule 12(a)(1)(A)(i)
    ("frcp-2024-12-01", "as amended to Dec. 1, 2024", "Fed. R. Civ. P. 12(a)(1)(A)(i)", None,
     "within 21 days after being served with the summons and complaint; or"),
    # frcp-2024-12-01.md, Rule 33(b)(2)
    ("frcp-2024-12-01", "as amended to Dec. 1, 2024", "Fed. R. Civ. P. 33(b)(2)", None,
     "Time to Respond. The responding party must serve its answers and any objections within "
     "30 days after being served with the interrogatories. A shorter or longer time may be "
     "stipulated to under Rule 29 or be ordered by the court."),
    # frcp-2022-12-01.md, Rule 59(e) (the 2022 print)
    ("frcp-2022-12-01", "as amended to Dec. 1, 2022", "Fed. R. Civ. P. 59(e)", None,
     "A motion to alter or amend a judgment must be filed no later than 28 days after the "
     "entry of the judgment."),
    # edcal-local-rules-quoted.md, L.R. 230(l), current wording as quoted in orders
    ("edcal-local-rules-quoted", None, "E.D. Cal. L.R. 230(l)",
     "Quoted in: Warner v. Cate, No. CIV S-09-1568 KJM EFB P (E.D. Cal. Apr. 19, 2012)",
     '"Opposition, if any, to the granting of the motion shall be served and filed by the '
     'responding party not more than twenty-one (21) days after the date of service of the '
     'motion."'),
    # the same, the superseded 2009-2010 wording
    ("edcal-local-rules-quoted", "superseded 2009-2010 wording", "E.D. Cal. L.R. 230(l)",
     "Quoted in: Walker v. Felker, No. CIV S-07-1323 WBS EFB P (E.D. Cal. Feb. 4, 2010)",
     'Superseded 2009-2010 wording: "Opposition, if any, to the granting of the motion shall '
     'be served and filed with the Clerk by the responding party not more than eighteen (18) '
     'days, plus three (3) days for mailing or electronic service, after the date of service '
     'of the motion."'),
]  # fmt: skip

DOCUMENTS = {
    "frcp-2024-12-01": (DocKind.RULES, "2024-12-01"),
    "frcp-2022-12-01": (DocKind.RULES, "2022-12-01"),
    "edcal-local-rules-quoted": (DocKind.RULES, None),
}


def make_snapshot(rows=RULE_TEXTS) -> IndexSnapshot:
    passages = []
    for n, (doc_id, version, authority, provenance, text) in enumerate(rows):
        key = hashlib.sha256(f"{doc_id}{authority}{n}{text}".encode()).hexdigest()[:16]
        passages.append(
            Passage(
                key, doc_id, DocKind.RULES, text, authority, n, authority=authority,
                court="E.D. Cal." if "L.R." in authority else None, version=version,
                provenance=provenance,
            )
        )  # fmt: skip
    documents = tuple(
        IndexedDocument(
            doc_id, f"{doc_id}.md", kind, doc_id, "hash", tuple(p.passage_id for p in passages
            if p.doc_id == doc_id), version=version,
        )
        for doc_id, (kind, version) in DOCUMENTS.items()
    )  # fmt: skip
    return IndexSnapshot(
        generation="test",
        embedder="minilm",
        passages=tuple(passages),
        by_id={p.passage_id: p for p in passages},
        vector_ids=tuple(p.passage_id for p in passages),
        documents=documents,
        bm25=None,  # type: ignore[arg-type]  # the rule lookup never reads it
    )


@pytest.fixture
def rule_snapshot() -> IndexSnapshot:
    return make_snapshot()


@pytest.fixture
def snapshot_of():
    """Build a snapshot from rows like RULE_TEXTS (given as `rule_rows`)."""
    return make_snapshot


@pytest.fixture
def rule_rows() -> list[tuple]:
    return list(RULE_TEXTS)
