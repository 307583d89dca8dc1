"""One writer per data folder: concurrent index runs in real processes never lose a generation."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from reliability_support import (
    HOLD_LOCK,
    INDEX_RUNS,
    MASTERSON,
    ORDER_TWO,
    REPO,
    RecordingEmbedder,
    live_records,
    live_vector_ids,
    python_process,
    script,
    stored_vector_ids,
)

from bot.core.errors import BusyError
from bot.core.settings import Settings
from bot.evaluate.run import eval_settings
from bot.index.build import build_index
from bot.index.snapshot import live_generation, load_snapshot


def _hold_lock(data_dir: Path, seconds: float):
    """A real process holding the data folder's writer lock for `seconds`."""
    holder = python_process(script(HOLD_LOCK, data_dir, seconds))
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "held", holder.stderr.read() if holder.stderr else ""
    return holder


@pytest.fixture
def two_sets(tmp_path: Path) -> tuple[Path, Path]:
    one = tmp_path / "one"
    both = tmp_path / "both"
    one.mkdir()
    both.mkdir()
    shutil.copy(MASTERSON, one / MASTERSON.name)
    shutil.copy(MASTERSON, both / MASTERSON.name)
    (both / "roe-v-doe-2020-01-02.md").write_text(ORDER_TWO, encoding="utf-8")
    return one, both


def test_a_second_run_waits_with_a_message_then_refuses_clearly(
    settings: Settings, knowledge: Path, embedder, caplog: pytest.LogCaptureFixture
) -> None:
    settings = settings.model_copy(update={"lock_timeout_s": 1.0})
    build_index(settings, [knowledge], embedder)
    before = live_vector_ids(settings)
    holder = _hold_lock(settings.data_dir, 60)
    try:
        started = time.monotonic()
        with caplog.at_level(logging.WARNING), pytest.raises(BusyError) as refused:
            build_index(settings, [knowledge], embedder)
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert 0.9 <= waited < 10  # bounded by PROCBOT_LOCK_TIMEOUT_S
    assert "waiting" in caplog.text.lower()
    assert str(settings.data_dir) in str(refused.value)
    assert "PROCBOT_LOCK_TIMEOUT_S" in str(refused.value)
    assert live_vector_ids(settings) == before == stored_vector_ids(settings)


def test_a_waiting_run_goes_on_once_the_writer_finishes(
    settings: Settings, knowledge: Path, embedder
) -> None:
    settings = settings.model_copy(update={"lock_timeout_s": 60.0})
    build_index(settings, [knowledge], embedder)
    holder = _hold_lock(settings.data_dir, 2)
    started = time.monotonic()
    report = build_index(settings, [knowledge], embedder)
    holder.wait(30)
    assert time.monotonic() - started >= 1.0  # it did wait for the other writer
    assert report.documents == 1


def test_concurrent_runs_in_four_processes_leave_a_whole_generation(
    settings: Settings, two_sets: tuple[Path, Path], embedder, tmp_path: Path
) -> None:
    one, both = two_sets
    # What each set is, indexed alone, in a data folder of its own: the exact passages.
    alone = settings.model_copy(update={"data_dir": settings.data_dir.parent / "alone"})
    build_index(alone, [one], embedder)
    passages_of_one = live_records(alone)
    # This first run computes every vector either set needs; the children, whose runs delete
    # the second order's vectors and store them again in turn, look them up instead of
    # loading the model four times.
    recording = RecordingEmbedder(embedder)
    build_index(settings, [both], recording)
    known = recording.save(tmp_path / "vectors.json")
    passages_of_both = live_records(settings)
    vectors_of_both = stored_vector_ids(settings)
    assert {r["vector_id"] for r in passages_of_both} == vectors_of_both
    children = [
        python_process(script(INDEX_RUNS, settings.data_dir, folder, 2, known))
        for folder in (one, both, one, both)
    ]
    outputs = [child.communicate(timeout=600) for child in children]
    failed = [
        err[-2000:] for child, (_, err) in zip(children, outputs, strict=True) if child.returncode
    ]
    assert failed == []
    snapshot = load_snapshot(settings)  # `current` names a folder that exists and loads
    assert {d.doc_id for d in snapshot.documents} in (
        {"masterson-v-killen-2014-11-24"},
        {"masterson-v-killen-2014-11-24", "roe-v-doe-2020-01-02"},
    )
    # The live generation is exactly one of the two sets, passage for passage, and every
    # vector it needs is stored: the last run's predecessor-only deletion kept them.
    assert live_records(settings) in (passages_of_one, passages_of_both)
    assert live_vector_ids(settings) <= stored_vector_ids(settings) <= vectors_of_both
    # Old generations are gone; only the live one is left.
    folders = [p.name for p in settings.index_dir.glob("gen-*")]
    assert folders == [live_generation(settings).name]


# Questions of our own about the Masterson order, enough that one run is still reading its
# cached index while the other writes a new generation of it.
OWN_QUESTIONS = """
questions:
  - id: own-1
    question: "Does a letter traded with the other side during discovery go in the court file?"
    verdict: "no"
    sources: ["masterson-v-killen-2014-11-24"]
  - id: own-2
    question: "Should talks about settling the case be sent to the judge as a filing?"
    sources: ["masterson-v-killen-2014-11-24"]
  - id: own-3
    question: "Will the court rule on a request written only to the defendants' attorney?"
    sources: ["masterson-v-killen-2014-11-24"]
  - id: own-4
    question: "Which local rules say when discovery papers may be filed with the court?"
    sources: ["masterson-v-killen-2014-11-24"]
  - id: own-5
    question: "Can a state prisoner bring a civil rights case without paying the fee up front?"
    sources: ["masterson-v-killen-2014-11-24"]
"""


def _scores(metrics: dict) -> dict:
    """What two evaluations of one index must agree on: everything but the timings."""
    kept = {k: v for k, v in metrics.items() if "latency" not in k and k != "retrievers"}
    kept["retrievers"] = {
        name: {k: v for k, v in row.items() if "latency" not in k}
        for name, row in metrics["retrievers"].items()
    }
    return kept


def test_two_evaluations_at_once_share_their_cached_index(
    settings: Settings, knowledge: Path, tmp_path: Path
) -> None:
    questions = tmp_path / "own.yaml"
    questions.write_text(OWN_QUESTIONS, encoding="utf-8")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PROCBOT_")},
        "PROCBOT_DATA_DIR": str(settings.data_dir),
        "PYTHONPATH": str(REPO),
    }
    command = [sys.executable, "-m", "bot", "eval", str(questions), "--knowledge", str(knowledge)]
    # Both start on an empty cache: one builds it, the other waits for the writer lock and
    # writes its own generation while the first is still reading.
    runs = [
        subprocess.Popen(
            [*command, "--compare", "bm25", "--json"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=600) for run in runs]
    finished = []
    for run, (stdout, stderr) in zip(runs, outputs, strict=True):
        assert "Traceback" not in stderr, stderr[-3000:]
        if run.returncode == 0:
            finished.append(_scores(json.loads(stdout)))
        else:  # the one acceptable failure: a clear refusal after waiting for the writer
            errors = [line for line in stderr.splitlines() if line.startswith("Error: ")]
            assert len(errors) == 1 and "PROCBOT_LOCK_TIMEOUT_S" in errors[0], stderr[-3000:]
    assert finished and all(scores == finished[0] for scores in finished)
    assert finished[0]["questions"] == 5
    # The cache is whole: one generation, every vector it needs stored, and it serves.
    cache = eval_settings(settings, [knowledge], "extractive")
    snapshot = load_snapshot(cache)
    assert {d.doc_id for d in snapshot.documents} == {"masterson-v-killen-2014-11-24"}
    assert [p.name for p in cache.index_dir.glob("gen-*")] == [live_generation(cache).name]
    assert live_vector_ids(cache) == stored_vector_ids(cache)
