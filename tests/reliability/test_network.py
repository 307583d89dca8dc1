"""A Chroma server killed or frozen never hangs or breaks `ask`; a running engine stays fresh."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from reliability_support import (
    ORDER_TWO,
    live_records,
    live_vector_ids,
    served,
    stored_vector_ids,
)

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


def _orders(folder: Path, count: int) -> Path:
    """`count` short orders of our own, each its own case, so an index run has vectors to store."""
    folder.mkdir()
    for number in range(1, count + 1):
        text = ORDER_TWO.replace("Roe v. Doe", f"Roe {number} v. Doe").replace(
            "1:20-cv-00001", f"1:20-cv-{number:05d}"
        )
        (folder / f"roe-{number}-v-doe-2020-01-02.md").write_text(text, encoding="utf-8")
    return folder


def _wait_for_request(server, offset: int, route: str, child: subprocess.Popen) -> None:
    """Return once the server's log, past `offset`, shows a request to `route`."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and child.poll() is None:
        if route in server.log.read_bytes()[offset:].decode(errors="replace"):
            return
        time.sleep(0.005)
    raise AssertionError(f"no {route} request reached the server: {child.poll()=}")


def test_a_server_killed_during_an_index_run_loses_nothing(
    settings: Settings, chroma_server, knowledge: Path, embedder, tmp_path: Path
) -> None:
    remote = served(settings, chroma_server, tmp_path / "data")
    build_index(remote, [knowledge], embedder)
    passages, vectors = live_records(remote), stored_vector_ids(remote)
    assert vectors == live_vector_ids(remote)
    more = _orders(tmp_path / "more", 6)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PROCBOT_")},
        "PROCBOT_DATA_DIR": str(remote.data_dir),
        "PROCBOT_KNOWLEDGE": str(knowledge),
        "CHROMA_URL": chroma_server.url,
        "PROCBOT_CHROMA_TIMEOUT_S": "3",
        "PYTHONPATH": str(REPO),
    }
    offset = chroma_server.log.stat().st_size
    child = subprocess.Popen(
        [sys.executable, "-m", "bot", "index", str(more)],
        cwd=tmp_path,  # no developer's .env
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # The run asks which of its vectors are stored; it is stopped there and the server is
    # killed under it, so the vectors it still has to store have nowhere to go.
    _wait_for_request(chroma_server, offset, "/get", child)
    os.kill(child.pid, signal.SIGSTOP)
    chroma_server.kill()
    os.kill(child.pid, signal.SIGCONT)
    stdout, stderr = child.communicate(timeout=120)
    output = stdout + stderr
    assert child.returncode == 1, output
    errors = [line for line in output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, output
    assert f"Chroma server at {chroma_server.url} (CHROMA_URL)" in errors[0], errors[0]
    assert "previous index is still in use" in errors[0]
    assert "Traceback" not in output
    # The previous generation is still the live one, whole, and answers by word search
    # while the server is down.
    assert live_records(remote) == passages
    assert len(list(remote.index_dir.glob("gen-*"))) == 1
    assert not Engine(remote.model_copy(update={"chroma_retries": 0})).ask(QUESTION).abstained
    chroma_server.start()  # the same folder: every vector of the old generation is back
    assert vectors <= stored_vector_ids(remote)
    engine = Engine(remote)
    assert engine.search("discovery correspondence", k=3, mode="dense")
    assert engine.sources().dense is None and engine.sources().documents == 1


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
