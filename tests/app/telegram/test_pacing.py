"""Outgoing pace: one message a second per chat, 429s that pause one chat, typing only when slow."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import time

import pytest
from telegram.error import RetryAfter

from bot.app.telegram.pacing import ChatPacedRateLimiter, typing_after

#: Pace of these tests: Telegram's one second scaled down, so the suite does not wait.
GAP = 0.05


def limiter(**options) -> ChatPacedRateLimiter:
    return ChatPacedRateLimiter(chat_interval_s=GAP, group_interval_s=3 * GAP, **options)


async def send(rate: ChatPacedRateLimiter, log: list, chat_id, endpoint="sendMessage") -> bool:
    async def callback(text: str) -> bool:
        log.append((chat_id, time.monotonic()))
        return True

    return await rate.process_request(callback, ("x",), {}, endpoint, {"chat_id": chat_id}, None)


async def test_messages_to_one_chat_are_spaced_other_chats_do_not_wait() -> None:
    rate = limiter()
    log: list = []
    started = time.monotonic()
    await asyncio.gather(*(send(rate, log, 1) for _ in range(3)), send(rate, log, 2))
    times_1 = [t for chat, t in log if chat == 1]
    (time_2,) = [t for chat, t in log if chat == 2]
    assert all(b - a >= GAP for a, b in itertools.pairwise(times_1))
    assert time_2 - started < GAP  # chat 2 was not held behind chat 1's pace


async def test_a_group_is_paced_at_twenty_a_minute_scaled() -> None:
    rate = limiter()
    log: list = []
    await send(rate, log, -100)
    await send(rate, log, -100)
    assert log[1][1] - log[0][1] >= 3 * GAP


async def test_typing_actions_are_not_held_to_the_message_pace() -> None:
    rate = limiter()
    log: list = []
    await send(rate, log, 1)
    await send(rate, log, 1, endpoint="sendChatAction")
    assert log[1][1] - log[0][1] < GAP


async def test_the_overall_limit_still_applies() -> None:
    rate = ChatPacedRateLimiter(overall_per_s=20, chat_interval_s=0)
    log: list = []
    started = time.monotonic()
    await asyncio.gather(*(send(rate, log, chat) for chat in range(40)))
    # aiolimiter lets the first 20 through at once, then 20 a second.
    assert time.monotonic() - started >= 0.9


async def test_a_429_pauses_that_chat_only_and_the_message_is_retried() -> None:
    rate = limiter(max_retries=2)
    log: list = []
    refused: list[float] = []

    async def flooded(text: str) -> bool:
        if not refused:
            refused.append(time.monotonic())
            raise RetryAfter(dt.timedelta(seconds=0.2))
        log.append((1, time.monotonic()))
        return True

    first = rate.process_request(flooded, ("x",), {}, "sendMessage", {"chat_id": 1}, None)
    results = await asyncio.gather(first, send(rate, log, 2))
    assert results == [True, True]
    chat_1 = next(t for chat, t in log if chat == 1)
    chat_2 = next(t for chat, t in log if chat == 2)
    assert chat_2 - refused[0] < 0.1  # served while chat 1 waited out its 429
    assert chat_1 - refused[0] >= 0.2


async def test_a_429_beyond_the_retries_is_raised() -> None:
    rate = limiter(max_retries=1)

    async def always_flooded(text: str) -> bool:
        raise RetryAfter(dt.timedelta(seconds=0.01))

    with pytest.raises(RetryAfter):
        await rate.process_request(always_flooded, ("x",), {}, "sendMessage", {"chat_id": 3}, None)


class ActionBot:
    def __init__(self) -> None:
        self.actions: list[int] = []

    async def send_chat_action(self, chat_id: int, action: str) -> None:
        self.actions.append(chat_id)


async def test_typing_is_shown_only_when_the_answer_takes_longer_than_the_delay() -> None:
    bot = ActionBot()
    async with typing_after(bot, 7, delay_s=0.2):
        await asyncio.sleep(0)  # a quick answer
    assert bot.actions == []
    async with typing_after(bot, 8, delay_s=0.01):
        await asyncio.sleep(0.1)  # a slow one
    assert bot.actions == [8]
