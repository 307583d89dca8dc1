"""One writer per data folder: concurrent index runs in real processes never lose a generation."""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

import pytest
from reliability_support import (
    HOLD_LOCK,
    INDEX_RUNS,
    MASTERSON,
    ORDER_TWO,
    live_records,
    live_vector_ids,
    python_process,
    script,
    stored_vector_ids,
)

from bot.core.errors import BusyError
from bot.core.settings import Settings
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
    settings: Settings, two_sets: tuple[Path, Path], embedder
) -> None:
    one, both = two_sets
    # What each set is, indexed alone, in a data folder of its own: the exact passages.
    alone = settings.model_copy(update={"data_dir": settings.data_dir.parent / "alone"})
    build_index(alone, [one], embedder)
    passages_of_one = live_records(alone)
    build_index(settings, [both], embedder)  # every vector exists: the children only reuse
    passages_of_both = live_records(settings)
    vectors_of_both = stored_vector_ids(settings)
    assert {r["vector_id"] for r in passages_of_both} == vectors_of_both
    children = [
        python_process(script(INDEX_RUNS, settings.data_dir, folder, 2))
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
