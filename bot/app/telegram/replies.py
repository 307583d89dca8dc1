"""Sending replies and logging them: HTML messages below Telegram's length limit (resent as
plain text when it refuses the markup), and one log line per request, never its words."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.app.telegram.html import split_messages, strip_tags

log = logging.getLogger("bot.app.telegram")


async def send_html(
    bot: Bot,
    chat_id: int,
    parts: Sequence[str],
    reply_markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Send each part as its own HTML message, in order, none over Telegram's length limit.

    `reply_markup` (the buttons) goes on the last message. Link previews are off for every
    message by the application's defaults (app.py).
    """
    messages = [message for part in parts for message in split_messages([part])]
    for n, part in enumerate(messages):
        markup = reply_markup if n == len(messages) - 1 else None
        try:
            await bot.send_message(chat_id, part, parse_mode=ParseMode.HTML, reply_markup=markup)
        except BadRequest as error:
            # Markup Telegram refuses must not cost the person the answer: send it as text.
            # Telegram's description quotes the refused markup, so only the type is logged.
            log.warning(
                "chat=%s html rejected (%s) chars=%d; sending plain text",
                chat_id,
                type(error).__name__,
                len(part),
            )
            await bot.send_message(chat_id, strip_tags(part), reply_markup=markup)


def log_outcome(
    chat_id: int,
    kind: str,
    chars: int,
    outcome: str,
    started: float,
    engine_s: float | None = None,
    error: str = "",
    followup: bool = False,
) -> None:
    """One line per request: ids, sizes, outcome and latencies, never the words."""
    total_ms = (time.perf_counter() - started) * 1000
    engine = f" engine_ms={engine_s * 1000:.0f}" if engine_s is not None else ""
    log.info(
        "chat=%s kind=%s chars=%d outcome=%s%s%s ms=%.0f%s",
        chat_id,
        kind,
        chars,
        outcome,
        f" error={error}" if error else "",
        " followup=1" if followup else "",
        total_ms,
        engine,
    )
