"""A `BaseRequest` that records the bot's Bot API calls and answers them as the Bot API would.

As python-telegram-bot's own suite does, the application under test is real and only the
server is replaced. Like Telegram, the recorder refuses messages over 4096 UTF-16 units and
HTML it cannot parse (HTTP 400); like the emulator, it fails sendChatAction and setMyCommands
with HTTP 500 unless told otherwise.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from html.parser import HTMLParser

from telegram.request import BaseRequest, RequestData

from bot.app.telegram.html import strip_tags

MESSAGE_LIMIT = 4096
EMULATOR_GAPS = frozenset({"sendChatAction", "setMyCommands"})


class _HtmlProblem(HTMLParser):
    """The first thing Telegram's HTML parser would refuse, as its description would say."""

    TAGS = frozenset({"b", "i", "u", "s", "a", "code", "pre", "blockquote", "tg-spoiler"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problem: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.TAGS:
            self.problem = self.problem or f'unsupported start tag "{tag}"'
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problem = self.problem or f'unmatched end tag "{tag}"'
        else:
            self.stack.pop()


def html_problem(text: str) -> str | None:
    """Why Telegram would refuse `text` as HTML, or None when it would accept it."""
    check = _HtmlProblem()
    check.feed(text)
    check.close()
    if check.problem is None and check.stack:
        check.problem = f'can\'t find end tag corresponding to start tag "{check.stack[-1]}"'
    return f"Bad Request: can't parse entities: {check.problem}" if check.problem else None


class RecordingRequest(BaseRequest):
    """Records every call (endpoint and parameters, and the URL) and answers it.

    `refuse_html`, when given, returns the description of a 400 for an HTML message (or None
    to accept it), on top of the checks Telegram itself makes.
    """

    def __init__(
        self,
        failing: frozenset[str] = EMULATOR_GAPS,
        refuse_html: Callable[[str], str | None] | None = None,
    ) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.accepted: list[dict] = []
        self.documents: list[dict] = []  # sendDocument payloads (the file part is not kept)
        self.files: list[tuple[str, bytes]] = []  # each sent file: (file name, its bytes)
        self.urls: list[str] = []
        self.failing = failing
        self.refuse_html = refuse_html
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
        self.urls.append(url)
        if endpoint in self.failing:
            return 500, json.dumps(
                {"message": f"API method '{endpoint}' is not supported."}
            ).encode()
        if endpoint == "sendMessage":
            refusal = self._refusal(payload)
            if refusal:
                body = {"ok": False, "error_code": 400, "description": refusal}
                return 400, json.dumps(body).encode()
        if endpoint == "getMe":
            result: object = {
                "id": 4242,
                "is_bot": True,
                "first_name": "procbot",
                "username": "procbot_test_bot",
            }
        elif endpoint == "sendMessage":
            self.accepted.append(payload)
            self._message_id += 1
            result = {
                "message_id": self._message_id,
                "date": int(time.time()),
                "chat": {"id": int(payload["chat_id"]), "type": "private"},
                "text": payload["text"],
            }
        elif endpoint == "sendDocument":
            self.documents.append(payload)
            for part in (request_data.multipart_data or {}).values() if request_data else ():
                self.files.append((str(part[0]), bytes(part[1])))
            self._message_id += 1
            result = {
                "message_id": self._message_id,
                "date": int(time.time()),
                "chat": {"id": int(payload["chat_id"]), "type": "private"},
                "document": {"file_id": f"doc-{self._message_id}", "file_unique_id": "u"},
            }
        else:
            result = True
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _refusal(self, payload: dict) -> str | None:
        text = str(payload.get("text", ""))
        if payload.get("parse_mode") == "HTML":
            problem = html_problem(text) or (self.refuse_html and self.refuse_html(text))
            if problem:
                return problem
            # Telegram counts the visible text of HTML messages.
            visible = strip_tags(text)
        else:
            visible = text
        if len(visible.encode("utf-16-le")) // 2 > MESSAGE_LIMIT:
            return "Bad Request: message is too long"
        return None

    def sent(self, chat_id: int | None = None) -> list[dict]:
        """The messages Telegram accepted, in order."""
        return [p for p in self.accepted if chat_id is None or int(p["chat_id"]) == chat_id]

    def texts(self, chat_id: int | None = None) -> str:
        return "\n".join(p["text"] for p in self.sent(chat_id))
