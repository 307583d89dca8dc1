"""Search modes over a real Chroma store: dense, BM25, exact authority and their RRF fusion."""

from __future__ import annotations

import time

import numpy as np
import pytest
from langchain_core.retrievers import BaseRetriever

from bot.core.errors import ConfigError, InputError
from bot.core.types import DocKind
from bot.index.generation import write_generation
from bot.index.snapshot import load_snapshot
from bot.index.store import open_collection
from bot.search.retrieve import RRF_K, Retriever, top_k

QUERY = "letter to defense counsel filed with the court"
# The Masterson v. Killen ruling paragraph begins with these words.
RULING = "Plaintiff's request to meet and confer should not have been filed"


@pytest.fixture
def retriever(store_settings, sample_entries, embedder) -> Retriever:
    write_generation(store_settings, sample_entries, [], embedder, lambda *_: None, 0.0)
    snapshot = load_snapshot(store_settings)
    collection = open_collection(store_settings, embedder.name)
    return Retriever(store_settings, embedder, snapshot, collection)


MASTERSON = "masterson-v-killen-2014-11-24"


@pytest.mark.parametrize(
    ("mode", "query", "wanted", "within"),
    [
        # MiniLM alone ranks FRCP 5(d)(1)(A) (about filing) above the order; the order is top 3
        ("dense", QUERY, lambda p: p.doc_id == MASTERSON, 3),
        ("bm25", QUERY, lambda p: p.text.startswith(RULING), 1),
        ("hybrid", QUERY, lambda p: p.text.startswith(RULING), 3),
        # authority mode needs a citation: the ruling cites "Local Rules 250.2, 250.3, and 250.4"
        ("authority", "What does L.R. 250.2 say?", lambda p: p.text.startswith(RULING), 1),
    ],
)
def test_every_mode_finds_the_masterson_ruling(retriever, mode, query, wanted, within):
    hits = retriever.search(query, k=3, mode=mode)
    found = [h.passage.text[:40] for h in hits]
    assert any(wanted(h.passage) for h in hits[:within]), found
    assert all(h.via == (mode,) for h in hits) or mode == "hybrid"
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))


@pytest.mark.parametrize(
    ("query", "authorities"),
    [
        # subdivision text first, in document order (rules/frcp-2022-12-01.md, Rule 5(d)(1))
        ("Rule 5(d)", ["Fed. R. Civ. P. 5(d)(1)(A)", "Fed. R. Civ. P. 5(d)(1)(B)"]),
        ("What is the scope of discovery under Rule 26(b)(1)?", ["Fed. R. Civ. P. 26(b)(1)"]),
        # a bare number is read against what is indexed: only 28 U.S.C. has § 1915(e)(1)
        ("1915(e)(1)", ["28 U.S.C. § 1915(e)(1)"]),
        # both quotations of L.R. 183(b) (rules/edcal-local-rules-quoted.md)
        ("L.R. 183(b)", ["E.D. Cal. L.R. 183(b)", "E.D. Cal. L.R. 183(b)"]),
        # 5(d)(1)(A) mentions "Rule 26(a)(1) or (2)", which lie inside 26(a)
        ("Fed. R. Civ. P. 26(a)", ["Fed. R. Civ. P. 5(d)(1)(A)"]),
        # the Masterson passage mentions 42 U.S.C. § 1983; there is no § 1983 text in the sample
        ("42 U.S.C. § 1983", [None]),
    ],
)
def test_authority_mode_puts_rule_text_first_then_citing_passages(retriever, query, authorities):
    hits = retriever.search(query, k=5, mode="authority")
    assert [h.passage.authority for h in hits] == authorities


def test_authority_mode_is_empty_without_a_citation(retriever):
    assert retriever.search(QUERY, mode="authority") == []


def test_hybrid_is_reciprocal_rank_fusion_of_the_three_rankings(retriever):
    query = "Rule 26(b)(1) scope of discovery relevant to any party's claim"
    expected: dict[str, float] = {}
    for mode in ("dense", "bm25", "authority"):
        for hit in retriever.search(query, k=20, mode=mode):
            expected[hit.passage.passage_id] = expected.get(hit.passage.passage_id, 0.0) + 1 / (
                RRF_K + hit.rank
            )
    hits = retriever.search(query, k=5, mode="hybrid")
    assert [h.score for h in hits] == pytest.approx([expected[h.passage.passage_id] for h in hits])
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert hits[0].passage.authority == "Fed. R. Civ. P. 26(b)(1)"
    assert set(hits[0].via) == {"dense", "bm25", "authority"}


@pytest.mark.parametrize("mode", ["dense", "bm25", "hybrid", "authority"])
@pytest.mark.parametrize(
    ("kinds", "court", "allowed"),
    [
        ([DocKind.ORDER], None, lambda p: p.kind is DocKind.ORDER),
        (["rules", "statute"], None, lambda p: p.kind is not DocKind.ORDER),
        (None, "E.D. Cal.", lambda p: p.court == "E.D. Cal."),
        ([DocKind.RULES], "E.D. Cal.", lambda p: p.kind is DocKind.RULES and p.court),
    ],
)
def test_filters_by_kind_and_court(retriever, mode, kinds, court, allowed):
    query = "L.R. 183(b) Rule 26(b)(1) 42 U.S.C. § 1983 filed with the court"
    hits = retriever.search(query, k=8, mode=mode, kinds=kinds, court=court)
    assert hits
    assert all(allowed(h.passage) for h in hits)


def test_dense_skips_vectors_the_live_generation_does_not_list(retriever, embedder):
    # A failed run can leave vectors behind; one identical to the query must not be returned.
    retriever.collection.add(ids=["orphan"], embeddings=[embedder.embed_query(QUERY)])
    hits = retriever.search(QUERY, k=8, mode="dense")
    assert len(hits) == len(retriever.snapshot.passages)
    assert all(h.passage.passage_id in retriever.snapshot.by_id for h in hits)


@pytest.mark.parametrize(
    ("query", "mode", "kinds", "message"),
    [
        ("   ", "hybrid", None, "The query is empty"),
        ("Rule 5(d)", "fuzzy", None, "Unknown search mode"),
        ("Rule 5(d)", "hybrid", ["opinion"], "Unknown document kind"),
    ],
)
def test_bad_queries_get_clear_errors(retriever, query, mode, kinds, message):
    with pytest.raises(InputError, match=message):
        retriever.search(query, mode=mode, kinds=kinds)


def test_index_from_another_embedder_is_refused(retriever, embedder):
    class Other:
        name = "openai:text-embedding-3-small"

    with pytest.raises(ConfigError, match="procbot index"):
        Retriever(retriever.settings, Other(), retriever.snapshot, retriever.collection)


def test_langchain_retriever_returns_documents_with_passage_metadata(retriever):
    chain_retriever = retriever.as_langchain(k=2)
    assert isinstance(chain_retriever, BaseRetriever)
    documents = chain_retriever.invoke("request to meet and confer filed with the court")
    assert len(documents) == 2
    assert documents[0].page_content.startswith(RULING)
    assert documents[0].metadata["label"] == "Masterson v. Killen"
    assert documents[0].metadata["rank"] == 1
    assert "dense" in documents[0].metadata["via"]


def test_query_vectors_are_cached(retriever):
    retriever.search(QUERY, mode="dense")
    started = time.perf_counter()
    retriever.search(QUERY, mode="dense")
    assert QUERY in retriever._vectors
    assert time.perf_counter() - started < 5  # no model reload per query


# -- the reference corpus ------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_retriever(corpus_index, embedder) -> Retriever:
    settings, _ = corpus_index
    collection = open_collection(settings, embedder.name)
    return Retriever(settings, embedder, load_snapshot(settings), collection)


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("mode", "query"),
    [
        ("dense", QUERY),
        ("bm25", QUERY),
        ("hybrid", QUERY),
        # Masterson cites "Local Rules 250.2, 250.3, and 250.4"
        ("authority", "Local Rule 250.2"),
    ],
)
def test_corpus_every_mode_finds_masterson(corpus_retriever, mode, query):
    hits = corpus_retriever.search(query, k=5, mode=mode)
    assert "masterson-v-killen-2014-11-24" in [h.passage.doc_id for h in hits]


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("What does Rule 26(b)(1) allow?", "Fed. R. Civ. P. 26(b)(1)"),
        ("1915(e)(1)", "28 U.S.C. § 1915(e)(1)"),
        ("L.R. 183(b)", "E.D. Cal. L.R. 183(b)"),
        ("Fed. R. Civ. P. 5(d)", "Fed. R. Civ. P. 5(d)(1)(A)"),
    ],
)
def test_corpus_authority_mode_starts_with_the_rule_text(corpus_retriever, query, first):
    hits = corpus_retriever.search(query, k=10, mode="authority")
    assert hits[0].passage.authority == first
    # after the rule text come orders citing it (when any do), never unrelated passages
    rest = [h.passage for h in hits if h.passage.kind is DocKind.ORDER]
    assert all(any(m.startswith(first.split("(")[0]) for m in p.mentions) for p in rest)


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("query", "authority", "within"),
    [
        # Asberry v. Cate (E.D. Cal. 2011): "Plaintiff has not opposed the motion. Local Rule
        # 230(l) ..."; the passage quoting L.R. 230(l) itself says "Opposition"
        ("oppose the motion", "E.D. Cal. L.R. 230(l)", 5),
        # Warner v. Cate (E.D. Cal. 2012): "Plaintiff has not opposed the motion. In cases in
        # which one party is incarcerated ... Local Rule 230(l)"
        ("I am incarcerated and want to oppose the motion", "E.D. Cal. L.R. 230(l)", 1),
        # 42 U.S.C. § 1997e(a): "until such administrative remedies as are available are
        # exhausted"; unstemmed, no word of the query was in the index at all
        ("exhausting my grievances", "42 U.S.C. § 1997e(a)", 2),
        # Fed. R. Civ. P. 33(a)(1): "a party may serve on any other party no more than 25
        # written interrogatories"; 6th unstemmed
        ("interrogatories served on defendants", "Fed. R. Civ. P. 33(a)(1)", 3),
        # Bays v. Calhoun (E.D. Cal. 2017): "pursuant to the provisions of 28 U.S.C. § 636(b)(1)
        # ... any party may file written objections"; 22nd unstemmed
        ("objecting to findings and recommendations", "28 U.S.C. § 636(b)(1)", 3),
        # 28 U.S.C. § 1915(e)(2): "the court shall dismiss the case at any time if ..."; 34th
        # unstemmed
        ("my case got dismissed as frivolous", "28 U.S.C. § 1915(e)(2)", 10),
    ],
)
def test_corpus_bm25_meets_the_courts_words(corpus_retriever, query, authority, within):
    hits = corpus_retriever.search(query, k=within, mode="bm25")
    found = [(h.passage.authority, h.passage.mentions) for h in hits]
    assert any(a == authority or authority in m for a, m in found), found


# -- the per-query costs that must not grow with the corpus ---------------------------------


@pytest.mark.parametrize(
    ("scores", "k", "expected"),
    [
        # fewer candidates than k: every index, best first
        ([0.5, 2.0, 1.0], 5, [1, 2, 0]),
        # ties keep passage order, as the full stable sort did
        ([1.0, 3.0, 3.0, 0.0, 3.0], 2, [1, 2]),
        # the top k of a long list without sorting all of it
        ([float(i % 7) for i in range(1000)], 3, [6, 13, 20]),
    ],
)
def test_top_k_matches_a_full_stable_sort(scores, k, expected) -> None:
    array = np.array(scores)
    assert list(top_k(array, k)) == expected
    assert list(top_k(array, k)) == list(np.argsort(-array, kind="stable")[:k])
