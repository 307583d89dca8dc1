"""Full disks and damaged index files: the previous generation keeps serving, repairs are named."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest
from reliability_support import (
    INDEX_RUNS,
    ORDER_TWO,
    live_records,
    live_vector_ids,
    python_process,
    script,
    stored_vector_ids,
)

from bot.app.engine import Engine
from bot.core.settings import Settings
from bot.index.build import build_index

QUESTION = "Do I send my discovery letters to the judge?"


def _file_limit(limit: int):
    def apply() -> None:
        # Writes past `limit` bytes fail with EFBIG, as a full disk fails with ENOSPC.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def _read_commands_work(settings: Settings, documents: int) -> None:
    engine = Engine(settings)
    assert engine.sources().documents == documents
    assert engine.search("discovery letters filed with the court", k=3)
    assert not engine.ask(QUESTION).abstained


def test_a_write_failure_leaves_the_previous_generation_serving(
    settings: Settings, knowledge: Path, embedder
) -> None:
    build_index(settings, [knowledge], embedder)
    passages, vectors = live_records(settings), stored_vector_ids(settings)
    # The same set again in a real process (every vector reused), so the run fails while it
    # writes the new generation's files.
    child = python_process(
        script(INDEX_RUNS, settings.data_dir, knowledge, 1), preexec_fn=_file_limit(4096)
    )
    _, stderr = child.communicate(timeout=300)
    assert child.returncode == 1
    # The script does not catch: its traceback's last line is the error people would see.
    assert "bot.core.errors.ConfigError" in stderr, stderr[-2000:]
    assert "previous index is still in use" in stderr
    assert live_records(settings) == passages
    assert stored_vector_ids(settings) == vectors
    assert len(list(settings.index_dir.glob("gen-*"))) == 1  # the half-written one is gone
    _read_commands_work(settings, 1)


def test_too_little_free_space_is_refused_before_anything_is_written(
    settings: Settings, knowledge: Path, embedder, tmp_path: Path
) -> None:
    build_index(settings, [knowledge], embedder)
    passages, vectors = live_records(settings), stored_vector_ids(settings)
    greedy = settings.model_copy(update={"min_free_mb": 10**9})
    with pytest.raises(Exception) as refused:
        build_index(greedy, [knowledge], embedder)
    message = str(refused.value)
    assert "free" in message and "PROCBOT_MIN_FREE_MB" in message
    assert live_records(settings) == passages and stored_vector_ids(settings) == vectors


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A 6 MB tmpfs (root only); skipped where mounting is not allowed."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_keeps_every_read_command_working(
    settings: Settings, knowledge: Path, embedder, tiny_disk: Path
) -> None:
    on_disk = settings.model_copy(update={"data_dir": tiny_disk / "data", "min_free_mb": 0})
    build_index(on_disk, [knowledge], embedder)
    passages, vectors = live_records(on_disk), stored_vector_ids(on_disk)
    filler = tiny_disk / "filler"
    with open(filler, "wb", buffering=0) as out:  # fill the disk to the last byte
        for size in (65536, 4096, 1):
            try:
                while True:
                    out.write(b"\0" * size)
            except OSError:
                pass
    _read_commands_work(on_disk, 1)
    order = knowledge / "roe-v-doe-2020-01-02.md"
    order.write_text(ORDER_TWO, encoding="utf-8")
    with pytest.raises(Exception) as refused:
        build_index(on_disk, [knowledge], embedder)
    assert "still in use" in str(refused.value)
    filler.unlink()
    assert live_records(on_disk) == passages and stored_vector_ids(on_disk) == vectors
    # Once space is back, indexing works again: the store was not damaged for good.
    report = build_index(on_disk, [knowledge], embedder)
    assert report.documents == 2
    assert stored_vector_ids(on_disk) == live_vector_ids(on_disk)


def test_a_damaged_embedded_store_is_rebuilt_from_the_generations_passages(
    settings: Settings, knowledge: Path, embedder, caplog: pytest.LogCaptureFixture
) -> None:
    build_index(settings, [knowledge], embedder)
    vectors = stored_vector_ids(settings)
    database = settings.index_dir / "chroma" / "chroma.sqlite3"
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
    database.write_bytes(b"this is not a database" * 100)
    with caplog.at_level("WARNING"):
        report = build_index(settings, [knowledge], embedder)
    assert "rebuilt" in caplog.text
    assert report.documents == 1
    assert stored_vector_ids(settings) == vectors == live_vector_ids(settings)
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def _live(tmp_path: Path) -> Path:
    index = tmp_path / "data" / "index"
    return index / (index / "current").read_text().strip()


@pytest.mark.parametrize(
    "damage",
    [
        # the last line of passages.jsonl cut in half (a crash while copying the folder)
        lambda gen: (gen / "passages.jsonl").write_bytes(
            (gen / "passages.jsonl").read_bytes()[:-40]
        ),
        # the BM25 files deleted by hand
        lambda gen: shutil.rmtree(gen / "bm25"),
        # meta.json emptied
        lambda gen: (gen / "meta.json").write_text(""),
        # `current` holding garbage
        lambda gen: (gen.parent / "current").write_bytes(b"\x00\xffgarbage\n"),
        # `current` naming a folder that is gone
        lambda gen: shutil.rmtree(gen),
    ],
    ids=["truncated-passages", "missing-bm25", "empty-meta", "garbage-current", "missing-gen"],
)
def test_a_damaged_index_is_reported_with_the_command_that_repairs_it(
    cli, tmp_path: Path, damage
) -> None:
    assert cli("index")[0] == 0
    damage(_live(tmp_path))
    for command in (["sources"], ["rule", "26(b)(1)"], ["search", "discovery letters"]):
        code, output = cli(*command)
        assert code == 1, output
        assert output.startswith("Error: "), output
        assert "procbot index" in output
        assert "Traceback" not in output
    code, output = cli("index")  # the repair named in the message works
    assert code == 0, output
    assert cli("sources")[0] == 0


def test_a_read_only_data_folder_still_serves_reads(cli, tmp_path: Path) -> None:
    assert cli("index")[0] == 0
    data = tmp_path / "data"
    if os.geteuid() == 0:
        pytest.skip("root ignores permission bits; the read-only case needs another user")
    for path in [data, *data.rglob("*")]:
        path.chmod(path.stat().st_mode & ~0o222)
    try:
        code, output = cli("sources")
        assert code == 0, output
    finally:
        for path in [data, *data.rglob("*")]:
            path.chmod(path.stat().st_mode | 0o200)
