"""Shared fixtures: data folders in tmp_path, the real corpus when present, one embedder a session."""

from __future__ import annotations

import os
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
