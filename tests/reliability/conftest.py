"""Fixtures of the reliability suite: a real Chroma server of each test's own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from reliability_support import ChromaServer, chroma_binary, free_port


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[ChromaServer]:
    """A fresh Chroma server on a free loopback port; skipped when `chroma` is not installed."""
    if chroma_binary() is None:
        pytest.skip("the `chroma` command is not installed")
    server = ChromaServer(tmp_path / "chroma-server", free_port(), tmp_path / "chroma.log")
    server.start()
    yield server
    server.kill()
