"""The /deadline conversation: pick the event, give the date, say how it was served."""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Callable
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.app.engine import Engine
from bot.app.telegram.deadline_words import deadline_words, in_language
from bot.app.telegram.html import escape
from bot.app.telegram.language import DATE_LANGUAGES
from bot.app.telegram.replies import send_html
from bot.app.telegram.strings import text
from bot.core.deadline_types import Service
from bot.core.errors import ProcbotError
from bot.deadlines.events import Trigger
from bot.deadlines.ics import deadline_ics
from bot.deadlines.recognize import date_in

log = logging.getLogger(__name__)

EVENT, DATE, SERVICE = range(3)
PREFIX = "dl:"
#: The service buttons (their words in strings.yaml), in the words a family member would use.
SERVICE_BUTTONS = (
    ("buttons.by_mail", Service.MAIL),
    ("buttons.by_hand", Service.PERSONAL),
    ("buttons.e_filed", Service.ELECTRONIC),
    ("deadline_flow.by_clerk", Service.CLERK),
)


def _keyboard(rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data)] for text, data in rows]
    )


def deadline_conversation(engine: Engine, lang_of: Callable[[int], str]) -> ConversationHandler:
    """The /deadline flow over `engine` (which reads the index snapshot, not the model).

    `lang_of(chat_id)` is the language the chat is answered in.
    """

    def say(update: Update, key: str) -> str:
        return text(f"deadline_flow.{key}", lang_of(update.effective_chat.id))

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        try:
            book = await asyncio.to_thread(engine.deadline_events)
        except ProcbotError as error:
            await update.effective_message.reply_text(str(error))
            return ConversationHandler.END
        if not book.enabled:
            await update.effective_message.reply_text(say(update, "no_events"))
            return ConversationHandler.END
        lang = lang_of(update.effective_chat.id)
        rows = [
            (in_language(s.event.title, lang), f"{PREFIX}ev:{s.event.key}") for s in book.enabled
        ]
        await update.effective_message.reply_text(say(update, "pick"), reply_markup=_keyboard(rows))
        return EVENT

    async def picked(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query = update.callback_query
        await query.answer()
        key = query.data.removeprefix(f"{PREFIX}ev:")
        try:
            status = (await asyncio.to_thread(engine.deadline_events)).get(key)
        except ProcbotError as error:
            await query.message.reply_text(str(error))
            return ConversationHandler.END
        context.user_data["deadline_event"] = key
        title = in_language(status.event.title, lang_of(update.effective_chat.id))
        ask = say(update, f"ask_date.{status.event.trigger.value}")
        await query.message.reply_text(f"{title}.\n{ask}\n{say(update, 'cancel_hint')}")
        return DATE

    async def dated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        key = context.user_data.get("deadline_event")
        book = await asyncio.to_thread(engine.deadline_events)
        status = book.get(key)
        prefer = "future" if status.event.trigger is Trigger.HEARING else "past"
        languages = DATE_LANGUAGES[lang_of(update.effective_chat.id)]
        day = date_in(update.effective_message.text or "", prefer=prefer, languages=languages)
        if day is None:
            await update.effective_message.reply_text(say(update, "bad_date"))
            return DATE
        context.user_data["deadline_date"] = day.isoformat()
        if status.event.trigger is Trigger.SERVED:
            lang = lang_of(update.effective_chat.id)
            rows = [
                (text(k, lang), f"{PREFIX}sv:{service.value}") for k, service in SERVICE_BUTTONS
            ]
            await update.effective_message.reply_text(
                say(update, "how_served"), reply_markup=_keyboard(rows)
            )
            return SERVICE
        await _answer(update, context, None)
        return ConversationHandler.END

    async def served(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query = update.callback_query
        await query.answer()
        await _answer(update, context, Service(query.data.removeprefix(f"{PREFIX}sv:")))
        return ConversationHandler.END

    async def _answer(
        update: Update, context: ContextTypes.DEFAULT_TYPE, service: Service | None
    ) -> None:
        chat_id = update.effective_chat.id
        key = context.user_data.pop("deadline_event", None)
        day = date.fromisoformat(context.user_data.pop("deadline_date"))
        try:
            found = await asyncio.to_thread(engine.deadline, day, event=key, service=service)
            title = (await asyncio.to_thread(engine.deadline_events)).get(key).event.title
        except ProcbotError as error:
            await context.bot.send_message(chat_id, str(error))
            return
        lang = lang_of(chat_id)
        await send_html(context.bot, chat_id, [escape(deadline_words(found, title, lang))])
        await context.bot.send_document(
            chat_id,
            InputFile(deadline_ics(found, title), filename=f"deadline-{found.due}.ics"),
            caption=say(update, "calendar"),
        )
        log.info("chat=%s kind=deadline event=%s", chat_id, key)

    async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        context.user_data.pop("deadline_event", None)
        context.user_data.pop("deadline_date", None)
        await update.effective_message.reply_text(say(update, "cancelled"))
        return ConversationHandler.END

    with warnings.catch_warnings():
        # One conversation per chat and user, whichever of its messages a button is on: the
        # per_message tracking PTB warns about is not wanted here.
        warnings.simplefilter("ignore", PTBUserWarning)
        return ConversationHandler(
            entry_points=[CommandHandler("deadline", start)],
            states={
                EVENT: [CallbackQueryHandler(picked, pattern=f"^{PREFIX}ev:")],
                DATE: [MessageHandler(filters.TEXT & ~filters.COMMAND, dated)],
                SERVICE: [CallbackQueryHandler(served, pattern=f"^{PREFIX}sv:")],
            },
            fallbacks=[CommandHandler("cancel", cancel)],
            name="deadline",
        )
