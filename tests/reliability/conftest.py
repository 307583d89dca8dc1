"""Fixtures of the reliability suite: a real Chroma server of each test's own, the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from reliability_support import ChromaServer, chroma_binary, free_port
from typer.testing import CliRunner

from bot.app.cli import app


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[ChromaServer]:
    """A fresh Chroma server on a free loopback port; skipped when `chroma` is not installed."""
    if chroma_binary() is None:
        pytest.skip("the `chroma` command is not installed")
    server = ChromaServer(tmp_path / "chroma-server", free_port(), tmp_path / "chroma.log")
    server.start()
    yield server
    server.kill()


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, knowledge: Path):
    """`procbot ARGS` in tmp_path on a data folder of its own over `knowledge`: (exit code,
    output). Only a clean exit may end a command; anything else is a traceback and fails."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PROCBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PROCBOT_KNOWLEDGE", str(knowledge))
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, list(args))
        # A clean failure is typer's Exit (SystemExit).
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(
            result.exception
        )
        return result.exit_code, result.stdout + result.stderr

    return invoke
