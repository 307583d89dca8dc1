"""Index runs on real files: incremental, bad files named, nothing indexable keeps the old index."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.core.errors import ConfigError, InputError
from bot.core.settings import SHIPPED_KNOWLEDGE
from bot.index import bm25 as bm25_stage
from bot.index.bm25 import BM25_TOKENIZER, STEM_MARK, query_tokens
from bot.index.build import build_index
from bot.index.snapshot import load_snapshot, summarize
from bot.index.store import open_collection
from bot.search.retrieve import Retriever

QUERY = "letter to defense counsel filed with the court"
MASTERSON = SHIPPED_KNOWLEDGE / "masterson-v-killen-2014-11-24.txt"


def top_ids(settings, embedder, query=QUERY):
    snapshot = load_snapshot(settings)
    collection = open_collection(settings, embedder.name)
    hits = Retriever(settings, embedder, snapshot, collection).search(query, k=3)
    return [hit.passage.passage_id for hit in hits]


# -- build_index on real files: the shipped order, and the reference corpus -------------------


def test_build_index_is_incremental_on_real_files(store_settings, knowledge, embedder):
    order = knowledge / MASTERSON.name
    first = build_index(store_settings, [knowledge], embedder)
    assert (first.documents, first.embedded, first.errors) == (1, first.passages, ())
    assert first.passages >= 3

    again = build_index(store_settings, [knowledge], embedder)
    assert (again.embedded, again.reused, again.removed) == (0, first.passages, 0)

    # Edit one sentence of the ruling paragraph: only the passage holding it is re-embedded.
    text = order.read_text(encoding="utf-8")
    sentence = "settlement negotiations are considered confidential"
    assert sentence in text
    order.write_text(text.replace(sentence, "settlement talks are confidential"), "utf-8")
    edited = build_index(store_settings, [knowledge], embedder)
    assert (edited.embedded, edited.removed, edited.passages) == (1, 1, first.passages)

    # A second order file, then its deletion: exactly its passages come and go.
    copy = knowledge / "masterson-copy.txt"
    copy.write_text(text, "utf-8")
    added = build_index(store_settings, [knowledge], embedder)
    assert added.documents == 2
    copy.unlink()
    dropped = build_index(store_settings, [knowledge], embedder)
    assert dropped.removed == added.passages - edited.passages
    assert dropped.embedded == 0
    assert open_collection(store_settings, embedder.name).count() == edited.passages


def test_bad_file_is_reported_by_name_and_the_rest_indexed(settings, knowledge, embedder):
    (knowledge / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    notes = knowledge / "notes.docx"  # folders skip unknown types; named files are reported
    notes.write_bytes(b"PK\x03\x04")
    stages = []
    report = build_index(settings, [knowledge, notes], embedder, lambda s, d, t: stages.append(s))
    assert report.documents == 1
    assert sorted(Path(e.path).name for e in report.errors) == ["broken.pdf", "notes.docx"]
    assert {"read", "check", "embed", "write"} <= set(stages)
    assert load_snapshot(settings).documents[0].doc_id == MASTERSON.stem


def test_one_file_reached_twice_is_one_document(settings, knowledge, embedder, tmp_path):
    # knowledge/ and the reference corpus both hold the Masterson order, byte for byte.
    elsewhere = tmp_path / "corpus"
    elsewhere.mkdir()
    shutil.copy(MASTERSON, elsewhere / MASTERSON.name)
    report = build_index(settings, [knowledge, elsewhere], embedder)
    assert (report.documents, report.errors) == (1, ())


def test_two_different_files_under_one_name_are_reported(settings, knowledge, embedder, tmp_path):
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    text = MASTERSON.read_text(encoding="utf-8")
    (elsewhere / MASTERSON.name).write_text(text.replace("Killen", "Killian"), "utf-8")
    report = build_index(settings, [knowledge, elsewhere], embedder)
    assert report.documents == 1
    assert [Path(e.path).parent.name for e in report.errors] == ["other"]
    assert "has the same name as" in str(report.errors[0])


@pytest.mark.corpus
def test_reference_corpus_indexes_without_errors(corpus_index):
    settings, report = corpus_index
    assert report.errors == ()
    summary = summarize(load_snapshot(settings))
    assert summary.orders == 38
    assert summary.excerpts >= 30  # README: most orders are excerpts
    books = {b.doc_id: (b.prefix, b.version) for b in summary.rule_books if b.kind == "rules"}
    assert books == {
        "frcp-2022-12-01": ("Fed. R. Civ. P.", "2022-12-01"),
        "edcal-local-rules-quoted": ("E.D. Cal. L.R.", None),
    }
    rules = {b.doc_id: b.rules for b in summary.rule_books}
    assert rules["frcp-2022-12-01"] >= 86  # every Civil Rule the print holds
    assert rules["28-usc-1915-1915a"] == 2  # statute files count their sections


@pytest.mark.parametrize(
    "files",
    [
        {},  # an empty folder
        {"empty.txt": b""},  # only an empty file
        {"scan.txt": b"\x00\x01binary\x00", "broken.pdf": b"%PDF-1.4 not a pdf"},  # only bad files
    ],
)
def test_nothing_indexable_keeps_the_previous_index(settings, knowledge, embedder, tmp_path, files):
    build_index(settings, [knowledge], embedder)
    before = top_ids(settings, embedder)
    folder = tmp_path / "typo"
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_bytes(content)
    with pytest.raises(InputError, match="previous index is still in use") as raised:
        build_index(settings, [folder], embedder)
    for name in files:
        assert name in str(raised.value)  # each skipped file is named
    assert top_ids(settings, embedder) == before


def test_missing_path_is_named_and_nothing_is_lost(settings, knowledge, embedder, tmp_path):
    build_index(settings, [knowledge], embedder)
    before = top_ids(settings, embedder)
    with pytest.raises(InputError, match="nowhere"):
        build_index(settings, [tmp_path / "nowhere"], embedder)
    assert top_ids(settings, embedder) == before


def test_text_without_searchable_words_is_a_clear_error():
    # Labels make every real passage searchable; this guards the BM25 stage on its own, since
    # bm25s fails with a bare ValueError on an empty vocabulary.
    with pytest.raises(InputError, match="no searchable words"):
        bm25_stage.build_bm25(["The and of it is.", "It is."])


# -- the BM25 tokenizer: one stemmer for passages and queries -----------------------------


@pytest.mark.parametrize(
    ("plain", "court"),
    [
        # 42 U.S.C. § 1997e(a): "until such administrative remedies ... are exhausted"
        ("exhausting", "exhausted"),
        # 42 U.S.C. § 1997e(b): "an administrative grievance procedure"
        ("grievances", "grievance"),
        # Asberry v. Cate (E.D. Cal. 2011): "Plaintiff has not opposed the motion."
        ("opposing", "opposed"),
        # Palacios v. Smith (E.D. Cal. 2019): "appointment of counsel"
        ("appointed", "appointment"),
        # 28 U.S.C. § 1915(e)(2): "the court shall dismiss the case at any time"
        ("dismissed", "dismiss"),
        # Fed. R. Civ. P. 33(a)(1): "a party may serve on any other party"
        ("served", "serve"),
    ],
)
def test_plain_words_and_the_courts_words_share_stems(plain, court):
    shared = set(query_tokens(plain)) & set(query_tokens(court))
    # only the stem joins them: the words as written differ
    assert len(shared) == 1, query_tokens(plain)
    assert next(iter(shared)).startswith(STEM_MARK)


def test_the_index_holds_every_token_of_its_own_text_as_a_query():
    # Fed. R. Civ. P. 33(a)(1)
    text = (
        "Unless otherwise stipulated or ordered by the court, a party may serve on any other "
        "party no more than 25 written interrogatories, including all discrete subparts."
    )
    tokens = query_tokens(text)
    assert {"interrogatories", STEM_MARK + "interrogatori", "25", STEM_MARK + "25"} <= set(tokens)
    assert "the" not in tokens and "a" not in tokens
    bm25 = bm25_stage.build_bm25([text, "Masterson v. Killen"])
    assert len(bm25.get_tokens_ids(tokens)) == len(tokens)
    scores = bm25.get_scores_from_ids(bm25.get_tokens_ids(query_tokens("interrogatory")))
    assert scores[0] > 0 and scores[1] == 0  # "interrogatory" reaches "interrogatories"


def test_tokenizer_change_rebuilds_bm25_without_embedding(settings, knowledge, embedder):
    first = build_index(settings, [knowledge], embedder)
    # The generation as an older procbot (no stemmer) wrote it: it is refused until re-indexed.
    meta_file = settings.index_dir / f"gen-{first.generation}" / "meta.json"
    meta = json.loads(meta_file.read_text())
    meta["bm25"] = {**BM25_TOKENIZER, "stemmer": None}
    meta_file.write_text(json.dumps(meta))
    with pytest.raises(ConfigError, match="different BM25 tokenizer"):
        load_snapshot(settings)

    again = build_index(settings, [knowledge], embedder)
    assert (again.embedded, again.reused, again.removed) == (0, first.passages, 0)
    assert load_snapshot(settings).generation == again.generation
    # Masterson says "request" and "confer", never "requesting" or "conferring": only the
    # stemmed rebuild matches these words at all.
    hits = Retriever(
        settings, embedder, load_snapshot(settings), open_collection(settings, embedder.name)
    ).search("requesting conferring", k=1, mode="bm25")
    assert hits and hits[0].passage.doc_id == MASTERSON.stem
