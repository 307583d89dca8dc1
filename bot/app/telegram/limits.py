"""Who may use the bot and how often: the chat allowlist and a per-user sliding-window limit."""

from __future__ import annotations

import logging
import math
import time
from collections import deque
from collections.abc import Callable, Collection

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes, TypeHandler

from bot.app.telegram.strings import text

log = logging.getLogger("bot.app.telegram")


class SlidingWindowLimiter:
    """At most `per_minute` requests per user in any 60-second window; exempt users never wait.

    A limit of 0 or less turns limiting off.
    """

    def __init__(
        self,
        per_minute: int,
        exempt: Collection[int] = (),
        window_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_minute = per_minute
        self.exempt = frozenset(exempt)
        self.window_s = window_s
        self._clock = clock
        self._seen: dict[int, deque[float]] = {}

    def check(self, user_id: int) -> float | None:
        """Record a request and return None when allowed, else seconds until one is allowed."""
        if self.per_minute <= 0 or user_id in self.exempt:
            return None
        now = self._clock()
        recent = self._seen.setdefault(user_id, deque())
        while recent and recent[0] <= now - self.window_s:
            recent.popleft()
        if len(recent) >= self.per_minute:
            return recent[0] + self.window_s - now
        recent.append(now)
        self._forget_idle(now)
        return None

    def _forget_idle(self, now: float) -> None:
        # Bounded memory: users whose window has fully passed need no entry.
        if len(self._seen) < 1024:
            return
        for user_id in [u for u, times in self._seen.items() if times[-1] <= now - self.window_s]:
            del self._seen[user_id]


def limit_message(retry_after_s: float, per_minute: int, lang: str = "en") -> str:
    """The reply when a user is over the limit (plain text, safe for HTML)."""
    seconds = max(1, math.ceil(retry_after_s))
    return text("limit", lang, per_minute=per_minute, seconds=seconds)


def allowlist_gate(allowed_chat_ids: Collection[int], admin_chat_ids: Collection[int] = ()):
    """A handler for group -1 that stops every update from a chat not on the allowlist.

    An empty allowlist lets everyone in. Admin chats are always allowed. Blocked chats get no
    reply, so the bot cannot be used to send messages to strangers.
    """
    allowed = frozenset(allowed_chat_ids) | frozenset(admin_chat_ids)

    async def gate(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        if not allowed_chat_ids:
            return
        chat = update.effective_chat
        if chat is not None and chat.id in allowed:
            return
        log.info("chat=%s outcome=blocked", chat.id if chat else None)
        raise ApplicationHandlerStop

    return TypeHandler(Update, gate)
