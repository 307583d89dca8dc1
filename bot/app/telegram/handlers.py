"""Telegram handlers: the commands (/rule, /sources, /language, ...), the buttons, and the
error handler; a chat's questions are answered by questions.py."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from telegram import InlineKeyboardMarkup, InputFile, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.app.telegram.answer_html import (
    FIRST_MESSAGE_CHARS,
    deadline_blocks,
    exact_words_messages,
    transcript_text,
)
from bot.app.telegram.buttons import SERVICES, Shown, parse_press, rule_keyboard
from bot.app.telegram.html import escape, visible_len
from bot.app.telegram.questions import QuestionHandlers
from bot.app.telegram.replies import log_outcome, send_html
from bot.app.telegram.source_html import rule_messages, sources_messages
from bot.app.telegram.strings import LANGUAGES, text
from bot.core.errors import InputError, ProcbotError, RuleNotFoundError
from bot.core.types import RuleMatch

log = logging.getLogger("bot.app.telegram")

#: A rule text up to this many phone screens is shown whole; a longer one as its own words
#: with its parts as buttons.
RULE_SCREENS = 2
#: How much of a query a reply repeats back; a query may be as long as a whole message.
ECHO_CHARS = 80

HELP = text("help")
RULE_USAGE = text("rule_usage")
NOT_TEXT = text("not_text")
UNKNOWN_COMMAND = text("unknown_command")
SORRY = text("sorry")


def quoted_query(query: str) -> str:
    """The person's query as echoed in a reply: short enough never to crowd out the reply."""
    if len(query) <= ECHO_CHARS:
        return escape(query)
    return escape(query[:ECHO_CHARS].rstrip()) + "…"


class ChatHandlers(QuestionHandlers):
    """The bot's commands and buttons, over the chat state and questions of QuestionHandlers."""

    # -- language ------------------------------------------------------------------------

    async def language(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = update.effective_chat.id
        wanted = " ".join(context.args or ()).strip().lower()
        if wanted in LANGUAGES:
            self.history.set_language(chat_id, wanted, fixed=True)
            reply = text("language_now", wanted)
        elif wanted == "auto":
            self.history.set_language(chat_id, self.lang(chat_id), fixed=False)
            reply = text("language_auto", self.lang(chat_id))
        else:
            # No argument: switch to the other language, the one a person most likely wants.
            current = self.lang(chat_id)
            other = "es" if current == "en" else "en"
            self.history.set_language(chat_id, other, fixed=True)
            reply = text("language_now", other)
        await send_html(context.bot, chat_id, [reply])

    # -- commands ------------------------------------------------------------------------

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = update.effective_chat.id
        await send_html(context.bot, chat_id, [text("help", self.lang(chat_id))])

    async def rule(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = update.effective_chat.id
        lang = self.lang(chat_id)
        query = " ".join(context.args or ()).strip()
        if not query:
            await send_html(context.bot, chat_id, [text("rule_usage", lang)])
            return
        if await self._over_limit(update, context):
            return
        started = time.perf_counter()
        markup = None
        try:
            matches = await asyncio.to_thread(self.engine.lookup_rule, query)
        except RuleNotFoundError:
            parts, outcome = [text("rule_not_found", lang, query=quoted_query(query))], "not_found"
        except InputError:
            # The error's own sentence repeats the whole query; this reply repeats a bounded part.
            parts = [text("rule_bad", lang, query=quoted_query(query)) + "\n\n"]
            parts[0] += text("rule_usage", lang)
            outcome = "bad_input"
        except ProcbotError as error:
            parts, outcome = [escape(str(error))], "error"
        else:
            parts, markup = self._rule_reply(chat_id, lang, matches)
            outcome = "answered"
        engine_s = time.perf_counter() - started
        await send_html(context.bot, chat_id, parts, markup)
        log_outcome(chat_id, "rule", len(query), outcome, started, engine_s)

    def _rule_reply(
        self, chat_id: int, lang: str, matches: list[RuleMatch]
    ) -> tuple[list[str], InlineKeyboardMarkup | None]:
        """The asked subdivision's own words in one message; its parts as buttons."""
        own, parts = self.engine.rule_parts(matches[0])
        whole = rule_messages(matches, lang)
        fits = len(whole) == 1 and visible_len(whole[0]) <= RULE_SCREENS * FIRST_MESSAGE_CHARS
        if fits or len(parts) < 2:
            # One screen, or a text with no parts to offer: all of it (split if it must be).
            return whole, None
        shown = Shown(lang, parts=parts, whole=tuple(matches))
        number = self.memory.keep(chat_id, shown)
        labels = [p.authority[len(matches[0].authority) :] for p in parts]
        messages = rule_messages([own], lang)
        messages[-1] += "\n\n" + text("rule_parts", lang, count=len(parts))
        return messages, rule_keyboard(lang, number, labels)

    async def sources(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = update.effective_chat.id
        try:
            summary = await asyncio.to_thread(self.engine.sources)
        except ProcbotError as error:
            await send_html(context.bot, chat_id, [escape(str(error))])
            return
        await send_html(context.bot, chat_id, sources_messages(summary, self.lang(chat_id)))

    async def forget(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = update.effective_chat.id
        lang = self.lang(chat_id)
        deleted = self.history.forget(chat_id)
        self.memory.forget(chat_id)
        self.awaiting_date.pop(chat_id, None)
        log.info("chat=%s kind=forget deleted=%d", chat_id, deleted)
        await send_html(context.bot, chat_id, [text("forget_done", lang)])

    async def transcript(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = update.effective_chat.id
        lang = self.lang(chat_id)
        turns = self.history.recent(chat_id)
        if not turns:
            await send_html(context.bot, chat_id, [text("transcript_empty", lang)])
            return
        document = transcript_text(turns, lang)
        await context.bot.send_document(
            chat_id,
            InputFile(document.encode("utf-8"), filename="procbot-transcript.txt"),
            caption=text("transcript_caption", lang),
        )
        log.info("chat=%s kind=transcript turns=%d", chat_id, len(turns))

    # -- buttons -------------------------------------------------------------------------

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        chat_id = update.effective_chat.id
        press = parse_press(query.data)
        shown = self.memory.get(chat_id, press.item) if press else None
        lang = shown.lang if shown else self.lang(chat_id)
        if press is None:
            await query.answer(text("bad_button", lang))
            log.info("chat=%s kind=button outcome=bad_data", chat_id)
            return
        if shown is None:
            await query.answer(text("stale", lang), show_alert=True)
            log.info("chat=%s kind=button outcome=stale", chat_id)
            return
        await query.answer()
        log.info("chat=%s kind=button button=%s", chat_id, press.kind)
        if press.kind == "x" and shown.answer is not None:
            parts = exact_words_messages(shown.answer, lang, shown.first)
            await send_html(context.bot, chat_id, parts)
        elif press.kind == "d" and shown.answer is not None:
            await send_html(context.bot, chat_id, deadline_blocks(shown.answer, lang))
        elif press.kind in {"r", "q"} and press.index is not None:
            if press.index < len(shown.questions):
                asked = shown.questions[press.index]
                await self._answer(context, chat_id, asked, lang)
        elif press.kind == "s" and press.index is not None and press.index < len(SERVICES):
            completed = f"{shown.question} {SERVICES[press.index][1]}"
            await self._complete(context, chat_id, completed, lang)
        elif press.kind == "p" and press.index is not None and press.index < len(shown.parts):
            await send_html(context.bot, chat_id, rule_messages([shown.parts[press.index]], lang))
        elif press.kind == "a" and shown.whole:
            await send_html(context.bot, chat_id, rule_messages(list(shown.whole), lang))

    async def not_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = update.effective_chat.id
        log.info("chat=%s kind=not_text outcome=declined", chat_id)
        await send_html(context.bot, chat_id, [text("not_text", self.lang(chat_id))])

    async def unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = update.effective_chat.id
        await send_html(context.bot, chat_id, [text("unknown_command", self.lang(chat_id))])


def error_handler(lang_of: Callable[[int], str]):
    """The error handler: log the failure, and tell the person politely in their language."""

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
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
            await context.bot.send_message(chat.id, text("sorry", lang_of(chat.id)))
        except TelegramError as error:
            log.warning("chat=%s could not send the apology: %s", chat.id, type(error).__name__)

    return on_error


#: The error handler for a bot with no chat languages (every apology in English).
on_error = error_handler(lambda _chat_id: "en")
