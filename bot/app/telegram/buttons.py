"""Inline buttons: bounded, validated callback data and the per-chat memory they point into."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.app.telegram.strings import text
from bot.core.answer_types import Answer
from bot.core.types import RuleMatch

#: Telegram's limit on callback_data, in bytes.
CALLBACK_LIMIT = 64
#: Button kinds: exact words, deadline, related question, service, suggestion, rule part,
#: the whole rule.
KINDS = ("x", "d", "r", "s", "q", "p", "a")
_DATA = re.compile(r"(?P<kind>[xdrsqpa]):(?P<item>\d{1,9})(?::(?P<index>\d{1,2}))?")
#: How a button's label is cut: Telegram shows about this much of a full-width button.
LABEL_CHARS = 60
#: Related questions and suggestions offered as buttons at most.
MAX_QUESTION_BUTTONS = 3
#: The words added to a time question when a service button is tapped; the deadline stage
#: reads how the paper was served from them (bot/deadlines/data, service phrases).
SERVICES = (
    ("buttons.by_mail", "It was served by mail."),
    ("buttons.by_hand", "It was handed to him in person."),
    ("buttons.e_filed", "It was e-filed electronically."),
)


@dataclass(frozen=True)
class Press:
    """A validated button press: which kind, which remembered item, which entry of it."""

    kind: str
    item: int
    index: int | None = None


def callback(kind: str, item: int, index: int | None = None) -> str:
    data = f"{kind}:{item}" + (f":{index}" if index is not None else "")
    if kind not in KINDS or len(data.encode()) > CALLBACK_LIMIT:
        raise ValueError(f"bad callback data {data!r}")
    return data


def parse_press(data: str | None) -> Press | None:
    """The press `data` encodes, or None when it is not one of procbot's buttons."""
    if not data or len(data.encode()) > CALLBACK_LIMIT:
        return None
    found = _DATA.fullmatch(data)
    if found is None:
        return None
    index = found.group("index")
    return Press(found.group("kind"), int(found.group("item")), int(index) if index else None)


@dataclass
class Shown:
    """What one reply showed, so its buttons can be answered later."""

    lang: str
    answer: Answer | None = None
    first: str = ""  # the first message's HTML, to know what "Exact words" must add
    questions: tuple[str, ...] = ()  # related questions or suggestions, by button index
    question: str = ""  # the question a service button completes
    parts: tuple[RuleMatch, ...] = ()  # /rule: the parts offered as buttons
    whole: tuple[RuleMatch, ...] = ()  # /rule: everything, for "Show all"
    extra: dict[str, str] = field(default_factory=dict)


class ChatMemory:
    """The last `per_chat` replies of the last `max_chats` chats, in memory only.

    Buttons point into it by number; an entry that has been dropped (or a restart) makes the
    button stale, and the person is told so politely.
    """

    def __init__(self, max_chats: int = 2000, per_chat: int = 8) -> None:
        self.max_chats = max_chats
        self.per_chat = per_chat
        self._chats: OrderedDict[int, OrderedDict[int, Shown]] = OrderedDict()
        self._next = 1
        self._lock = threading.Lock()

    def keep(self, chat_id: int, shown: Shown) -> int:
        with self._lock:
            number = self._next
            self._next += 1
            items = self._chats.setdefault(chat_id, OrderedDict())
            self._chats.move_to_end(chat_id)
            items[number] = shown
            while len(items) > self.per_chat:
                items.popitem(last=False)
            while len(self._chats) > self.max_chats:
                self._chats.popitem(last=False)
            return number

    def get(self, chat_id: int, number: int) -> Shown | None:
        with self._lock:
            return self._chats.get(chat_id, {}).get(number)

    def forget(self, chat_id: int) -> None:
        with self._lock:
            self._chats.pop(chat_id, None)


def _label(question: str) -> str:
    words = question.strip()
    words = words[:1].upper() + words[1:]
    return words if len(words) <= LABEL_CHARS else words[: LABEL_CHARS - 1].rstrip() + "…"


def question_rows(questions: tuple[str, ...], number: int, kind: str) -> list[list]:
    return [
        [InlineKeyboardButton(_label(q), callback_data=callback(kind, number, i))]
        for i, q in enumerate(questions[:MAX_QUESTION_BUTTONS])
    ]


def answer_keyboard(shown: Shown, number: int) -> InlineKeyboardMarkup | None:
    """Exact words (when there are sources), Deadline (when counted), related questions."""
    answer = shown.answer
    top = []
    if answer is not None and answer.sources:
        top.append(
            InlineKeyboardButton(
                text("buttons.exact_words", shown.lang), callback_data=callback("x", number)
            )
        )
    if answer is not None and answer.deadline is not None:
        top.append(
            InlineKeyboardButton(
                text("buttons.deadline", shown.lang), callback_data=callback("d", number)
            )
        )
    rows = ([top] if top else []) + question_rows(shown.questions, number, "r")
    return InlineKeyboardMarkup(rows) if rows else None


def suggestion_keyboard(shown: Shown, number: int) -> InlineKeyboardMarkup | None:
    rows = question_rows(shown.questions, number, "q")
    return InlineKeyboardMarkup(rows) if rows else None


def service_keyboard(lang: str, number: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(text(key, lang), callback_data=callback("s", number, i))]
            for i, (key, _) in enumerate(SERVICES)
        ]
    )


def rule_keyboard(lang: str, number: int, labels: list[str]) -> InlineKeyboardMarkup:
    """One button per part ("(1)", "(2)" ...), four to a row, then "Show all"."""
    buttons = [
        InlineKeyboardButton(label, callback_data=callback("p", number, i))
        for i, label in enumerate(labels)
    ]
    rows = [buttons[i : i + 4] for i in range(0, len(buttons), 4)]
    rows.append(
        [InlineKeyboardButton(text("buttons.show_all", lang), callback_data=callback("a", number))]
    )
    return InlineKeyboardMarkup(rows)
