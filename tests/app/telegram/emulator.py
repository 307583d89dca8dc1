"""Harness for the telegram-test-api emulator: start it and `procbot serve`, talk as users."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[3]
# The Node package stays at tests/telegram/emulator: `.ci/run` and the load benchmark install it.
EMULATOR_DIR = REPO / "tests" / "telegram" / "emulator"
TOKEN = "5550001:procbot-emulator-token"


def emulator_unavailable() -> str | None:
    """Why the emulator cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "Node.js (node) is not installed"
    if not (EMULATOR_DIR / "node_modules" / "telegram-test-api").is_dir():
        return f"telegram-test-api is not installed: run `npm ci --prefix {EMULATOR_DIR}`"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stop(process: subprocess.Popen, timeout: float = 20.0) -> None:
    """Ask politely (SIGINT lets PTB shut down cleanly), then insist."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


class Emulator:
    """telegram-test-api on a free loopback port, wrapped by emulator/server.js."""

    def __init__(self, log_path: Path, store_timeout_s: int = 900) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = log_path.open("w")
        self.process = subprocess.Popen(
            ["node", "server.js", str(self.port), str(store_timeout_s)],
            cwd=EMULATOR_DIR,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the emulator exited: see {log_path}")
            try:
                if httpx.get(f"{self.url}/bot{TOKEN}/getMe", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the emulator did not start within 20 s: see {log_path}")

    @property
    def bot_api_url(self) -> str:
        """TELEGRAM_BASE_URL for the bot: PTB appends the token."""
        return f"{self.url}/bot"

    def stop(self) -> None:
        _stop(self.process, 5)
        self._log.close()


class BotProcess:
    """The real `procbot serve` (as `python -m bot serve`), polling the emulator."""

    def __init__(
        self,
        emulator: Emulator,
        data_dir: Path,
        knowledge: list[Path],
        log_name: str = "serve",
        **env: str,
    ):
        self.log_path = data_dir / f"{log_name}.log"
        data_dir.mkdir(parents=True, exist_ok=True)
        clean = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PROCBOT_", "TELEGRAM_")) and k != "CHROMA_URL"
        }
        clean.update(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_BASE_URL=emulator.bot_api_url,
            PROCBOT_DATA_DIR=str(data_dir),
            PROCBOT_KNOWLEDGE=os.pathsep.join(str(p) for p in knowledge),
            # The emulator answers getUpdates at once (no long polling): do not spin.
            PROCBOT_POLL_INTERVAL_S="0.05",
            HF_HUB_OFFLINE="1",
            ANONYMIZED_TELEMETRY="False",
            PYTHONPATH=str(REPO),
            **env,
        )
        self._log = self.log_path.open("w")
        # cwd is the data folder, so a developer's .env in the repo is never read.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve"],
            cwd=data_dir,
            env=clean,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_text(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        _stop(self.process)
        self._log.close()


@dataclass(frozen=True)
class Reply:
    """One message the bot sent to a chat, as the emulator stored it."""

    text: str
    parse_mode: str | None
    buttons: tuple[tuple[str, str], ...] = ()  # (label, callback_data) of its inline keyboard
    message_id: int = 0
    link_preview_options: dict | None = None
    document: bool = False  # a file (sendDocument), not a text message

    def button(self, label: str) -> str:
        """The callback data of the button labelled `label`."""
        for text, data in self.buttons:
            if text == label:
                return data
        raise KeyError(f"no button {label!r} in {[t for t, _ in self.buttons]}")


def _reply(item: dict) -> Reply:
    message = item["message"]
    markup = message.get("reply_markup") or {}
    if isinstance(markup, str):
        import json

        markup = json.loads(markup)
    buttons = tuple(
        (button["text"], button.get("callback_data", ""))
        for row in markup.get("inline_keyboard", [])
        for button in row
    )
    return Reply(
        str(message.get("text", message.get("caption", ""))),
        message.get("parse_mode"),
        buttons,
        int(item.get("messageId", 0)),
        message.get("link_preview_options"),
        "document" in message or "text" not in message,
    )


class TelegramUser:
    """One person in a private chat with the bot, through the emulator's client API."""

    def __init__(self, emulator: Emulator, user_id: int, first_name: str = "Pat") -> None:
        self.url = emulator.url
        self.user_id = user_id
        self.first_name = first_name

    def _message(self, **content: object) -> dict:
        person = {"id": self.user_id, "first_name": self.first_name, "username": f"u{self.user_id}"}
        return {
            "botToken": TOKEN,
            "date": int(time.time()),
            "from": {**person, "is_bot": False},
            "chat": {**person, "type": "private"},
            **content,
        }

    async def send_text(self, client: httpx.AsyncClient, text: str) -> None:
        if text.startswith("/"):
            entity = {"offset": 0, "length": len(text.split()[0]), "type": "bot_command"}
            body = self._message(text=text, entities=[entity])
            response = await client.post(f"{self.url}/sendCommand", json=body)
        else:
            response = await client.post(f"{self.url}/sendMessage", json=self._message(text=text))
        response.raise_for_status()

    async def send_sticker(self, client: httpx.AsyncClient) -> None:
        sticker = {
            "file_id": "CAACAgIAAxkBAAEBsticker",
            "file_unique_id": "AgADsticker",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        }
        response = await client.post(f"{self.url}/sendMessage", json=self._message(sticker=sticker))
        response.raise_for_status()

    async def fetch(self, client: httpx.AsyncClient) -> list[Reply]:
        """Bot messages to this chat not fetched before."""
        response = await client.post(
            f"{self.url}/getUpdates", json={"token": TOKEN, "chatId": self.user_id}
        )
        response.raise_for_status()
        return [_reply(item) for item in response.json()["result"]]

    async def press(self, client: httpx.AsyncClient, reply: Reply, data: str) -> None:
        """Tap the inline button with callback `data` under the bot's message `reply`."""
        person = {"id": self.user_id, "first_name": self.first_name, "is_bot": False}
        message = {
            "message_id": reply.message_id,
            "date": int(time.time()),
            "chat": {"id": self.user_id, "type": "private", "first_name": self.first_name},
            "from": {"id": 666, "is_bot": True, "first_name": "Test First name"},
            "text": reply.text,
        }
        body = {"botToken": TOKEN, "from": person, "message": message, "data": data}
        response = await client.post(f"{self.url}/sendCallback", json=body)
        response.raise_for_status()

    async def wait_for(
        self, client: httpx.AsyncClient, count: int = 1, timeout: float = 60.0, settle: float = 0.3
    ) -> list[Reply]:
        """At least `count` replies, then whatever else arrives within `settle` seconds."""
        replies: list[Reply] = []
        deadline = time.monotonic() + timeout
        while len(replies) < count and time.monotonic() < deadline:
            replies += await self.fetch(client)
            await asyncio.sleep(0.05)
        if len(replies) < count:
            raise TimeoutError(f"user {self.user_id}: {len(replies)} of {count} replies")
        await asyncio.sleep(settle)
        return replies + await self.fetch(client)


async def callback_answers(client: httpx.AsyncClient, url: str) -> list[dict]:
    """Every answerCallbackQuery the bot made, in order (kept by emulator/server.js)."""
    response = await client.get(f"{url}/test/callbackAnswers")
    response.raise_for_status()
    return response.json()["result"]


async def sent_documents(client: httpx.AsyncClient, url: str, chat_id: int) -> list[dict]:
    """The files the bot sent to `chat_id` (sendDocument, kept by emulator/server.js), in
    order, each with its caption, file name and `content` (bytes)."""
    import base64

    response = await client.get(f"{url}/test/documents")
    response.raise_for_status()
    found = [d for d in response.json()["result"] if d["chat_id"] == chat_id]
    return [{**d, "content": base64.b64decode(d["content"])} for d in found]


class TelegramHtmlCheck(HTMLParser):
    """What Telegram's HTML parser would reject: unknown tags, bad nesting, bad links."""

    TAGS = frozenset({"b", "i", "a", "code", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in self.TAGS, f"tag <{tag}> is not allowed"
        if tag == "a":
            assert (dict(attrs).get("href") or "").startswith("http"), f"bad link {attrs}"
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack}"
        self.stack.pop()


def check_telegram_html(text: str) -> None:
    """Assert that Telegram would accept `text` as one HTML message."""
    assert len(text.encode("utf-16-le")) // 2 < 4096, "longer than 4096 UTF-16 units"
    check = TelegramHtmlCheck()
    check.feed(text)
    check.close()
    assert not check.stack, f"unclosed tags {check.stack}"


def peak_rss_mb(pid: int) -> tuple[float | None, str]:
    """The process's peak resident memory in MB, and where the figure comes from.

    /proc's VmHWM is the true high-water mark; psutil (when installed, e.g. off Linux) only
    knows the current RSS, so callers sample it while the load runs.
    """
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024, "VmHWM"
    except OSError:
        pass
    try:
        import psutil  # type: ignore[import-not-found]
    except ImportError:
        return None, "unavailable"
    return psutil.Process(pid).memory_info().rss / 2**20, "psutil rss"
