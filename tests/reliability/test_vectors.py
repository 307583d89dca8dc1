"""Own your vectors; incremental means incremental: exact passages and vectors before and after."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from reliability_support import (
    MASTERSON,
    ORDER_TWO,
    live_records,
    live_vector_ids,
    served,
    stored_vector_ids,
)

from bot.core.settings import Settings
from bot.evaluate.run import eval_settings
from bot.index.build import build_index
from bot.index.store import generation_collection

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def order_two(tmp_path: Path) -> Path:
    path = tmp_path / "more" / "roe-v-doe-2020-01-02.md"
    path.parent.mkdir()
    path.write_text(ORDER_TWO, encoding="utf-8")
    return path


def test_two_data_folders_on_one_server_never_touch_each_others_vectors(
    settings: Settings, chroma_server, knowledge: Path, order_two: Path, embedder, tmp_path
) -> None:
    production = served(settings, chroma_server, tmp_path / "production")
    build_index(production, [knowledge, order_two], embedder)
    passages_before = live_records(production)
    vectors_before = stored_vector_ids(production)
    assert vectors_before == live_vector_ids(production) and len(vectors_before) > 5

    # Another data folder with a different set, on the same server and collection setting.
    other = served(settings, chroma_server, tmp_path / "other")
    report = build_index(other, [knowledge], embedder)
    assert report.removed == 0
    # And an evaluation's cached index beside them (what `procbot eval --knowledge` builds).
    evaluation = eval_settings(production, [knowledge], "extractive")
    build_index(evaluation, [knowledge], embedder)

    assert live_records(production) == passages_before
    assert stored_vector_ids(production) == vectors_before
    assert generation_collection(other).name != generation_collection(production).name


def test_a_run_deletes_only_vectors_its_predecessor_owned(
    settings: Settings, knowledge: Path, order_two: Path, embedder
) -> None:
    build_index(settings, [knowledge, order_two], embedder)
    masterson = {r["vector_id"] for r in live_records(settings) if r["doc_id"].startswith("mas")}
    collection = generation_collection(settings)
    # A vector this data folder's generations never owned (another tool's, a future version's).
    collection.add(ids=["foreign-vector"], embeddings=[[0.0] * 383 + [1.0]])
    order_two.write_text(ORDER_TWO.replace("denied without", "denied, without"), "utf-8")
    report = build_index(settings, [knowledge, order_two], embedder)
    stored = stored_vector_ids(settings)
    assert "foreign-vector" in stored
    assert masterson <= stored
    assert stored - {"foreign-vector"} == live_vector_ids(settings)
    assert report.removed >= 1


def _settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path / "data")


def test_indexing_one_file_adds_it_and_keeps_everything_else(
    cli, tmp_path: Path, order_two: Path
) -> None:
    code, output = cli("index")
    assert code == 0, output
    settings = _settings(tmp_path)
    masterson_passages = live_records(settings)
    masterson_vectors = stored_vector_ids(settings)

    code, output = cli("index", str(order_two))
    assert code == 0, output
    assert "added 1" in output.lower()
    records = live_records(settings)
    assert [r for r in records if r["doc_id"].startswith("mas")] == masterson_passages
    assert {r["doc_id"] for r in records} == {
        "masterson-v-killen-2014-11-24",
        "roe-v-doe-2020-01-02",
    }
    assert masterson_vectors < stored_vector_ids(settings) == live_vector_ids(settings)

    # Removing is explicit, and removes only that document's passages and vectors.
    code, output = cli("index", "--remove", str(order_two))
    assert code == 0, output
    assert live_records(settings) == masterson_passages
    assert stored_vector_ids(settings) == masterson_vectors

    # Removing what is not indexed says so and changes nothing.
    code, output = cli("index", "--remove", str(order_two))
    assert code == 1
    assert "not indexed" in output
    assert live_records(settings) == masterson_passages


def test_replace_makes_the_given_paths_the_whole_set(cli, tmp_path: Path, order_two) -> None:
    assert cli("index")[0] == 0
    code, output = cli("index", "--replace", str(order_two))
    assert code == 0, output
    settings = _settings(tmp_path)
    assert {r["doc_id"] for r in live_records(settings)} == {"roe-v-doe-2020-01-02"}
    assert stored_vector_ids(settings) == live_vector_ids(settings)


def test_removing_the_last_document_is_refused(cli, tmp_path: Path) -> None:
    assert cli("index")[0] == 0
    before = live_records(_settings(tmp_path))
    code, output = cli("index", "--remove", MASTERSON.stem)  # by document id
    assert code == 1
    assert "empty" in output
    assert live_records(_settings(tmp_path)) == before


def test_an_updated_file_replaces_its_own_passages_only(
    cli, tmp_path: Path, knowledge: Path, order_two: Path
) -> None:
    assert cli("index")[0] == 0
    assert cli("index", str(order_two))[0] == 0
    settings = _settings(tmp_path)
    masterson = [r for r in live_records(settings) if r["doc_id"].startswith("mas")]
    order_two.write_text(ORDER_TWO.replace("denied without", "denied, without"), "utf-8")
    code, output = cli("index", str(order_two))
    assert code == 0, output
    assert "updated 1" in output.lower()
    assert [r for r in live_records(settings) if r["doc_id"].startswith("mas")] == masterson
    assert stored_vector_ids(settings) == live_vector_ids(settings)
    shutil.rmtree(knowledge)  # the set's own files may go away; the index keeps what it has
    assert cli("sources")[0] == 0
