"""Callback data is short and validated; the memory behind buttons is bounded."""

from __future__ import annotations

import pytest

from bot.app.telegram.buttons import CALLBACK_LIMIT, ChatMemory, Press, Shown, callback, parse_press


@pytest.mark.parametrize(
    ("data", "press"),
    [
        ("x:12", Press("x", 12)),
        ("r:999999999:2", Press("r", 999999999, 2)),
        ("dl:ev:interrogatories", None),  # the /deadline flow's own buttons
        ("x:12:3:4", None),
        ("z:1", None),  # not a kind procbot makes
        ("x:" + "9" * 70, None),  # over Telegram's 64 bytes
        ("", None),
        (None, None),
    ],
)
def test_parse_press(data: str | None, press: Press | None) -> None:
    assert parse_press(data) == press


def test_callback_data_round_trips_within_the_limit() -> None:
    data = callback("p", 123456789, 42)
    assert len(data.encode()) <= CALLBACK_LIMIT
    assert parse_press(data) == Press("p", 123456789, 42)
    with pytest.raises(ValueError):
        callback("nope", 1)


def test_memory_keeps_the_last_replies_of_the_last_chats() -> None:
    memory = ChatMemory(max_chats=2, per_chat=2)
    first = memory.keep(1, Shown("en"))
    second = memory.keep(1, Shown("en"))
    third = memory.keep(1, Shown("es"))
    assert memory.get(1, first) is None  # pushed out: its buttons are stale
    assert memory.get(1, second) is not None and memory.get(1, third).lang == "es"
    memory.keep(2, Shown("en"))
    memory.keep(3, Shown("en"))  # a third chat pushes out the least recent one
    assert memory.get(1, third) is None
    memory.forget(3)
    assert memory._chats.keys() == {2}
