"""The /deadline conversation: pick the event, give the date, say how it was served."""

from __future__ import annotations

import asyncio
import logging
import warnings
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
from bot.app.telegram.handlers import send_html
from bot.app.telegram.html import escape
from bot.core.errors import ProcbotError
from bot.core.types import Service
from bot.deadlines.events import Trigger
from bot.deadlines.ics import deadline_ics
from bot.deadlines.recognize import date_in
from bot.render import deadline_text

log = logging.getLogger(__name__)

EVENT, DATE, SERVICE = range(3)
PREFIX = "dl:"
#: The service buttons, in the words a family member would use.
SERVICE_BUTTONS = (
    ("By mail", Service.MAIL),
    ("Handed to him", Service.PERSONAL),
    ("E-filed", Service.ELECTRONIC),
    ("Left with the clerk", Service.CLERK),
)
ASK_DATE = {
    Trigger.SERVED: "On what date was it served? (for example: March 3, 2026)",
    Trigger.ENTERED: "On what date was it entered on the docket? (for example: 2026-03-03)",
    Trigger.FILED: "On what date was it filed or served by you? (for example: 2026-03-03)",
    Trigger.SENT: "On what date was it sent? (for example: 2026-03-03)",
    Trigger.RETURNED: "On what date did the mail come back? (for example: 2026-03-03)",
    Trigger.HEARING: "On what date is the hearing? (for example: 2026-04-10)",
}
NO_EVENTS = "I cannot count deadlines yet: none of the rules that set the periods is in my sources."
CANCELLED = "Stopped. Send /deadline to start again."


def _keyboard(rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data)] for text, data in rows]
    )


def deadline_conversation(engine: Engine) -> ConversationHandler:
    """The /deadline flow over `engine` (which reads the index snapshot, not the model)."""

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        try:
            book = await asyncio.to_thread(engine.deadline_events)
        except ProcbotError as error:
            await update.effective_message.reply_text(str(error))
            return ConversationHandler.END
        if not book.enabled:
            await update.effective_message.reply_text(NO_EVENTS)
            return ConversationHandler.END
        rows = [(s.event.title, f"{PREFIX}ev:{s.event.key}") for s in book.enabled]
        await update.effective_message.reply_text(
            "Which deadline? Pick one:", reply_markup=_keyboard(rows)
        )
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
        await query.message.reply_text(
            f"{status.event.title}.\n{ASK_DATE[status.event.trigger]}\nSend /cancel to stop."
        )
        return DATE

    async def dated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        key = context.user_data.get("deadline_event")
        book = await asyncio.to_thread(engine.deadline_events)
        status = book.get(key)
        prefer = "future" if status.event.trigger is Trigger.HEARING else "past"
        day = date_in(update.effective_message.text or "", prefer=prefer)
        if day is None:
            await update.effective_message.reply_text(
                "I could not read a date there. Please send it like 2026-03-03 or March 3, 2026."
            )
            return DATE
        context.user_data["deadline_date"] = day.isoformat()
        if status.event.trigger is Trigger.SERVED:
            rows = [(text, f"{PREFIX}sv:{service.value}") for text, service in SERVICE_BUTTONS]
            await update.effective_message.reply_text(
                "How was it served?", reply_markup=_keyboard(rows)
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
        await send_html(context.bot, chat_id, [escape(deadline_text(found, title))])
        await context.bot.send_document(
            chat_id,
            InputFile(deadline_ics(found, title), filename=f"deadline-{found.due}.ics"),
            caption="Add it to your calendar. Calculated from the rules, not legal advice.",
        )
        log.info("chat=%s kind=deadline event=%s", chat_id, key)

    async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        context.user_data.pop("deadline_event", None)
        context.user_data.pop("deadline_date", None)
        await update.effective_message.reply_text(CANCELLED)
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
