"""Outgoing pace: Telegram's flood limits per chat and overall, 429s per chat, late typing."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager, suppress
from typing import Any

from aiolimiter import AsyncLimiter
from telegram import Bot
from telegram.constants import ChatAction, FloodLimit
from telegram.error import RetryAfter, TelegramError
from telegram.ext import BaseRateLimiter

log = logging.getLogger("bot.app.telegram")

#: Telegram's guidance: about one message a second in a private chat, 20 a minute in a group.
CHAT_INTERVAL_S = 1.0
GROUP_INTERVAL_S = 60 / FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP
#: Answers quicker than this get no "typing…" at all: the reply itself is the first sign.
TYPING_AFTER_S = 1.0
#: Telegram shows "typing…" for about five seconds; renew it a little sooner.
TYPING_RENEW_S = 4.5
#: Chats whose pace is remembered; idle ones beyond this are forgotten.
_CHATS_KEPT = 4096

Callback = Callable[..., Coroutine[Any, Any, Any]]


class _Chat:
    """One chat's pace: its sends go one at a time, in order, `interval` apart."""

    __slots__ = ("interval", "lock", "next_at", "paused_until")

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.lock = asyncio.Lock()
        self.next_at = 0.0  # monotonic time of the earliest next message
        self.paused_until = 0.0  # set by this chat's 429 only


class ChatPacedRateLimiter(BaseRateLimiter[int]):
    """PTB rate limiter: at most `overall_per_s` requests a second for the whole bot, and in
    each chat one message every `CHAT_INTERVAL_S` (groups: `GROUP_INTERVAL_S`).

    Telegram's 429 ("retry after N seconds") for a chat pauses that chat only: its message is
    retried after N seconds (up to `max_retries` times) while every other chat goes on. Chat
    actions ("typing…") are not messages: they wait for a pause, not for the chat's pace.
    """

    def __init__(
        self,
        overall_per_s: float = FloodLimit.MESSAGES_PER_SECOND,
        max_retries: int = 3,
        *,
        chat_interval_s: float = CHAT_INTERVAL_S,
        group_interval_s: float = GROUP_INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._overall = AsyncLimiter(overall_per_s, 1) if overall_per_s > 0 else None
        self._max_retries = max_retries
        self._chat_interval = chat_interval_s
        self._group_interval = group_interval_s
        self._clock = clock
        self._sleep = sleep
        self._chats: dict[int | str, _Chat] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        chat_id = data.get("chat_id")
        if chat_id is None:
            return await callback(*args, **kwargs)  # getUpdates, answerCallbackQuery, ...
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)
        chat = self._chat(chat_id)
        retries = self._max_retries if rate_limit_args is None else rate_limit_args
        if endpoint == "sendChatAction":
            return await self._send(chat, callback, args, kwargs, retries, paced=False)
        async with chat.lock:
            return await self._send(chat, callback, args, kwargs, retries, paced=True)

    async def _send(
        self,
        chat: _Chat,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        retries: int,
        *,
        paced: bool,
    ) -> Any:
        for attempt in range(retries + 1):
            start = max(chat.paused_until, chat.next_at if paced else 0.0)
            wait = start - self._clock()
            if wait > 0:
                await self._sleep(wait)
            try:
                if self._overall is None:
                    return await callback(*args, **kwargs)
                async with self._overall:
                    return await callback(*args, **kwargs)
            except RetryAfter as error:
                seconds = _seconds(error)
                chat.paused_until = self._clock() + seconds + 0.1
                if attempt == retries:
                    log.warning("429 after %d retries; giving up on this message", retries)
                    raise
                log.info("429 for one chat; it waits %.1f s, other chats go on", seconds)
            finally:
                if paced:
                    # Counted from when the message went out, so two never arrive together.
                    chat.next_at = self._clock() + chat.interval
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _chat(self, chat_id: int | str) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            if len(self._chats) >= _CHATS_KEPT:
                self._forget_idle()
            group = isinstance(chat_id, str) or chat_id < 0
            chat = self._chats[chat_id] = _Chat(
                self._group_interval if group else self._chat_interval
            )
        return chat

    def _forget_idle(self) -> None:
        now = self._clock()
        for key, chat in list(self._chats.items()):
            if not chat.lock.locked() and max(chat.next_at, chat.paused_until) <= now:
                del self._chats[key]


def _seconds(error: RetryAfter) -> float:
    # `retry_after` changes type in a future PTB (int seconds -> timedelta); read both.
    pause = getattr(error, "_retry_after", None) or error.retry_after
    return float(pause.total_seconds() if hasattr(pause, "total_seconds") else pause)


@asynccontextmanager
async def typing_after(bot: Bot, chat_id: int, delay_s: float | None = None) -> AsyncIterator[None]:
    """Show "typing…" while the body runs, but only once it has taken `delay_s` (default
    TYPING_AFTER_S): a quick answer is not preceded by an indicator that costs a request."""

    async def keep_typing() -> None:
        await asyncio.sleep(TYPING_AFTER_S if delay_s is None else delay_s)
        while True:
            try:
                await bot.send_chat_action(chat_id, ChatAction.TYPING)
            except TelegramError as error:
                log.warning("chat=%s typing indicator failed: %s", chat_id, type(error).__name__)
                return
            await asyncio.sleep(TYPING_RENEW_S)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
