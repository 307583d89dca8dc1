"""Shared fixtures: data folders in tmp_path, the real corpus when present, one embedder a session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.settings import SHIPPED_KNOWLEDGE, Settings

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("PROCBOT_CORPUS", REPO.parent / "shared" / "corpus"))
MASTERSON = SHIPPED_KNOWLEDGE / "masterson-v-killen-2014-11-24.txt"


@pytest.fixture(autouse=True)
def _no_stray_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read a developer's .env or PROCBOT_* variables by accident."""
    for name in list(os.environ):
        if name.startswith("PROCBOT_") or name in {"CHROMA_URL", "TELEGRAM_BOT_TOKEN"}:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Embedded-store settings whose data folder is a fresh tmp_path."""
    return Settings(_env_file=None, data_dir=tmp_path / "data", knowledge=[SHIPPED_KNOWLEDGE])


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared reference corpus; tests that need it skip cleanly when it is absent."""
    if not (CORPUS / "README.md").is_file():
        pytest.skip(f"reference corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def embedder():
    """The default embedder (all-MiniLM-L6-v2, shipped in a package), loaded once a session."""
    from bot.embed import make_embedder

    os.environ["HF_HUB_OFFLINE"] = "1"
    return make_embedder(Settings(_env_file=None))


@pytest.fixture(params=["embedded", "server"])
def store_mode(request: pytest.FixtureRequest) -> str:
    """Run a test against the embedded store and, when CHROMA_TEST_URL is set, a Chroma server."""
    if request.param == "server" and not os.environ.get("CHROMA_TEST_URL"):
        pytest.skip("CHROMA_TEST_URL is not set (start `chroma run` to test the server store)")
    return request.param


@pytest.fixture
def store_settings(settings: Settings, store_mode: str) -> Iterator[Settings]:
    """`settings` for the store mode; server tests get their own collection, dropped after."""
    if store_mode == "embedded":
        yield settings
        return
    import uuid

    from bot.store import open_client

    served = settings.model_copy(
        update={
            "chroma_url": os.environ["CHROMA_TEST_URL"],
            "collection": f"test-{uuid.uuid4().hex[:12]}",
        }
    )
    yield served
    client = open_client(served)
    for collection in client.list_collections():
        if collection.name.startswith(served.collection):
            client.delete_collection(collection.name)
