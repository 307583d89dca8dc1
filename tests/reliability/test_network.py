"""A Chroma server killed or frozen never hangs or breaks `ask`; a running engine stays fresh."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from reliability_support import ORDER_TWO, served, stored_vector_ids

from bot.app.engine import Engine
from bot.core.settings import Settings
from bot.index.build import build_index
from bot.index.store import generation_collection

REPO = Path(__file__).resolve().parents[2]
QUESTION = "Do I send my discovery letters to the judge?"


def test_a_frozen_then_killed_server_does_not_hang_ask(
    settings: Settings, chroma_server, knowledge: Path, embedder, tmp_path: Path
) -> None:
    remote = served(settings, chroma_server, tmp_path / "data")
    build_index(remote, [knowledge], embedder)
    engine = Engine(remote)
    assert not engine.ask(QUESTION).abstained
    assert engine.sources().dense is None  # dense retrieval healthy

    chroma_server.freeze()
    try:
        started = time.monotonic()
        answer = engine.ask(QUESTION)
        elapsed = time.monotonic() - started
    finally:
        chroma_server.thaw()
    assert elapsed < 20  # bounded by PROCBOT_CHROMA_TIMEOUT_S (3 s here) and its retries
    assert not answer.abstained  # BM25 and authority retrieval still answer
    assert any("word search" in note for note in answer.notes)
    assert "unavailable" in (engine.sources().dense or "")

    chroma_server.kill()
    started = time.monotonic()
    answer = engine.ask(QUESTION)
    assert time.monotonic() - started < 20
    assert not answer.abstained

    chroma_server.start()  # same folder: the vectors come back with it
    time.sleep(engine.settings.dense_retry_s + 0.1)
    assert engine.search("discovery correspondence", k=3, mode="dense")
    assert engine.sources().dense is None
    assert stored_vector_ids(remote)


def test_an_index_run_against_a_dead_server_says_so(
    settings: Settings, chroma_server, knowledge: Path, embedder, tmp_path: Path
) -> None:
    remote = served(settings, chroma_server, tmp_path / "data")
    chroma_server.kill()
    with pytest.raises(Exception) as refused:
        build_index(remote, [knowledge], embedder)
    assert "CHROMA_URL" in str(refused.value)
    assert not (remote.index_dir / "current").exists()


def test_a_running_engine_sees_vectors_another_process_added(
    settings: Settings, knowledge: Path, embedder, tmp_path: Path
) -> None:
    build_index(settings, [knowledge], embedder)
    engine = Engine(settings)
    assert engine.search("appoint counsel", k=2, mode="dense")
    order = tmp_path / "roe-v-doe-2020-01-02.md"
    order.write_text(ORDER_TWO, encoding="utf-8")
    env = {
        **os.environ,
        "PROCBOT_DATA_DIR": str(settings.data_dir),
        "PROCBOT_KNOWLEDGE": str(knowledge),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "index", str(order)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    hits = engine.search("appointment of counsel in exceptional circumstances", k=2, mode="dense")
    assert hits[0].passage.doc_id == "roe-v-doe-2020-01-02"
    assert engine.sources().documents == 2 and engine.sources().dense is None
    # Every vector of the new generation is reachable by dense search, in this engine and in
    # a second one made in the same process afterwards (chromadb's cached copy is not reused).
    snapshot = engine.snapshot
    every = {p.passage_id for p in snapshot.passages}
    assert {h.passage.passage_id for h in engine.search("court", k=50, mode="dense")} == every
    second = Engine(settings, embedder=embedder)
    assert {h.passage.passage_id for h in second.search("court", k=50, mode="dense")} == every


def test_an_engine_says_when_the_store_lacks_its_generations_vectors(
    settings: Settings, knowledge: Path, embedder
) -> None:
    build_index(settings, [knowledge], embedder)
    engine = Engine(settings, embedder=embedder)
    assert engine.sources().dense is None
    snapshot = engine.snapshot
    # As if the store were another, older one: two of the generation's vectors are not in it.
    gone = sorted(set(snapshot.vector_ids))[:2]
    generation_collection(settings).delete(ids=gone)
    fresh = Engine(settings, embedder=embedder)
    dense = fresh.sources().dense or ""
    assert f"2 of {len(set(snapshot.vector_ids))} vectors" in dense
    assert snapshot.generation in dense and "procbot index" in dense
    answer = fresh.ask(QUESTION)  # dense retrieval works over the rest, and says so
    (note,) = [n for n in answer.notes if n.startswith("Meaning search covers only part")]
    assert f"2 of {len(set(snapshot.vector_ids))} vectors" in note
    assert f"2 of {len(set(snapshot.vector_ids))} vectors" in (fresh.sources().dense or "")
    # `procbot index` stores them again and the warning goes.
    report = build_index(settings, [knowledge], embedder)
    assert report.embedded == 2
    assert Engine(settings, embedder=embedder).sources().dense is None
