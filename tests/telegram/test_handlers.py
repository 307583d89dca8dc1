"""Handlers over the real Application and a real Engine; only the Bot API server is recorded.

As python-telegram-bot's own suite does: updates are built from JSON dicts, fed to
`application.process_update`, and the bot's HTTP calls are captured by a `BaseRequest`
subclass that answers like the Bot API (and, like the emulator, fails sendChatAction and
setMyCommands with HTTP 500).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Update
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

from bot.errors import ConfigError
from bot.settings import SHIPPED_KNOWLEDGE, Settings
from bot.telegram.app import build_application, run
from bot.telegram.handlers import NOT_TEXT, SORRY
from bot.telegram.history import History

TOKEN = "123456:TEST-token-never-logged"
LETTER_QUESTION = "Should I file my letter to defense counsel with the court?"


class RecordingRequest(BaseRequest):
    """Records every Bot API call and answers it the way the Bot API would."""

    def __init__(self, failing: frozenset[str] = frozenset({"sendChatAction", "setMyCommands"})):
        self.calls: list[tuple[str, dict]] = []
        self.failing = failing
        self._message_id = 1000

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, **_timeouts
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        payload = (
            json.loads(json.dumps(request_data.parameters, default=str)) if request_data else {}
        )
        self.calls.append((endpoint, payload))
        if endpoint in self.failing:
            return 500, json.dumps(
                {"message": f"API method '{endpoint}' is not supported."}
            ).encode()
        if endpoint == "getMe":
            result: object = {
                "id": 4242,
                "is_bot": True,
                "first_name": "procbot",
                "username": "procbot_test_bot",
            }
        elif endpoint == "sendMessage":
            self._message_id += 1
            result = {
                "message_id": self._message_id,
                "date": int(time.time()),
                "chat": {"id": int(payload["chat_id"]), "type": "private"},
                "text": payload["text"],
            }
        else:
            result = True
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def sent(self, chat_id: int | None = None) -> list[dict]:
        return [
            p
            for e, p in self.calls
            if e == "sendMessage" and (chat_id is None or int(p["chat_id"]) == chat_id)
        ]

    def texts(self, chat_id: int | None = None) -> str:
        return "\n".join(p["text"] for p in self.sent(chat_id))


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory, rule_excerpt_dir: Path) -> Settings:
    """Shipped knowledge plus a real Rule 5(d) excerpt, indexed once for the module."""
    from bot.engine import Engine

    settings = Settings(
        _env_file=None,
        data_dir=tmp_path_factory.mktemp("telegram") / "data",
        knowledge=[SHIPPED_KNOWLEDGE, rule_excerpt_dir],
    )
    Engine(settings).index()
    return settings


@pytest.fixture(scope="module")
def engine(indexed: Settings):
    from bot.engine import Engine

    return Engine(indexed)


class Bot:
    """The application under test with its recorder and a helper to send updates."""

    def __init__(self, application: Application, request: RecordingRequest) -> None:
        self.application = application
        self.request = request
        self._update_id = 0

    async def send(
        self, chat_id: int, text: str | None = None, user_id: int | None = None, **extra
    ):
        self._update_id += 1
        message: dict = {
            "message_id": self._update_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Pat"},
            "from": {"id": user_id or chat_id, "is_bot": False, "first_name": "Pat"},
            **extra,
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
                ]
        update = Update.de_json(
            {"update_id": self._update_id, "message": message}, self.application.bot
        )
        await self.application.process_update(update)


@pytest.fixture
async def make_bot(indexed: Settings, engine, tmp_path: Path) -> AsyncIterator:
    started: list[Application] = []

    async def make(**overrides: object) -> Bot:
        settings = Settings(
            _env_file=None,
            data_dir=tmp_path / f"bot{len(started)}",
            knowledge=indexed.knowledge,
            telegram_bot_token=TOKEN,
            **overrides,
        )
        request = RecordingRequest()
        application = build_application(settings, engine, request=request)
        await application.initialize()
        started.append(application)
        return Bot(application, request)

    yield make
    for application in started:
        await application.shutdown()


# -- answers ------------------------------------------------------------------------------


async def test_question_gets_a_cited_html_answer_despite_failing_typing(make_bot) -> None:
    bot = await make_bot()
    await bot.send(1, LETTER_QUESTION)
    endpoints = [e for e, _ in bot.request.calls]
    assert "sendChatAction" in endpoints  # tried, answered HTTP 500, and did not matter
    sent = bot.request.sent(1)
    assert sent and all(p["parse_mode"] == "HTML" for p in sent)
    text = bot.request.texts(1)
    assert text.startswith("<b>Short answer: No.</b>")
    assert "Masterson v. Killen" in text
    assert "[1]" in text


async def test_follow_up_sees_the_earlier_turns(make_bot, engine, monkeypatch) -> None:
    bot = await make_bot()
    seen: list[tuple] = []
    real_ask = engine.ask

    def spy(question, history=()):
        seen.append(tuple(history))
        return real_ask(question, history)

    monkeypatch.setattr(engine, "ask", spy)
    await bot.send(3, LETTER_QUESTION)
    await bot.send(3, "What about settlement negotiations?")
    assert seen[0] == ()
    assert [turn.role for turn in seen[1]] == ["user", "assistant"]
    assert seen[1][0].text == LETTER_QUESTION


async def test_out_of_scope_question_abstains_without_sources(make_bot) -> None:
    bot = await make_bot()
    await bot.send(4, "Can you write my complaint for me?")
    text = bot.request.texts(4)
    assert text.startswith("<b>procbot cannot write or draft filings for you.")
    assert "Short answer" not in text
    assert "<b>Sources</b>" not in text


# -- commands -----------------------------------------------------------------------------


async def test_rule_shows_text_version_and_citation(make_bot) -> None:
    bot = await make_bot()
    await bot.send(5, "/rule 5(d)")
    text = bot.request.texts(5)
    assert "Fed. R. Civ. P. 5(d)" in text
    assert "must be filed no later than a reasonable time after service" in text
    assert "2022" in text  # the version it quotes


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/rule", "Tell me which rule"),  # no argument: usage
        ("/rule 99(z)", "is not in my sources"),  # never invented
        ("/start", "not legal advice"),
        ("/help", "/rule 26(b)(1)"),
        ("/sources", "Court orders:"),
        ("/frobnicate", "I don't know that command"),
    ],
)
async def test_commands(make_bot, command: str, expected: str) -> None:
    bot = await make_bot()
    await bot.send(6, command)
    assert expected in bot.request.texts(6)


async def test_forget_deletes_the_chat_history(make_bot, tmp_path: Path) -> None:
    bot = await make_bot()
    await bot.send(7, LETTER_QUESTION)
    path = tmp_path / "bot0" / "history.sqlite3"
    assert len(History(path, 6, 60).recent(7)) == 2
    await bot.send(7, "/forget")
    assert "deleted our conversation" in bot.request.texts(7)
    assert History(path, 6, 60).recent(7) == ()


async def test_sticker_gets_a_friendly_text_only_reply(make_bot) -> None:
    bot = await make_bot()
    sticker = {
        "file_id": "CAACAgIAAxkBAAEB",
        "file_unique_id": "AgADfwADwDZPEw",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
    }
    await bot.send(8, sticker=sticker)
    assert bot.request.texts(8) == NOT_TEXT


# -- gates and failures -------------------------------------------------------------------


async def test_allowlist_stops_other_chats_before_the_engine(make_bot, engine, monkeypatch):
    bot = await make_bot(allowed_chat_ids=frozenset({11}))
    calls: list[str] = []
    real_ask = engine.ask
    monkeypatch.setattr(engine, "ask", lambda q, h=(): calls.append(q) or real_ask(q, h))
    await bot.send(12, LETTER_QUESTION)
    await bot.send(12, "/rule 5(d)")
    assert calls == []
    assert [e for e, _ in bot.request.calls if e != "getMe"] == []  # not even "typing"
    await bot.send(11, LETTER_QUESTION)
    assert calls == [LETTER_QUESTION]
    assert "Masterson v. Killen" in bot.request.texts(11)


async def test_rate_limit_replies_and_admins_are_exempt(make_bot) -> None:
    bot = await make_bot(rate_limit_per_minute=1, admin_chat_ids=frozenset({21}))
    await bot.send(20, LETTER_QUESTION)
    await bot.send(20, LETTER_QUESTION)
    replies = [p["text"] for p in bot.request.sent(20)]
    assert "Short answer: No." in replies[0]
    assert "which is my limit" in replies[-1]
    for _ in range(3):
        await bot.send(21, LETTER_QUESTION)
    assert "which is my limit" not in bot.request.texts(21)


async def test_engine_failure_gets_a_polite_reply_and_a_logged_traceback(
    make_bot, engine, monkeypatch, caplog
) -> None:
    bot = await make_bot()

    def broken(question, history=()):
        raise RuntimeError("index file truncated")

    monkeypatch.setattr(engine, "ask", broken)
    with caplog.at_level(logging.INFO, logger="bot.telegram"):
        await bot.send(30, LETTER_QUESTION)
    assert bot.request.texts(30) == SORRY
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert errors and errors[0].exc_info and "outcome=error" in errors[0].getMessage()


async def test_logs_carry_ids_and_outcomes_never_text_or_token(make_bot, caplog) -> None:
    bot = await make_bot()
    with caplog.at_level(logging.DEBUG):
        await bot.send(40, LETTER_QUESTION)
        await bot.send(40, "/rule 5(d)")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "chat=40 kind=question" in logged and "outcome=answered" in logged
    assert "defense counsel" not in logged
    assert "Masterson" not in logged
    assert TOKEN not in logged and "TEST-token" not in logged


async def test_command_menu_failure_does_not_stop_the_bot(make_bot) -> None:
    bot = await make_bot()
    await bot.application.post_init(bot.application)  # setMyCommands answers HTTP 500
    assert "setMyCommands" in [e for e, _ in bot.request.calls]


# -- configuration ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({}, "TELEGRAM_BOT_TOKEN is not set"),
        (
            {"telegram_bot_token": TOKEN, "webhook_url": "http://example.org/hook"},
            "must be a public https:// URL",
        ),
        (
            {"telegram_bot_token": TOKEN, "webhook_url": "https://example.org/hook"},
            "PROCBOT_WEBHOOK_SECRET is required",
        ),
    ],
)
def test_run_refuses_unsafe_configuration(tmp_path: Path, overrides: dict, message: str) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, **overrides)
    with pytest.raises(ConfigError, match=message):
        run(settings)
