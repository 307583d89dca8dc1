"""Telegram handlers: read the update, call the engine off the event loop, reply in HTML."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress

from telegram import Bot, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.app.engine import Engine
from bot.app.telegram.history import History
from bot.app.telegram.html import (
    answer_messages,
    answer_plain,
    escape,
    rule_messages,
    sources_messages,
    split_messages,
    strip_tags,
)
from bot.app.telegram.limits import SlidingWindowLimiter, limit_message
from bot.core.errors import InputError, ProcbotError, RuleNotFoundError

log = logging.getLogger("bot.app.telegram")

#: Telegram shows "typing…" for about five seconds; renew it a little sooner.
TYPING_RENEW_S = 4.5
#: How much of a query a reply repeats back; a query may be as long as a whole message.
ECHO_CHARS = 80

HELP = (
    "<b>procbot</b> answers procedural questions about federal civil cases — filing, "
    "discovery, deadlines, motions — for people who represent themselves, especially "
    "prisoners in civil-rights cases in the Eastern District of California.\n\n"
    "Every answer cites the indexed sources it comes from: court orders, rules and statutes "
    "(send /sources to see which). When my sources do not cover a question, I say so "
    "instead of guessing.\n\n"
    "<b>What I do not do:</b> give legal advice about your case, predict how a judge will "
    "rule, or draft filings for you. This is legal information, not legal advice.\n\n"
    "<b>Try, for example:</b>\n"
    "• Should I file my letter to defense counsel with the court?\n"
    "• How many interrogatories can I serve?\n"
    "• /rule 26(b)(1) — the text of a rule by its number (this one if the FRCP is indexed)\n"
    "• /rule L.R. 183(b) — a local rule, if the local rules are indexed\n"
    "• /sources — which rule books and orders I can cite\n"
    "• /forget — delete our conversation"
)
RULE_USAGE = (
    "Tell me which rule, for example <code>/rule 26(b)(1)</code>, "
    "<code>/rule 5(d)</code> or <code>/rule L.R. 183(b)</code>."
)
NOT_TEXT = (
    "I can only read text. Please type your question as a message, "
    "or use <code>/rule 26(b)(1)</code> to read a rule."
)
UNKNOWN_COMMAND = "I don't know that command. Send /help to see what I can do."
SORRY = "Sorry, something went wrong on my side and I could not answer. Please try again later."


async def send_html(bot: Bot, chat_id: int, parts: Sequence[str]) -> None:
    """Send each part as its own HTML message, in order, none over Telegram's length limit."""
    messages = [message for part in parts for message in split_messages([part])]
    for part in messages:
        try:
            # Only plain parameters: Bot API emulators echo the request back as the sent
            # message, and an echoed object parameter (link_preview_options) breaks parsing.
            await bot.send_message(chat_id, part, parse_mode=ParseMode.HTML)
        except BadRequest as error:
            # Markup Telegram refuses must not cost the person the answer: send it as text.
            # Telegram's description quotes the refused markup, so only the type is logged.
            log.warning(
                "chat=%s html rejected (%s) chars=%d; sending plain text",
                chat_id,
                type(error).__name__,
                len(part),
            )
            await bot.send_message(chat_id, strip_tags(part))


def quoted_query(query: str) -> str:
    """The person's query as echoed in a reply: short enough never to crowd out the reply."""
    if len(query) <= ECHO_CHARS:
        return escape(query)
    return escape(query[:ECHO_CHARS].rstrip()) + "…"


@asynccontextmanager
async def typing(bot: Bot, chat_id: int) -> AsyncIterator[None]:
    """Show "typing…" while the body runs; the indicator is optional and may fail."""

    async def keep_typing() -> None:
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


class ChatHandlers:
    """The bot's commands and message handlers over one engine, history and limiter."""

    def __init__(
        self,
        engine: Engine,
        history: History,
        limiter: SlidingWindowLimiter,
    ) -> None:
        self.engine = engine
        self.history = history
        self.limiter = limiter

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await send_html(context.bot, update.effective_chat.id, [HELP])

    async def rule(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = update.effective_chat.id
        query = " ".join(context.args or ()).strip()
        if not query:
            await send_html(context.bot, chat_id, [RULE_USAGE])
            return
        if await self._over_limit(update, context):
            return
        started = time.perf_counter()
        try:
            matches = await asyncio.to_thread(self.engine.lookup_rule, query)
        except RuleNotFoundError:
            parts = [
                f"<b>{quoted_query(query)}</b> is not in my sources, so I cannot show its text. "
                "I never guess what a rule says. Send /sources to see which rule books I have."
            ]
            outcome = "not_found"
        except InputError:
            # The error's own sentence repeats the whole query; this reply repeats a bounded part.
            parts = [
                f"<b>{quoted_query(query)}</b> is not a rule or statute citation I can read.\n\n"
                + RULE_USAGE
            ]
            outcome = "bad_input"
        except ProcbotError as error:
            parts, outcome = [escape(str(error))], "error"
        else:
            parts, outcome = rule_messages(matches), "answered"
        engine_s = time.perf_counter() - started
        await send_html(context.bot, chat_id, parts)
        _log_outcome(chat_id, "rule", len(query), outcome, started, engine_s)

    async def sources(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = update.effective_chat.id
        try:
            summary = await asyncio.to_thread(self.engine.sources)
        except ProcbotError as error:
            await send_html(context.bot, chat_id, [escape(str(error))])
            return
        await send_html(context.bot, chat_id, sources_messages(summary))

    async def forget(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = update.effective_chat.id
        deleted = self.history.forget(chat_id)
        log.info("chat=%s kind=forget deleted=%d", chat_id, deleted)
        await send_html(
            context.bot,
            chat_id,
            ["Done: I deleted our conversation. Your next question starts fresh."],
        )

    async def question(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = update.effective_chat.id
        text = update.effective_message.text or ""
        if await self._over_limit(update, context):
            return
        started = time.perf_counter()
        earlier = self.history.recent(chat_id)
        try:
            async with typing(context.bot, chat_id):
                answer = await asyncio.to_thread(self.engine.ask, text, earlier)
            engine_s = time.perf_counter() - started
        except ProcbotError as error:
            # Domain errors carry a user-safe sentence; their text may quote the question,
            # so only the type is logged.
            await send_html(context.bot, chat_id, [escape(str(error))])
            _log_outcome(
                chat_id, "question", len(text), "error", started, error=type(error).__name__
            )
            return
        await send_html(context.bot, chat_id, answer_messages(answer))
        self.history.add(chat_id, "user", text)
        self.history.add(chat_id, "assistant", answer_plain(answer))
        outcome = "abstained" if answer.abstained else "answered"
        _log_outcome(chat_id, "question", len(text), outcome, started, engine_s)

    async def not_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.info("chat=%s kind=not_text outcome=declined", update.effective_chat.id)
        await send_html(context.bot, update.effective_chat.id, [NOT_TEXT])

    async def unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await send_html(context.bot, update.effective_chat.id, [UNKNOWN_COMMAND])

    async def _over_limit(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
        """True (and the reply sent) when the user has used up this minute's questions."""
        user = update.effective_user
        chat_id = update.effective_chat.id
        exempt = chat_id in self.limiter.exempt
        wait = None if exempt else self.limiter.check(user.id if user else chat_id)
        if wait is None:
            return False
        log.info("chat=%s outcome=rate_limited wait_s=%.0f", chat_id, wait)
        await send_html(context.bot, chat_id, [limit_message(wait, self.limiter.per_minute)])
        return True


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure with its traceback and tell the person politely, if there is one."""
    chat = update.effective_chat if isinstance(update, Update) else None
    log.error(
        "chat=%s outcome=error %s",
        chat.id if chat else None,
        type(context.error).__name__,
        exc_info=context.error,
    )
    if chat is None:
        return
    try:
        await context.bot.send_message(chat.id, SORRY)
    except TelegramError as error:
        log.warning("chat=%s could not send the apology: %s", chat.id, type(error).__name__)


def _log_outcome(
    chat_id: int,
    kind: str,
    chars: int,
    outcome: str,
    started: float,
    engine_s: float | None = None,
    error: str = "",
) -> None:
    """One line per request: ids, sizes, outcome and latencies, never the words."""
    total_ms = (time.perf_counter() - started) * 1000
    engine = f" engine_ms={engine_s * 1000:.0f}" if engine_s is not None else ""
    log.info(
        "chat=%s kind=%s chars=%d outcome=%s%s ms=%.0f%s",
        chat_id,
        kind,
        chars,
        outcome,
        f" error={error}" if error else "",
        total_ms,
        engine,
    )
