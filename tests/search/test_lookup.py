"""Rule lookup by number: exact indexed text, every reading and version, never invented."""

from __future__ import annotations

import pytest

from bot.core.errors import InputError, RuleNotFoundError
from bot.core.types import DocKind, Document, Passage
from bot.index.generation import write_generation
from bot.index.snapshot import load_snapshot
from bot.search.lookup import lookup_rule

AMENDED = "as amended to Dec. 1, 2022"


@pytest.fixture
def snapshot(settings, sample_entries, embedder):
    write_generation(settings, sample_entries, [], embedder, lambda *_: None, 0.0)
    return load_snapshot(settings)


@pytest.mark.parametrize(
    ("query", "label", "starts", "parts"),
    [
        # rules/frcp-2022-12-01.md: 5(d) brings (1)(A) and (1)(B), in order, with their titles
        (
            "Rule 5(d)",
            f"Fed. R. Civ. P. 5(d) ({AMENDED})",
            "(1)(A) Papers after the Complaint. Any",
            2,
        ),
        ("Fed. R. Civ. P. 5(d)(1)(A)", f"Fed. R. Civ. P. 5(d)(1)(A) ({AMENDED})", "Any paper", 1),
        ("5(d)(1)(B)", f"Fed. R. Civ. P. 5(d)(1)(B) ({AMENDED})", "No certificate", 1),
        ("26(b)(1)", f"Fed. R. Civ. P. 26(b)(1) ({AMENDED})", "Unless otherwise limited", 1),
        # statutes/28-usc-1915-1915a.md; the bare number could also be 42 U.S.C., not indexed
        ("1915(e)(1)", "28 U.S.C. § 1915(e)(1)", "The court may request an attorney", 1),
        ("28 U.S.C. § 1915(e)", "28 U.S.C. § 1915(e)", "(1) The court may request", 1),
    ],
)
def test_lookup_returns_the_subdivision_with_everything_inside(
    snapshot, query, label, starts, parts
):
    [match] = lookup_rule(snapshot, query)
    assert match.label == label
    assert match.text.startswith(starts)
    lines = match.text.split("\n")
    assert len(lines) == parts
    # Never invented: every line ends with the text of an indexed passage, in order.
    texts = [p.text for p in snapshot.passages if any(line.endswith(p.text) for line in lines)]
    assert len(texts) == parts


def test_quoted_local_rule_gives_one_match_per_version_with_provenance(snapshot):
    # rules/edcal-local-rules-quoted.md: L.R. 183(b) now, and its 2006 wording
    current, earlier = lookup_rule(snapshot, "L.R. 183(b)")
    assert current.label == "E.D. Cal. L.R. 183(b)"
    assert current.text.startswith('"A party appearing in propria persona')
    assert current.provenance.startswith("Quoted in: Berman")
    assert earlier.label == "E.D. Cal. L.R. 183(b) (earlier version (L.R. 83-183(b), 2006))"
    assert "sixty (60) days" in earlier.text
    assert earlier.provenance.startswith("Quoted in: Cauton")


def test_bare_number_keeps_only_the_indexed_readings(settings, sample_entries, embedder):
    # "1983" reads as 42 U.S.C. § 1983 or 28 U.S.C. § 1983; only the first exists.
    book = Document(
        "42-usc-1983-28-usc-1654", "usc.md", DocKind.STATUTE, "42 U.S.C. § 1983", "", "hash"
    )
    # statutes/42-usc-1983-28-usc-1654.md, § 1983, opening words
    text = "Every person who, under color of any statute, ordinance, regulation, custom, or usage"
    passage = Passage("p1983", book.doc_id, book.kind, text, "42 U.S.C. § 1983", 0,
                      authority="42 U.S.C. § 1983", heading="§ 1983. Civil action")  # fmt: skip
    write_generation(
        settings, [*sample_entries, (book, [passage])], [], embedder, lambda *_: None, 0.0
    )
    [match] = lookup_rule(load_snapshot(settings), "1983")
    assert (match.authority, match.text, match.doc_id) == ("42 U.S.C. § 1983", text, book.doc_id)


@pytest.mark.parametrize(
    "query",
    [
        "Rule 5(e)",  # Rule 5 has no (e) passage in the sample
        "L.R. 230(l)",  # quoted in the corpus, but not in this index
        "42 U.S.C. § 1997e(a)",
    ],
)
def test_unknown_rules_are_not_found(snapshot, query):
    with pytest.raises(RuleNotFoundError) as raised:
        lookup_rule(snapshot, query)
    assert raised.value.query == query


@pytest.mark.parametrize("query", ["", "   ", "how do I file a motion", "discovery"])
def test_non_citations_are_input_errors(snapshot, query):
    with pytest.raises(InputError):
        lookup_rule(snapshot, query)


@pytest.fixture(scope="module")
def corpus_snapshot(corpus_index):
    return load_snapshot(corpus_index[0])


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("query", "labels", "starts"),
    [
        # rules/frcp-2022-12-01.md
        ("26(b)(1)", [f"Fed. R. Civ. P. 26(b)(1) ({AMENDED})"], "Unless otherwise limited"),
        ("Rule 5(d)", [f"Fed. R. Civ. P. 5(d) ({AMENDED})"], "(1)(A) Papers after the Complaint."),
        ("Fed. R. Civ. P. 5(d)(1)(A)", [f"Fed. R. Civ. P. 5(d)(1)(A) ({AMENDED})"], "Any paper"),
        # statutes/28-usc-1915-1915a.md and 42-usc-1983-28-usc-1654.md
        ("1915(e)(1)", ["28 U.S.C. § 1915(e)(1)"], "The court may request an attorney"),
        ("1983", ["42 U.S.C. § 1983"], "Every person who, under color of any statute"),
        # rules/edcal-local-rules-quoted.md: the current quotation, then the 2006 wording
        (
            "L.R. 183(b)",
            [
                "E.D. Cal. L.R. 183(b) (as quoted in orders (official text not available))",
                "E.D. Cal. L.R. 183(b) (earlier version (L.R. 83-183(b), 2006); not the current "
                "rule)",
            ],
            '"A party appearing in propria persona shall keep the Court',
        ),
    ],
)
def test_corpus_lookups(corpus_snapshot, query, labels, starts):
    matches = lookup_rule(corpus_snapshot, query)
    assert [m.label for m in matches] == labels
    assert matches[0].text.startswith(starts)


@pytest.mark.corpus
@pytest.mark.parametrize("query", ["Rule 99", "L.R. 999", "28 U.S.C. § 2254"])
def test_corpus_unknown_rules(corpus_snapshot, query):
    with pytest.raises(RuleNotFoundError):
        lookup_rule(corpus_snapshot, query)
