"""Two versions of a book indexed together: lookups and search use the newest that has the rule."""

from __future__ import annotations

import pytest

from bot.core.errors import RuleNotFoundError
from bot.core.types import DocKind, Document, Passage
from bot.index.generation import write_generation
from bot.index.snapshot import load_snapshot
from bot.index.store import open_collection
from bot.search.lookup import lookup_rule
from bot.search.retrieve import Retriever
from bot.search.versions import superseded

V2022, V2024 = "as amended to Dec. 1, 2022", "as amended to Dec. 1, 2024"

# (doc, authority, version date, heading, text)
TEXTS = [
    # rules/frcp-2022-12-01.md (corpus), Rule 12(a)(1) before the 2024 amendment
    ("frcp-2022-12-01", "Fed. R. Civ. P. 12(a)(1)", "2022-12-01",
     "Defenses and Objections — Time to Serve a Responsive Pleading — In General",
     "Unless another time is specified by this rule or a federal statute, the time for serving a "
     "responsive pleading is as follows:"),
    # rules/frcp-2024-12-01.md (corpus-plus), Rule 12(a) as amended Dec. 1, 2024
    ("frcp-2024-12-01", "Fed. R. Civ. P. 12(a)", "2024-12-01",
     "Defenses and Objections — Time to Serve a Responsive Pleading",
     "Unless another time is specified by a federal statute, the time for serving a responsive "
     "pleading is as follows:"),
    # rules/frcp-2022-12-01.md, Rule 56(a): the 2024 file lacks Rules 54-56
    ("frcp-2022-12-01", "Fed. R. Civ. P. 56(a)", "2022-12-01",
     "Summary Judgment — Motion for Summary Judgment or Partial Summary Judgment",
     "A party may move for summary judgment, identifying each claim or defense—or the part of "
     "each claim or defense—on which summary judgment is sought."),
    # rules/frcp-2024-12-01.md, Rule 39(c)(1): the Civil Rule 39 has no (d)
    ("frcp-2024-12-01", "Fed. R. Civ. P. 39(c)(1)", "2024-12-01",
     "Trial by Jury or by the Court — Advisory Jury; Jury Trial by Consent",
     "may try any issue with an advisory jury; or"),
    # rules/frap-2024-12-01.md (corpus-plus), Rule 39(d)(2): the same numbers, another rule set
    ("frap-2024-12-01", "Fed. R. App. P. 39(d)(2)", "2024-12-01",
     "Costs — Bill of Costs; Objections; Insertion in Mandate",
     "Objections must be filed within 14 days after service of the bill of costs, unless the "
     "court extends the time."),
]  # fmt: skip


@pytest.fixture
def entries() -> list[tuple[Document, list[Passage]]]:
    books: dict[str, tuple[Document, list[Passage]]] = {}
    for doc_id, authority, when, heading, text in TEXTS:
        book = Document(doc_id, f"{doc_id}.md", DocKind.RULES, doc_id, "", f"hash-{doc_id}",
                        citation_prefix=authority.rsplit(" ", 1)[0], version=when)  # fmt: skip
        _, found = books.setdefault(doc_id, (book, []))
        label = V2022 if when.startswith("2022") else V2024
        found.append(
            Passage(
                f"{doc_id}-{len(found)}",
                doc_id,
                DocKind.RULES,
                text,
                f"{authority} ({label})",
                len(found),
                authority=authority,
                heading=heading,
                version=label,
                version_date=when,
            )
        )
    return list(books.values())


@pytest.fixture
def snapshot(settings, entries, embedder):
    write_generation(settings, entries, [], embedder, lambda *_: None, 0.0)
    return load_snapshot(settings)


def test_lookup_quotes_the_newest_version_that_has_the_rule(snapshot) -> None:
    [newest] = lookup_rule(snapshot, "Fed. R. Civ. P. 12(a)")
    assert newest.label == f"Fed. R. Civ. P. 12(a) ({V2024})"
    assert newest.text.startswith("Unless another time is specified by a federal statute")
    assert newest.other_versions == ("2022-12-01",)
    # Rule 56 is only in the 2022 print: that is the newest that has it.
    [only] = lookup_rule(snapshot, "Rule 56(a)")
    assert only.version == V2022 and only.doc_id == "frcp-2022-12-01"


def test_an_older_version_only_when_asked_for(snapshot) -> None:
    [older] = lookup_rule(snapshot, "Fed. R. Civ. P. 12(a)", version="2022-12-01")
    assert older.label == f"Fed. R. Civ. P. 12(a) ({V2022})"
    assert older.text.startswith("(1) Unless another time is specified by this rule")
    with pytest.raises(RuleNotFoundError):
        lookup_rule(snapshot, "Fed. R. Civ. P. 56(a)", version="2024-12-01")


def test_a_civil_rule_number_never_returns_the_appellate_rule(snapshot) -> None:
    with pytest.raises(RuleNotFoundError) as raised:
        lookup_rule(snapshot, "Fed. R. Civ. P. 39(d)(2)")
    assert "Fed. R. Civ. P. 39 is indexed" in str(raised.value)  # what there is instead
    [appellate] = lookup_rule(snapshot, "Fed. R. App. P. 39(d)(2)")
    assert appellate.text.startswith("Objections must be filed within 14 days")


def test_superseded_passages_are_the_older_texts_of_rules_the_newer_version_has(snapshot) -> None:
    flags = {
        p.authority: s
        for p, s in zip(snapshot.passages, superseded(snapshot.passages), strict=True)
    }
    assert flags == {
        "Fed. R. Civ. P. 12(a)(1)": True,  # the 2024 text has Rule 12
        "Fed. R. Civ. P. 12(a)": False,
        "Fed. R. Civ. P. 56(a)": False,  # the 2024 file has no Rule 56
        "Fed. R. Civ. P. 39(c)(1)": False,
        "Fed. R. App. P. 39(d)(2)": False,  # another book, though the numbers match
    }


def test_search_returns_one_version_of_a_rule(settings, snapshot, embedder) -> None:
    retriever = Retriever(settings, embedder, snapshot, open_collection(settings, embedder.name))
    for mode in ("hybrid", "dense", "bm25"):
        hits = retriever.search("time for serving a responsive pleading", k=5, mode=mode)
        texts = [h.passage.text for h in hits]
        assert not any("by this rule or a federal statute" in t for t in texts), mode
        assert any("specified by a federal statute" in t for t in texts), mode


def test_the_newest_versions_filter_costs_the_vector_store_no_where_clause(
    settings, snapshot, embedder
) -> None:
    # Every kind of passage is admitted, so a `where` would keep every vector; a filtered query
    # costs Chroma about ten times an unfiltered one. The older text is dropped as it comes back.
    collection = open_collection(settings, embedder.name)
    sent: list[object] = []
    query = collection.query

    def recorded(*args, **kwargs):
        sent.append(kwargs.get("where"))
        return query(*args, **kwargs)

    collection.query = recorded
    retriever = Retriever(settings, embedder, snapshot, collection)
    hits = retriever.search("time for serving a responsive pleading", k=5, mode="dense")
    assert sent == [None]
    assert not any("by this rule or a federal statute" in h.passage.text for h in hits)
    # Narrowed to orders (none here), the clause goes to the store.
    retriever.search("time for serving a responsive pleading", k=5, mode="dense", kinds=["order"])
    assert sent[-1] == {"kind": {"$in": ["-"]}}
