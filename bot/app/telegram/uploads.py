"""Telegram: an order sent as a PDF or as photos (albums too) is read, summarized, kept for
follow-up questions in memory only, and deleted by /forget or when it expires."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from bot.core.errors import ProcbotError
from bot.reader.followup import from_order
from bot.reader.limits import MAX_BYTES, MAX_PHOTOS, MB, ReadError
from bot.reader.read import ReadOrder, Upload, read_files
from bot.reader.store import UploadStore
from bot.reader.summary import DISCLAIMER, heading, summary_lines

if TYPE_CHECKING:
    from bot.core.settings import Settings

log = logging.getLogger("bot.app.telegram")

#: Seconds to wait after an album's last photo before reading it: Telegram sends each photo
#: of an album as its own update, a moment apart.
ALBUM_SETTLE_S = 1.5
FORGOT_UPLOAD = "I also deleted the order you sent me."
FROM_ORDER = "<b>From your order</b>"
FROM_SOURCES = "<b>From my sources</b> (other courts' orders and the rules, not your case)"
NO_ORDER_MATCH = "Your order does not say anything about that, as far as I can find."


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def summary_html(order: ReadOrder) -> str:
    """The summary as Telegram HTML: a heading, the sections, the disclaimer."""
    parts = [f"<b>{_escape(heading(order))}</b>"]
    for title, points in summary_lines(order):
        parts.append(f"\n<b>{_escape(title)}</b>")
        parts.extend(f"• {_escape(p)}" for p in points)
    parts.append(
        "\nAsk me about this order in your own words; /forget deletes it."
        f"\n\n<i>{_escape(DISCLAIMER)}</i>"
    )
    return "\n".join(parts)


@dataclass
class _Album:
    messages: list[Message] = field(default_factory=list)
    timer: asyncio.Task | None = None


class UploadHandlers:
    """Documents and photos in, a summary out; follow-ups about the order; /forget."""

    def __init__(self, store: UploadStore, engine=None) -> None:
        self.store = store
        self.engine = engine
        self._albums: dict[tuple[int, str], _Album] = {}

    async def document(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        size = message.document.file_size or 0
        if size > MAX_BYTES:
            # Refused before downloading: nothing of it is ever held.
            await self._reply(
                context, message.chat_id,
                f"That file is {size / MB:.0f} MB; I read files up to {MAX_BYTES // MB} MB. "
                "Send a smaller PDF, or photos of the pages.",
            )  # fmt: skip
            log.info("chat=%s kind=upload outcome=too_large", message.chat_id)
            return
        await self._read(context, message.chat_id, [message])

    async def photo(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if not message.media_group_id:
            await self._read(context, message.chat_id, [message])
            return
        key = (message.chat_id, message.media_group_id)
        album = self._albums.setdefault(key, _Album())
        album.messages.append(message)
        if album.timer is not None:
            album.timer.cancel()
        album.timer = asyncio.create_task(self._read_album_later(context, key))

    async def _read_album_later(self, context, key: tuple[int, str]) -> None:
        await asyncio.sleep(ALBUM_SETTLE_S)
        album = self._albums.pop(key, None)
        if album is None:
            return
        pages = sorted(album.messages, key=lambda m: m.message_id)
        await self._read(context, key[0], pages)

    async def _read(self, context, chat_id: int, messages: list[Message]) -> None:
        started = time.perf_counter()
        if len(messages) > MAX_PHOTOS:
            await self._reply(context, chat_id, f"I read up to {MAX_PHOTOS} photos at a time.")
            return
        loop = asyncio.get_running_loop()

        def progress(text: str) -> None:
            # Called from the reading thread: hand the message to the event loop.
            asyncio.run_coroutine_threadsafe(self._reply(context, chat_id, _escape(text)), loop)

        try:
            uploads = [await self._download(context, m) for m in messages]
            order = await asyncio.to_thread(read_files, uploads, progress)
        except ReadError as error:
            await self._reply(context, chat_id, _escape(str(error)))
            log.info("chat=%s kind=upload files=%d outcome=refused", chat_id, len(messages))
            return
        except TelegramError as error:
            await self._reply(
                context, chat_id, "I could not download that file. Please send it again."
            )
            log.warning("chat=%s kind=upload download failed: %s", chat_id, type(error).__name__)
            return
        finally:
            uploads = None  # the bytes go as soon as they are read
        self.store.put(chat_id, order)
        await self._reply(context, chat_id, summary_html(order))
        log.info(
            "chat=%s kind=upload files=%d pages=%d source=%s outcome=read ms=%.0f",
            chat_id, len(messages), order.pages, order.source.replace(" ", "_"),
            (time.perf_counter() - started) * 1000,
        )  # fmt: skip

    async def _download(self, context, message: Message) -> Upload:
        if message.document is not None:
            handle, name = message.document, message.document.file_name or "the file"
        else:
            handle, name = message.photo[-1], "the photo"  # the largest size Telegram made
        file = await context.bot.get_file(handle.file_id)
        return Upload(name, bytes(await file.download_as_bytearray()))

    async def follow_up(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A question while an order is kept: the order's own words first, then the sources."""
        message = update.effective_message
        order = self.store.get(message.chat_id)
        question = message.text or ""
        found = from_order(order, question)
        parts = [FROM_ORDER]
        if found:
            parts.extend(
                f"• “{_escape(s.text)}”" + (f" (your order at {s.pinpoint})" if s.pinpoint else "")
                for s in found
            )
        else:
            parts.append(NO_ORDER_MATCH)
        await self._reply(context, message.chat_id, "\n".join(parts))
        if self.engine is None:
            return
        try:
            answer = await asyncio.to_thread(self.engine.ask, question)
        except ProcbotError as error:
            await self._reply(context, message.chat_id, _escape(str(error)))
            return
        from bot.app.telegram.html import answer_messages

        replies = answer_messages(answer)
        if replies:
            replies[0] = f"{FROM_SOURCES}\n\n{replies[0]}"
        for reply in replies:
            await self._reply(context, message.chat_id, reply)
        log.info(
            "chat=%s kind=upload_question chars=%d outcome=answered", message.chat_id, len(question)
        )

    async def forget(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = update.effective_chat.id
        for key in [k for k in self._albums if k[0] == chat_id]:
            album = self._albums.pop(key)
            if album.timer is not None:
                album.timer.cancel()
        if self.store.forget(chat_id):
            await self._reply(context, chat_id, FORGOT_UPLOAD)
            log.info("chat=%s kind=forget_upload deleted=1", chat_id)

    async def _reply(self, context, chat_id: int, html: str) -> None:
        from bot.app.telegram.handlers import send_html

        await send_html(context.bot, chat_id, [html])


class _HasUpload(filters.MessageFilter):
    """Messages from a chat that has an order kept."""

    def __init__(self, store: UploadStore) -> None:
        super().__init__(name="has_upload")
        self.store = store

    def filter(self, message: Message) -> bool:
        return self.store.get(message.chat_id) is not None


def register_uploads(application: Application, settings: Settings, engine=None) -> UploadHandlers:
    """Add the upload handlers; call before the handler that declines non-text messages."""
    store = UploadStore(settings.upload_retention_hours)
    uploads = UploadHandlers(store, engine)
    new = filters.UpdateType.MESSAGE
    application.add_handler(MessageHandler(new & filters.Document.ALL, uploads.document))
    application.add_handler(MessageHandler(new & filters.PHOTO, uploads.photo))
    application.add_handler(
        MessageHandler(new & filters.TEXT & ~filters.COMMAND & _HasUpload(store), uploads.follow_up)
    )
    # Group 1: runs after the conversation's own /forget (group 0), to delete the order too.
    application.add_handler(CommandHandler("forget", uploads.forget), group=1)
    application.bot_data["uploads"] = uploads
    return uploads
