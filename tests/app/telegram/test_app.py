"""The application's wiring: Bot API address, command menu, concurrency, allowlist, settings."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from recorder import RecordingRequest  # tests/telegram/recorder.py
from telegram import Update
from telegram.ext import Application, CommandHandler, ConversationHandler, TypeHandler

from bot.app.telegram.app import build_application, run, serve_logs, webhook_parts
from bot.core.errors import ConfigError
from bot.core.settings import SHIPPED_KNOWLEDGE, Settings

TOKEN = "123456:TEST-app-token"


def app_settings(tmp_path: Path, **overrides: object) -> Settings:
    return Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        knowledge=[SHIPPED_KNOWLEDGE],
        telegram_bot_token=TOKEN,
        **overrides,
    )


@pytest.fixture
async def started(tmp_path: Path) -> AsyncIterator:
    """Build and initialize real applications; shut them all down afterwards."""
    applications: list[Application] = []

    async def start(settings: Settings, request: RecordingRequest) -> Application:
        application = build_application(settings, request=request)
        await application.initialize()
        applications.append(application)
        return application

    yield start
    for application in applications:
        await application.shutdown()


async def test_base_url_from_telegram_base_url_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started
) -> None:
    monkeypatch.setenv("TELEGRAM_BASE_URL", "http://127.0.0.1:8081/bot")
    request = RecordingRequest()
    application = await started(app_settings(tmp_path), request)
    assert request.urls, "initialize() calls getMe"
    assert request.urls[0] == f"http://127.0.0.1:8081/bot{TOKEN}/getMe"
    assert all(url.startswith("http://127.0.0.1:8081/bot") for url in request.urls)
    assert application.bot.base_file_url == f"http://127.0.0.1:8081/file/bot{TOKEN}"


async def test_default_base_url_is_telegram(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started
) -> None:
    monkeypatch.delenv("TELEGRAM_BASE_URL", raising=False)
    request = RecordingRequest()
    await started(app_settings(tmp_path), request)
    assert request.urls[0] == f"https://api.telegram.org/bot{TOKEN}/getMe"


async def test_post_init_registers_the_command_menu(tmp_path: Path, started) -> None:
    request = RecordingRequest(failing=frozenset())
    application = await started(app_settings(tmp_path), request)
    await application.post_init(application)
    payloads = [p for e, p in request.calls if e == "setMyCommands"]
    assert len(payloads) == 1
    commands = payloads[0]["commands"]
    commands = json.loads(commands) if isinstance(commands, str) else commands
    assert [c["command"] for c in commands] == [
        "start",
        "help",
        "rule",
        "sources",
        "forget",
        "deadline",
        "transcript",
        "language",
    ]
    assert all(c["description"].strip() for c in commands)
    # Every command in the menu has a handler.
    # A conversation (/deadline) starts from a command handler among its entry points.
    handlers = [
        inner
        for group in application.handlers.values()
        for handler in group
        for inner in (
            handler.entry_points if isinstance(handler, ConversationHandler) else [handler]
        )
    ]
    handled = {
        command
        for handler in handlers
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    }
    assert {c["command"] for c in commands} <= handled


async def test_failing_command_menu_does_not_stop_initialization(
    tmp_path: Path, started, caplog: pytest.LogCaptureFixture
) -> None:
    request = RecordingRequest(failing=frozenset({"setMyCommands"}))  # HTTP 500
    application = await started(app_settings(tmp_path), request)
    with caplog.at_level(logging.WARNING, logger="bot.app.telegram"):
        await application.post_init(application)
    assert "setMyCommands" in [e for e, _ in request.calls]
    logged = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("could not register the command menu") for m in logged)
    # Initialization went on to warm the engine (nothing is indexed in this data folder).
    assert any(m.startswith("the index is not ready") for m in logged)


def test_concurrent_updates_are_enabled(tmp_path: Path) -> None:
    application = build_application(app_settings(tmp_path), request=RecordingRequest())
    assert application.concurrent_updates > 1


def test_allowlist_handler_runs_in_a_group_before_the_others(tmp_path: Path) -> None:
    settings = app_settings(tmp_path, allowed_chat_ids=frozenset({11}))
    application = build_application(settings, request=RecordingRequest())
    first, *others = sorted(application.handlers)
    assert others and all(group > first for group in others)
    gate = application.handlers[first]
    assert len(gate) == 1 and isinstance(gate[0], TypeHandler) and gate[0].type is Update


async def test_allowlist_gate_stops_a_command_from_another_chat(tmp_path: Path, started) -> None:
    request = RecordingRequest()
    settings = app_settings(tmp_path, allowed_chat_ids=frozenset({11}))
    application = await started(settings, request)
    for update_id, chat_id in enumerate([12, 11], start=1):
        message = {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Pat"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Pat"},
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        }
        update = Update.de_json({"update_id": update_id, "message": message}, application.bot)
        await application.process_update(update)
    assert [int(p["chat_id"]) for p in request.sent()] == [11]


def test_run_without_a_token_names_the_variable(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data")
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN"):
        run(settings)


@pytest.mark.parametrize(
    ("url", "secret", "message"),
    [
        ("http://example.org/hook", "s3cret", "must be a public https:// URL"),
        ("example.org/hook", "s3cret", "must be a public https:// URL"),  # no scheme
        ("https:///hook", "s3cret", "must be a public https:// URL"),  # no host
        ("https://example.org/hook", None, "PROCBOT_WEBHOOK_SECRET is required"),
        ("https://example.org/hook", "has spaces", "does not fit the form"),
        ("https://example.org/hook", "x" * 257, "does not fit the form"),
    ],
)
def test_webhook_configuration_is_refused_before_any_server_starts(
    tmp_path: Path, url: str, secret: str | None, message: str
) -> None:
    settings = app_settings(tmp_path, webhook_url=url, webhook_secret=secret)
    with pytest.raises(ConfigError, match=message):
        webhook_parts(settings)
    with pytest.raises(ConfigError, match=message):
        run(settings)  # refused before the application is even built


def test_webhook_parts_of_a_safe_configuration(tmp_path: Path) -> None:
    settings = app_settings(
        tmp_path, webhook_url="https://bot.example.org/tg/hook", webhook_secret="s3cret_-A"
    )
    assert webhook_parts(settings) == ("tg/hook", "s3cret_-A")


class Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name}: {record.getMessage()}")


def test_serve_logs_let_outcome_lines_through_a_warning_only_cli_handler(tmp_path: Path) -> None:
    names = ("bot.app.telegram", "telegram", "httpx", "httpcore")
    saved = {name: logging.getLogger(name).level for name in names}
    kept = Kept()
    kept.setLevel(logging.WARNING)  # what `procbot` without --verbose sets up
    logging.getLogger().addHandler(kept)
    try:
        serve_logs(app_settings(tmp_path, log_level="INFO"))
        logging.getLogger("bot.app.telegram").info("chat=1 kind=question outcome=answered")
        logging.getLogger("httpx").info("HTTP Request: POST https://api.telegram.org/bot...")
        logging.getLogger("telegram.ext").debug("sendMessage with text=...")
    finally:
        logging.getLogger().removeHandler(kept)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)
    assert kept.lines == ["bot.app.telegram: chat=1 kind=question outcome=answered"]
