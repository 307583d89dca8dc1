"""Telegram: a chat's questions answered: small talk, a clarifying ask, the engine's answer
or its refusal, a time question's count or what the count still needs."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import replace

from telegram import Update
from telegram.ext import ContextTypes

from bot.answer.followup import is_followup, leans_on_context
from bot.app.engine import Engine
from bot.app.telegram.answer_html import (
    answer_plain,
    counted_answer,
    deadline_message,
    first_message,
)
from bot.app.telegram.buttons import (
    ChatMemory,
    Shown,
    answer_keyboard,
    service_keyboard,
    suggestion_keyboard,
)
from bot.app.telegram.history import History
from bot.app.telegram.html import escape, strip_tags
from bot.app.telegram.language import DATE_LANGUAGES, detect_language
from bot.app.telegram.limits import SlidingWindowLimiter, limit_message
from bot.app.telegram.pacing import typing_after
from bot.app.telegram.replies import log_outcome, send_html
from bot.app.telegram.smalltalk import Talk, small_talk
from bot.app.telegram.strings import LANGUAGES, text
from bot.core.answer_types import Answer, Turn
from bot.core.errors import ProcbotError
from bot.deadlines.recognize import date_in

log = logging.getLogger("bot.app.telegram")

#: Asked once at start-up, never shown or kept: a question that goes through every stage.
WARM_UP_QUESTION = "how many days does my brother have to answer the complaint after service"


class QuestionHandlers:
    """A chat's questions over one engine, history and limiter, and the chat state (language,
    shown answers, a time question waiting for its date) the commands and buttons share."""

    def __init__(
        self,
        engine: Engine,
        history: History,
        limiter: SlidingWindowLimiter,
    ) -> None:
        self.engine = engine
        self.history = history
        self.limiter = limiter
        self.memory = ChatMemory()
        #: Chats whose time question waits for a date: the question it completes.
        self.awaiting_date: dict[int, str] = {}

    # -- language ------------------------------------------------------------------------

    def lang(self, chat_id: int, message: str = "") -> str:
        """The language to answer in: the chat's /language choice, else the message's."""
        chosen, fixed = self.history.language(chat_id)
        if fixed:
            return chosen
        detected = detect_language(message) if message else None
        if detected and detected != chosen:
            self.history.set_language(chat_id, detected, fixed=False)
        return detected or chosen

    # -- questions -----------------------------------------------------------------------

    async def question(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = update.effective_chat.id
        message = update.effective_message.text or ""
        if await self._over_limit(update, context):
            return
        started = time.perf_counter()
        lang = self.lang(chat_id, message)
        pending = self.awaiting_date.pop(chat_id, None)
        day = date_in(message, languages=DATE_LANGUAGES[lang]) if pending is not None else None
        if day is not None:
            # The date a time question lacked: the question, completed, is counted. The deadline
            # stage reads English: a date written in Spanish is handed on as the day it names.
            said = message.strip() if lang == "en" else f"{day:%B} {day.day}, {day.year}"
            await self._complete(context, chat_id, f"{pending} It was on {said}.", lang)
            log_outcome(chat_id, "deadline_date", len(message), "counted", started)
            return
        earlier = self.history.recent(chat_id)
        unclear = not earlier and leans_on_context(message)
        # An unclear follow-up is a question, never small talk by meaning.
        talk = (
            small_talk(message) if unclear else await asyncio.to_thread(self._small_talk, message)
        )
        if talk is not None:
            reply_lang = talk.lang if talk.lang in LANGUAGES and talk.intent != "language" else lang
            await send_html(context.bot, chat_id, [text(f"small_talk.{talk.intent}", reply_lang)])
            log_outcome(chat_id, "small_talk", len(message), talk.intent, started)
            return
        if unclear:
            await send_html(context.bot, chat_id, [text("clarify", lang)])
            log_outcome(chat_id, "question", len(message), "clarify", started)
            return
        await self._answer(context, chat_id, message, lang, earlier, started)

    def _small_talk(self, message: str) -> Talk | None:
        """Small talk by its words, else by meaning against the guides' asks."""
        found = small_talk(message)
        if found is not None:
            return found
        try:
            asks = self.engine.guides.vectors
        except ProcbotError:
            return None  # no index yet: the question path says so
        return small_talk(message, self._vectors, asks)

    def warm_up(self) -> None:
        """Load what the first question needs: the embedder, the guides, small talk's vectors,
        and every stage of an answer (the store, the deadline and request screens), so the
        first person to ask does not wait for them."""
        self._small_talk("hello procbot, nice to meet you")
        self.engine.ask(WARM_UP_QUESTION)

    def _vectors(self, words: Sequence[str]):
        """Vectors of `words` by the engine's embedder (small talk by meaning)."""
        return self.engine.embedder.embed_documents(list(words))

    async def _answer(
        self,
        context: ContextTypes.DEFAULT_TYPE,
        chat_id: int,
        question: str,
        lang: str,
        earlier: Sequence[Turn] | None = None,
        started: float | None = None,
    ) -> None:
        """Ask the engine, reply with the first message and its buttons, keep the turn."""
        started = started if started is not None else time.perf_counter()
        if earlier is None:
            earlier = self.history.recent(chat_id)
        followup = bool(earlier) and is_followup(question)
        try:
            async with typing_after(context.bot, chat_id):  # only if it takes > 1 s
                answer = await asyncio.to_thread(self.engine.ask, question, earlier)
            engine_s = time.perf_counter() - started
        except ProcbotError as error:
            # Domain errors carry a user-safe sentence; their text may quote the question,
            # so only the type is logged.
            await send_html(context.bot, chat_id, [escape(str(error))])
            log_outcome(
                chat_id, "question", len(question), "error", started, error=type(error).__name__
            )
            return
        said = None
        if answer.abstained and (answer.deadline is not None or answer.needs):
            # A time question about an indexed period is answered by its count, or asked what
            # the count needs, though no passage answers it as written (a Spanish question
            # finds few English ones). Screened questions (advice, drafting) are never counted.
            said = await self._count_instead(context, chat_id, answer, lang)
        elif answer.abstained:
            said = await self._refuse(context, chat_id, answer, lang)
        else:
            answer = self.in_language(answer, lang)
            first = first_message(answer, lang)
            shown = Shown(lang, answer=answer, first=first, questions=self._related(answer))
            number = self.memory.keep(chat_id, shown)
            await send_html(context.bot, chat_id, [first], answer_keyboard(shown, number))
            if answer.deadline is None:
                await self._ask_for_needs(context, chat_id, answer.question, answer.needs, lang)
        self.history.add(chat_id, "user", question)
        # A refusal is kept as it was said (in the chat's language), not as the engine's words.
        self.history.add(chat_id, "assistant", said or answer_plain(answer, lang))
        outcome = "abstained" if answer.abstained else "answered"
        log_outcome(
            chat_id, "question", len(question), outcome, started, engine_s, followup=followup
        )

    def in_language(self, answer: Answer, lang: str) -> Answer:
        """A guide's answer in the chat's language: each point and related question in its
        Spanish version (every guide point has one), whatever language the question was in."""
        if lang != "es" or not answer.guide_id:
            return answer
        try:
            by_id = self.engine.guides.by_id
        except ProcbotError:
            return answer
        verified = by_id.get(answer.guide_id)
        if verified is None:
            return answer
        spanish = {p.text: p.text_es for p in verified.guide.points if p.text_es}
        sentences = tuple(replace(s, text=spanish.get(s.text, s.text)) for s in answer.sentences)
        # A related question is one of a guide's asks: its Spanish one is that guide's first.
        asks = {
            ask: v.guide.asks_es[0]
            for v in by_id.values()
            if v.guide.asks_es
            for ask in v.guide.asks
        }
        related = tuple(dict.fromkeys(asks.get(q, q) for q in answer.related))
        return replace(answer, sentences=sentences, related=related)

    def _related(self, answer: Answer) -> tuple[str, ...]:
        """Related questions that ask something else: another wording of the question just
        answered would only answer it again."""
        try:
            verified = self.engine.guides.by_id.get(answer.guide_id or "")
        except ProcbotError:
            verified = None
        own = set(verified.guide.asks + verified.guide.asks_es) if verified else set()
        return tuple(q for q in answer.related if q not in own)

    async def _refuse(
        self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, answer: Answer, lang: str
    ) -> str:
        """One plain sentence why, what procbot can do, and questions it can answer; returns
        what was said, as plain text."""
        reason = answer.abstain_reason or "not_in_sources"
        try:
            why = text(f"refusals.{reason}", lang)
        except KeyError:
            why = text("refusals.not_in_sources", lang)
        suggestions = await asyncio.to_thread(
            self.engine.suggestions, answer.question, lang == "es"
        )
        message = f"{why} {text('can_do', lang)}"
        shown = Shown(lang, answer=None, questions=suggestions)
        number = self.memory.keep(chat_id, shown)
        if suggestions:
            message += "\n" + text("try_asking", lang)
        await send_html(context.bot, chat_id, [message], suggestion_keyboard(shown, number))
        return strip_tags(message)

    async def _complete(
        self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, question: str, lang: str
    ) -> None:
        """A time question with the date or service it lacked: count it, or ask what is left."""
        try:
            deadline, needs = await asyncio.to_thread(self.engine.count_deadline, question)
        except ProcbotError as error:
            await send_html(context.bot, chat_id, [escape(str(error))])
            return
        if deadline is None:
            await self._ask_for_needs(context, chat_id, question, needs, lang)
            return
        answer = counted_answer(question, deadline)
        shown = Shown(lang, answer=answer)
        number = self.memory.keep(chat_id, shown)
        await send_html(
            context.bot,
            chat_id,
            [deadline_message(deadline, lang)],
            answer_keyboard(shown, number),
        )
        self.history.add(chat_id, "assistant", strip_tags(deadline_message(deadline, lang)))

    async def _count_instead(
        self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, answer: Answer, lang: str
    ) -> str:
        """The count of a time question no passage answered, or what it needs; returns what
        was said, as plain text."""
        if answer.deadline is None:
            asked = await self._ask_for_needs(context, chat_id, answer.question, answer.needs, lang)
            return asked or ""
        message = deadline_message(answer.deadline, lang)
        shown = Shown(lang, answer=counted_answer(answer.question, answer.deadline))
        number = self.memory.keep(chat_id, shown)
        await send_html(context.bot, chat_id, [message], answer_keyboard(shown, number))
        return strip_tags(message)

    async def _ask_for_needs(
        self,
        context: ContextTypes.DEFAULT_TYPE,
        chat_id: int,
        question: str,
        needs: Sequence[str],
        lang: str,
    ) -> str | None:
        """A time question that lacks the date or the way of service: ask for it; returns
        what was asked."""
        if not needs:
            return None
        date_needed = "trigger_date" in needs
        if "service" in needs:
            shown = Shown(lang, question=question)
            number = self.memory.keep(chat_id, shown)
            ask = text("ask_both" if date_needed else "ask_service", lang)
            await send_html(context.bot, chat_id, [ask], service_keyboard(lang, number))
            return ask
        if date_needed:
            self.awaiting_date[chat_id] = question
            await send_html(context.bot, chat_id, [text("ask_date", lang)])
            return text("ask_date", lang)
        return None

    async def _over_limit(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
        """True (and the reply sent) when the user has used up this minute's questions."""
        user = update.effective_user
        chat_id = update.effective_chat.id
        exempt = chat_id in self.limiter.exempt
        wait = None if exempt else self.limiter.check(user.id if user else chat_id)
        if wait is None:
            return False
        log.info("chat=%s outcome=rate_limited wait_s=%.0f", chat_id, wait)
        reply = limit_message(wait, self.limiter.per_minute, self.lang(chat_id))
        await send_html(context.bot, chat_id, [reply])
        return True
