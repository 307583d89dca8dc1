"""Telegram: an order sent as a PDF or as photos (albums too) is read, summarized, kept for
follow-up questions in memory only, and deleted by /forget or when it expires."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from bot.app.telegram.deadline_words import spanish_day
from bot.app.telegram.html import escape
from bot.app.telegram.strings import patterns, table, text
from bot.core.errors import ProcbotError
from bot.reader.followup import from_order
from bot.reader.limits import MAX_BYTES, MAX_PHOTOS, MB, ReadError
from bot.reader.read import ReadOrder, Upload, read_files
from bot.reader.store import UploadStore
from bot.reader.summary import ENGLISH, Words, heading, summary_lines

if TYPE_CHECKING:
    from bot.core.answer_types import Answer
    from bot.core.settings import Settings

log = logging.getLogger("bot.app.telegram")

#: Seconds to wait after an album's last photo before reading it: Telegram sends each photo
#: of an album as its own update, a moment apart.
ALBUM_SETTLE_S = 1.5


def reader_words(sentence: str, lang: str) -> str:
    """A sentence of the reader's own (a refusal, a progress line, a note) in `lang`; one with
    no Spanish pattern in strings.yaml (reader_es) stays as written."""
    if lang == "en":
        return sentence
    said = _reader_spanish(sentence) or sentence
    return said[:1].upper() + said[1:] if sentence[:1].isupper() else said


def _reader_spanish(sentence: str) -> str | None:
    """`sentence` by the first reader_es pattern it fits whole, a field named `..._es` said
    by a pattern too; None when none says it."""
    for pattern, spanish in patterns("reader_es"):
        found = pattern.fullmatch(sentence)
        if found is None:
            continue
        fields = {
            name: _reader_spanish(value) if name.endswith("_es") else value
            for name, value in found.groupdict().items()
        }
        if None not in fields.values():
            return spanish.format(**fields)
    return None


def _decided_spanish(outcome: str, what: str) -> str:
    """'denied', 'the motion' -> 'Se deniega: the motion' (strings.yaml, summary_es); an
    outcome it has no Spanish for is quoted as the order wrote it."""
    words = table("summary_es", "es")
    if outcome.startswith("recommended: "):
        how = outcome.split(": ", 1)[1]
        if how in words["recommended"]:
            return words["recommends"].format(how=words["recommended"][how], what=what)
        return words["recommends_as_written"].format(how=how, what=what)
    if outcome in words["outcomes"]:
        return words["decided"].format(outcome=words["outcomes"][outcome], what=what)
    return words["decided_as_written"].format(outcome=outcome, what=what)


def summary_words(lang: str) -> Words:
    """How a summary says procbot's own words in `lang` (the order's words stay as written)."""
    if lang == "en":
        return Words({key: text(f"order_summary.{key}") for key in ENGLISH})
    return Words(
        {key: text(f"order_summary.{key}", lang) for key in ENGLISH},
        day=lambda iso: spanish_day(date.fromisoformat(iso)),
        sentence=lambda sentence: reader_words(sentence, lang),
        decided=_decided_spanish,
    )


def summary_html(order: ReadOrder, lang: str = "en") -> str:
    """The summary as Telegram HTML: a heading, the sections, the disclaimer.

    In Spanish the order's quoted words stay English, with the line that says so.
    """
    say = summary_words(lang)
    parts = [f"<b>{escape(heading(order, say))}</b>"]
    if lang != "en":
        parts.append(f"<i>{text('english_words', lang)}</i>")
    for title, points in summary_lines(order, say):
        parts.append(f"\n<b>{escape(title)}</b>")
        parts.extend(f"• {escape(p)}" for p in points)
    parts.append(f"\n{text('upload.ask_about', lang)}\n\n<i>{escape(say('disclaimer'))}</i>")
    return "\n".join(parts)


@dataclass
class _Album:
    messages: list[Message] = field(default_factory=list)
    timer: asyncio.Task | None = None


class UploadHandlers:
    """Documents and photos in, a summary out; follow-ups about the order; /forget."""

    def __init__(
        self,
        store: UploadStore,
        engine=None,
        lang_of: Callable[[int, str], str] | None = None,
        localize: Callable[[Answer, str], Answer] | None = None,
    ) -> None:
        self.store = store
        self.engine = engine
        #: The chat's language from its id and the message's words (QuestionHandlers.lang).
        self.lang_of = lang_of or (lambda _chat_id, _message="": "en")
        #: An answer in a language: a guide's points in it (QuestionHandlers.in_language).
        self.localize = localize or (lambda answer, _lang: answer)
        self._albums: dict[tuple[int, str], _Album] = {}
        #: The language each kept order was last spoken about in: /forget's own handler
        #: (group 0) has deleted the chat's language by the time this one's runs.
        self._langs: dict[int, str] = {}

    async def document(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        size = message.document.file_size or 0
        if size > MAX_BYTES:
            # Refused before downloading: nothing of it is ever held.
            lang = self.lang_of(message.chat_id, message.caption or "")
            await self._reply(
                context, message.chat_id,
                text("upload.too_large", lang, size=f"{size / MB:.0f}", limit=MAX_BYTES // MB),
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
        lang = self.lang_of(chat_id, " ".join(m.caption for m in messages if m.caption))
        if len(messages) > MAX_PHOTOS:
            await self._reply(context, chat_id, text("upload.photo_limit", lang, max=MAX_PHOTOS))
            return
        loop = asyncio.get_running_loop()

        def progress(line: str) -> None:
            # Called from the reading thread: hand the message to the event loop.
            said = escape(reader_words(line, lang))
            asyncio.run_coroutine_threadsafe(self._reply(context, chat_id, said), loop)

        try:
            uploads = [await self._download(context, m, lang) for m in messages]
            order = await asyncio.to_thread(read_files, uploads, progress)
        except ReadError as error:
            await self._reply(context, chat_id, escape(reader_words(str(error), lang)))
            log.info("chat=%s kind=upload files=%d outcome=refused", chat_id, len(messages))
            return
        except TelegramError as error:
            await self._reply(context, chat_id, text("upload.download_failed", lang))
            log.warning("chat=%s kind=upload download failed: %s", chat_id, type(error).__name__)
            return
        finally:
            uploads = None  # the bytes go as soon as they are read
        self.store.put(chat_id, order)
        self._langs[chat_id] = lang
        await self._reply(context, chat_id, summary_html(order, lang))
        log.info(
            "chat=%s kind=upload files=%d pages=%d source=%s outcome=read ms=%.0f",
            chat_id, len(messages), order.pages, order.source.replace(" ", "_"),
            (time.perf_counter() - started) * 1000,
        )  # fmt: skip

    async def _download(self, context, message: Message, lang: str = "en") -> Upload:
        if message.document is not None:
            handle = message.document
            name = message.document.file_name or text("upload.the_file", lang)
        else:
            # The largest size Telegram made.
            handle, name = message.photo[-1], text("upload.the_photo", lang)
        file = await context.bot.get_file(handle.file_id)
        return Upload(name, bytes(await file.download_as_bytearray()))

    async def follow_up(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A question while an order is kept: the order's own words first, then the sources."""
        message = update.effective_message
        order = self.store.get(message.chat_id)
        question = message.text or ""
        lang = self._langs[message.chat_id] = self.lang_of(message.chat_id, question)
        found = from_order(order, question)
        parts = [text("upload.from_order", lang)]
        if found:
            if lang != "en":
                parts.append(f"<i>{text('english_words', lang)}</i>")
            for s in found:
                where = text("upload.your_order_at", lang, pinpoint=s.pinpoint)
                parts.append(f"• “{escape(s.text)}”" + (f" ({where})" if s.pinpoint else ""))
        else:
            parts.append(text("upload.no_order_match", lang))
        await self._reply(context, message.chat_id, "\n".join(parts))
        if self.engine is None:
            return
        try:
            answer = await asyncio.to_thread(self.engine.ask, question)
        except ProcbotError as error:
            await self._reply(context, message.chat_id, escape(str(error)))
            return
        from bot.app.telegram.answer_html import answer_messages

        replies = answer_messages(self.localize(answer, lang), lang)
        if replies:
            replies[0] = f"{text('upload.from_sources', lang)}\n\n{replies[0]}"
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
        lang = self._langs.pop(chat_id, "en")
        if self.store.forget(chat_id):
            await self._reply(context, chat_id, text("upload.forgot", lang))
            log.info("chat=%s kind=forget_upload deleted=1", chat_id)

    async def _reply(self, context, chat_id: int, html: str) -> None:
        from bot.app.telegram.replies import send_html

        await send_html(context.bot, chat_id, [html])


class _HasUpload(filters.MessageFilter):
    """Messages from a chat that has an order kept."""

    def __init__(self, store: UploadStore) -> None:
        super().__init__(name="has_upload")
        self.store = store

    def filter(self, message: Message) -> bool:
        return self.store.get(message.chat_id) is not None


def register_uploads(
    application: Application,
    settings: Settings,
    engine=None,
    lang_of: Callable[[int, str], str] | None = None,
    localize: Callable[[Answer, str], Answer] | None = None,
) -> UploadHandlers:
    """Add the upload handlers; call before the handler that declines non-text messages.

    `lang_of(chat_id, message)` is the language the chat is answered in; `localize(answer,
    lang)` says a guide's answer in it.
    """
    store = UploadStore(settings.upload_retention_hours)
    uploads = UploadHandlers(store, engine, lang_of, localize)
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
