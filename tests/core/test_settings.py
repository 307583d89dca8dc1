"""Settings come from PROCBOT_* variables and .env; bad values become one clear ConfigError."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.core.errors import ConfigError
from bot.core.settings import SHIPPED_KNOWLEDGE, load_settings


def test_defaults_run_offline_on_the_shipped_knowledge(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env here
    settings = load_settings()
    assert settings.knowledge == [SHIPPED_KNOWLEDGE]
    assert settings.chroma_url is None
    assert settings.embedder == "minilm"
    assert settings.composer == "extractive"
    assert (SHIPPED_KNOWLEDGE / "masterson-v-killen-2014-11-24.txt").is_file()


def test_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PROCBOT_KNOWLEDGE", os.pathsep.join(["knowledge", "../shared/corpus"]))
    monkeypatch.setenv("PROCBOT_ALLOWED_CHAT_IDS", "1001, 1002")
    monkeypatch.setenv("CHROMA_URL", "http://127.0.0.1:8000")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    settings = load_settings()
    assert settings.knowledge == [Path("knowledge"), Path("../shared/corpus")]
    assert settings.allowed_chat_ids == {1001, 1002}
    assert settings.chroma_url == "http://127.0.0.1:8000"
    # The token is a secret: it never shows in a repr or a dump.
    assert "abc" not in repr(settings)


def test_dotenv_file_is_read_and_blank_values_mean_unset(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("PROCBOT_K=7\nCHROMA_URL=\nPROCBOT_LLM=\n")
    settings = load_settings()
    assert settings.k == 7
    assert settings.chroma_url is None
    assert settings.llm is None


def test_every_setting_is_documented_in_env_example():
    example = (SHIPPED_KNOWLEDGE.parent / ".env.example").read_text()
    from bot.core.settings import Settings

    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        variable = alias.choices[0] if alias is not None else f"PROCBOT_{name.upper()}"
        assert f"\n{variable}=" in example, f"{variable} missing from .env.example"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PROCBOT_K", "five"),  # not a number
        ("PROCBOT_ALLOWED_CHAT_IDS", "alice,bob"),  # chat ids are integers
        ("PROCBOT_COMPOSER", "gpt"),  # only extractive or llm
        ("PROCBOT_K", "0"),  # at least one passage
        ("PROCBOT_WEBHOOK_PORT", "70000"),  # not a TCP port
        ("PROCBOT_LLM_TIMEOUT_S", "-1"),  # a timeout must be positive
    ],
)
def test_bad_values_name_the_variable(monkeypatch, tmp_path, variable, value):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=variable):
        load_settings()
