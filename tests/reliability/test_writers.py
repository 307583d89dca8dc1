"""One writer per data folder: concurrent index runs in real processes never lose a generation."""

from __future__ import annotations

import logging
import multiprocessing
import shutil
import time
from pathlib import Path

import pytest
from bot.core.errors import BusyError
from bot.core.settings import Settings
from bot.index.build import build_index
from bot.index.lock import writer_lock
from bot.index.snapshot import live_generation, load_snapshot
from reliability_support import MASTERSON, ORDER_TWO, live_vector_ids, stored_vector_ids

# Forked children must never run the embedding model (a forked torch thread pool hangs), so
# each test embeds every text in the parent first and the children only reuse stored vectors.
FORK = multiprocessing.get_context("fork")


def _hold(data_dir: str, ready, release) -> None:
    settings = Settings(_env_file=None, data_dir=Path(data_dir))
    with writer_lock(settings):
        ready.set()
        release.wait(30)


def _index(data_dir: str, folder: str, rounds: int, embedder, failures) -> None:
    settings = Settings(_env_file=None, data_dir=Path(data_dir), lock_timeout_s=60)
    for _ in range(rounds):
        try:
            build_index(settings, [Path(folder)], embedder)
        except Exception as error:  # the parent asserts there were none
            failures.put(repr(error))


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
    ready, release = FORK.Event(), FORK.Event()
    holder = FORK.Process(target=_hold, args=(str(settings.data_dir), ready, release))
    holder.start()
    try:
        assert ready.wait(20)
        started = time.monotonic()
        with caplog.at_level(logging.WARNING), pytest.raises(BusyError) as refused:
            build_index(settings, [knowledge], embedder)
        waited = time.monotonic() - started
    finally:
        release.set()
        holder.join(20)
    assert 0.9 <= waited < 10  # bounded by PROCBOT_LOCK_TIMEOUT_S
    assert "waiting" in caplog.text.lower()
    assert str(settings.data_dir) in str(refused.value)
    assert "PROCBOT_LOCK_TIMEOUT_S" in str(refused.value)
    assert live_vector_ids(settings) == before == stored_vector_ids(settings)


def test_a_waiting_run_goes_on_once_the_writer_finishes(
    settings: Settings, knowledge: Path, embedder
) -> None:
    settings = settings.model_copy(update={"lock_timeout_s": 20.0})
    build_index(settings, [knowledge], embedder)
    ready, release = FORK.Event(), FORK.Event()
    holder = FORK.Process(target=_hold, args=(str(settings.data_dir), ready, release))
    holder.start()
    assert ready.wait(20)
    timer = FORK.Process(target=_release_later, args=(release, 1.5))
    timer.start()
    report = build_index(settings, [knowledge], embedder)
    holder.join(20)
    timer.join(5)
    assert report.documents == 1


def _release_later(release, seconds: float) -> None:
    time.sleep(seconds)
    release.set()


def test_concurrent_runs_in_four_processes_leave_a_whole_generation(
    settings: Settings, two_sets: tuple[Path, Path], embedder
) -> None:
    one, both = two_sets
    build_index(settings, [both], embedder)  # every vector exists: children only reuse
    failures = FORK.Queue()
    children = [
        FORK.Process(
            target=_index,
            args=(str(settings.data_dir), str(folder), 3, embedder, failures),
        )
        for folder in (one, both, one, both)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(120)
    errors = []
    while not failures.empty():
        errors.append(failures.get())
    assert errors == []
    assert all(child.exitcode == 0 for child in children)
    snapshot = load_snapshot(settings)  # `current` names a folder that exists and loads
    assert {d.doc_id for d in snapshot.documents} in (
        {"masterson-v-killen-2014-11-24"},
        {"masterson-v-killen-2014-11-24", "roe-v-doe-2020-01-02"},
    )
    # Every vector the live generation needs is stored.
    assert live_vector_ids(settings) <= stored_vector_ids(settings)
    # Old generations are gone; only the live one is left.
    folders = [p.name for p in settings.index_dir.glob("gen-*")]
    assert folders == [live_generation(settings).name]
