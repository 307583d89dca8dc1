"""Fixtures of the reliability suite: real Chroma servers to kill and freeze, vector inventories."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot.core.settings import Settings

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class ChromaServer:
    """A `chroma run` process of this test's own, so it may be stopped, frozen and killed."""

    path: Path
    port: int
    log: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        binary = chroma_binary()
        assert binary is not None
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [binary, "run", "--path", str(self.path), "--host", "127.0.0.1"]
                + ["--port", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).raise_for_status()
                return
            except httpx.HTTPError:
                time.sleep(0.3)
        raise RuntimeError(f"chroma did not start: {self.log.read_text()[-2000:]}")

    def freeze(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGCONT)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.process.kill()
            self.process.wait(10)
        self.process = None


def chroma_binary() -> str | None:
    beside = Path(sys.executable).parent / "chroma"
    return str(beside) if beside.is_file() else shutil.which("chroma")


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[ChromaServer]:
    """A fresh Chroma server on a free loopback port; skipped when `chroma` is not installed."""
    if chroma_binary() is None:
        pytest.skip("the `chroma` command is not installed")
    server = ChromaServer(tmp_path / "chroma-server", free_port(), tmp_path / "chroma.log")
    server.start()
    yield server
    server.kill()


def served(settings: Settings, server: ChromaServer, data_dir: Path) -> Settings:
    """`settings` for another data folder on `server`, with short network bounds."""
    return settings.model_copy(
        update={
            "chroma_url": server.url,
            "data_dir": data_dir,
            "chroma_timeout_s": 3.0,
            "dense_retry_s": 1.0,
        }
    )


def live_records(settings: Settings) -> list[dict]:
    """The passages of the live generation, read from disk: (vector id, passage id, text)."""
    index = settings.index_dir
    folder = index / (index / "current").read_text(encoding="utf-8").strip()
    with open(folder / "passages.jsonl", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def live_vector_ids(settings: Settings) -> set[str]:
    return {record["vector_id"] for record in live_records(settings)}


def stored_vector_ids(settings: Settings) -> set[str]:
    """Every vector id in the collection the live generation names."""
    from bot.index.store import generation_collection

    collection = generation_collection(settings)
    return set(collection.get(include=[])["ids"])
