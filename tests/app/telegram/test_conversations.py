"""Scripted conversations through the real `procbot serve` and the telegram-test-api emulator.

Each conversation is a family member or a volunteer talking to procbot on a phone, written
for this suite (none is an evaluation question). Every turn says what kind of reply it must
get; the checks are the same for every turn of a kind: the first message of an answer fits
one phone screen and holds the answer, no sentence is printed twice, buttons work and every
press is answered, follow-ups carry the conversation, small talk is never searched, a time
question without its date asks for it, and Spanish gets Spanish interface words.

One emulator and one `procbot serve` for the module, on the session's shared index; the
conversations run side by side, as separate chats.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from emulator import (  # tests/telegram/emulator.py, the harness
    BotProcess,
    Emulator,
    Reply,
    TelegramUser,
    callback_answers,
    check_telegram_html,
    emulator_unavailable,
)

from bot.app.telegram.answer_html import FIRST_MESSAGE_CHARS
from bot.app.telegram.html import strip_tags
from bot.app.telegram.strings import text

pytestmark = pytest.mark.emulator

# Reply kinds a turn expects.
ANSWER = "answer"  # a cited answer: first message on one screen, Exact words button
SMALL_TALK = "small_talk"  # a short friendly reply, no search
CLARIFY = "clarify"  # one clarifying question
REFUSAL = "refusal"  # one plain reason, what procbot can do, 2-3 suggested questions
ASK_SERVICE = "ask_service"  # the answer, then how was it served (buttons)
ASK_DATE = "ask_date"  # what date
DEADLINE = "deadline"  # the counted due date
EXACT_WORDS = "exact_words"  # the quotes with full citations
RULE = "rule"  # a rule's own words with its parts as buttons
RULE_PART = "rule_part"  # one part's text
INFO = "info"  # a command's fixed reply


@dataclass(frozen=True)
class Turn:
    says: str = ""  # what the person types
    taps: str = ""  # or the label of a button under the bot's last message that has buttons
    expect: str = ANSWER
    lang: str = "en"
    has: tuple[str, ...] = ()  # words the reply must hold
    followup: bool = False  # it leans on the earlier turns: the log must say so


@dataclass(frozen=True)
class Conversation:
    name: str
    turns: tuple[Turn, ...]
    needs_rules: bool = False  # needs the corpus's Rules 1-5 (guides anchored in Rule 4-5)


LETTER = "Masterson v. Killen (E.D. Cal. 2014)"
CONVERSATIONS = [
    Conversation(
        "a mother asks about her son's letter to the guards' lawyer",
        (
            Turn("hi", expect=SMALL_TALK),
            Turn(
                "my son is in prison and he wrote a letter to the lawyer for the guards he is "
                "suing. does the judge need a copy of it?",
                has=("No.", LETTER),
            ),
            Turn(taps="Exact words", expect=EXACT_WORDS, has=("1:11-cv-01179",)),
            Turn("what if he already mailed it to the judge?", followup=True, has=(LETTER,)),
            Turn("thank you so much", expect=SMALL_TALK),
        ),
    ),
    Conversation(
        "a sister counts the days to answer interrogatories",
        (
            Turn("hello", expect=SMALL_TALK),
            Turn(
                "How long do I have to answer interrogatories?",
                expect=ASK_SERVICE,
                has=("30 days",),
            ),
            Turn(taps="By mail", expect=ASK_DATE),
            Turn("March 3, 2026", expect=DEADLINE, has=("Monday, April 6, 2026",)),
            Turn(taps="Deadline", expect=INFO, has=("3 days are added", "6(d)")),
            Turn("ok", expect=SMALL_TALK),
        ),
    ),
    Conversation(
        "a volunteer reads Rule 5(d) part by part",
        (
            Turn("/rule 5(d)", expect=RULE, has=("Fed. R. Civ. P. 5(d)",)),
            Turn(taps="(1)", expect=RULE_PART, has=("reasonable time after service",)),
            Turn(taps="Show all", expect=INFO, has=("Acceptance by the Clerk",)),
            Turn("thanks", expect=SMALL_TALK),
        ),
        needs_rules=True,
    ),
    Conversation(
        "a Spanish-speaking mother asks about letters",
        (
            Turn("hola", expect=SMALL_TALK, lang="es"),
            Turn(
                "¿Mi hijo tiene que mandarle al juez una copia de las cartas que le escribe al "
                "abogado de los guardias?",
                lang="es",
                has=("Fuentes:", "Información legal"),
            ),
            Turn(taps="Palabras exactas", expect=EXACT_WORDS, lang="es", has=("en inglés",)),
            Turn("muchas gracias", expect=SMALL_TALK, lang="es"),
        ),
    ),
    Conversation(
        "a wife starts over and asks something unclear",
        (
            Turn("Should I file my settlement offer with the court?", has=("No.",)),
            Turn("/forget", expect=INFO, has=("deleted our chat",)),
            Turn("and if they don't answer?", expect=CLARIFY),
            Turn("Should I send my letters to the defense lawyer to the court too?", has=("No.",)),
            Turn("bye", expect=SMALL_TALK),
        ),
    ),
    Conversation(
        "a father asks procbot to write the complaint",
        (
            Turn("Can you write my complaint for me?", expect=REFUSAL, has=("can't write",)),
            Turn(taps="#0", has=("Sources:",)),  # the first suggested question
            Turn("ok thanks", expect=SMALL_TALK),
            Turn("who are you?", expect=SMALL_TALK, has=("not a lawyer",)),
        ),
    ),
    Conversation(
        "a cousin asks for a prediction, then for help, then about Spanish",
        (
            Turn("Am I going to win my lawsuit?", expect=REFUSAL),
            Turn("do you speak spanish?", expect=SMALL_TALK, has=("Spanish",)),
            Turn("Can I file electronically without a lawyer?", has=("FRCP 5(d)(3)(B)(i)",)),
            Turn("what about his motions?", followup=True),
        ),
        needs_rules=True,
    ),
    Conversation(
        "a clinic volunteer asks about copies of a motion",
        (
            Turn("good morning", expect=SMALL_TALK),
            Turn(
                "We are helping a man in county jail. Does he have to send the defendants a copy "
                "of his motion?",
                has=("Yes.", "FRCP 5"),
            ),
            Turn("does he need to prove he sent it?", followup=True, has=("FRCP 5",)),
            Turn(taps="Exact words", expect=EXACT_WORDS, has=("Fed. R. Civ. P. 5",)),
            Turn("got it", expect=SMALL_TALK),
        ),
        needs_rules=True,
    ),
    Conversation(
        "a brother asks about the waiver form the guards' lawyer sent",
        (
            Turn("What is a waiver of service?", has=("FRCP 4(d)",)),
            Turn("how long do they have to answer if they sign it?", followup=True),
            Turn(taps="Exact words", expect=EXACT_WORDS, has=("Fed. R. Civ. P. 4(d)",)),
            Turn("thank you", expect=SMALL_TALK),
        ),
        needs_rules=True,
    ),
    Conversation(
        "a grandmother switches procbot to Spanish",
        (
            Turn("/language es", expect=INFO, lang="es", has=("español",)),
            Turn("Should I file my settlement offer with the court?", lang="es", has=("Fuentes:",)),
            Turn("/language auto", expect=INFO),
            Turn("Do I send the judge a copy of my letter to the lawyer?", has=("Sources:",)),
        ),
    ),
    Conversation(
        "a niece taps a related question",
        (
            Turn(
                "Do I send the judge a copy of the letter I wrote to the defendants' lawyer?",
                has=("No.",),
            ),
            Turn(taps="#related", has=("Sources:",)),  # the first related question
            Turn("and what if they already filed it?", followup=True),
            Turn("bye bye", expect=SMALL_TALK),
        ),
    ),
]


@dataclass
class Seen:
    """What one chat saw, for the checks made after every turn."""

    replies: list[Reply] = field(default_factory=list)
    searched: int = 0  # turns that had to reach the engine (answers, refusals)
    followups: int = 0
    small_talk: int = 0
    presses: int = 0


# A sentence for the "never twice" check: long enough not to be a stock word ("No.").
_SENTENCE = re.compile(r"[^.!?\n]{25,}[.!?]")


def sentences_of(replies: list[Reply]) -> list[str]:
    return [" ".join(s.split()) for r in replies for s in _SENTENCE.findall(strip_tags(r.text))]


class Served:
    def __init__(self, emulator: Emulator, bot: BotProcess, full_rules: bool) -> None:
        self.emulator, self.bot, self.full_rules = emulator, bot, full_rules


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, e2e_index) -> Iterator[Served]:
    reason = emulator_unavailable()
    if reason:
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("conversations")
    emulator = Emulator(root / "emulator.log")
    bot = BotProcess(
        emulator,
        e2e_index.data_dir,
        list(e2e_index.knowledge),
        log_name="conversations",
        # Scripted chats type faster than people: the per-user limit is not what is tested.
        PROCBOT_RATE_LIMIT_PER_MINUTE="1000",
    )

    async def ready() -> None:
        async with httpx.AsyncClient() as client:
            user = TelegramUser(emulator, 9999)
            await user.send_text(client, "/help")
            await user.wait_for(client, 1, timeout=240)

    try:
        asyncio.run(ready())  # answered once post_init has loaded the model and the index
    except TimeoutError:
        bot.stop()
        emulator.stop()
        pytest.fail(f"procbot serve never answered; its log:\n{bot.log_text()[-3000:]}")
    yield Served(emulator, bot, e2e_index.full_rules)
    bot.stop()
    emulator.stop()


def replies_expected(turn: Turn) -> int:
    return 2 if turn.expect == ASK_SERVICE else 1


def check_turn(turn: Turn, got: list[Reply], seen: Seen) -> None:
    """The checks every turn of `turn.expect`'s kind gets."""
    where = f"{turn.says or turn.taps!r} -> {[r.text[:200] for r in got]}"
    assert got, where
    for reply in got:
        if reply.parse_mode == "HTML":
            check_telegram_html(reply.text)
            assert reply.link_preview_options == {"is_disabled": True}, where
    first = got[0]
    visible = strip_tags(first.text)
    lang = turn.lang
    for words in turn.has:
        assert words in "\n".join(strip_tags(r.text) for r in got), (words, where)
    if turn.expect == ANSWER:
        assert len(visible) <= FIRST_MESSAGE_CHARS, (len(visible), where)
        assert f"{text('sources', lang)}:" in visible, where  # holds the answer and its sources
        assert visible.rstrip().endswith(text("disclaimer", lang)), where
        assert first.buttons[0][0] == text("buttons.exact_words", lang), where
        assert len(got) == 1, where  # everything else is one tap away
        seen.searched += 1
    elif turn.expect == SMALL_TALK:
        replies = {text(f"small_talk.{k}", lg) for k in SMALL_TALK_KEYS for lg in ("en", "es")}
        assert visible in replies, where
        seen.small_talk += 1
    elif turn.expect == CLARIFY:
        assert visible == strip_tags(text("clarify", lang)), where
        assert not first.buttons
    elif turn.expect == REFUSAL:
        reasons = [strip_tags(text(f"refusals.{r}", lang)) for r in REFUSAL_KEYS]
        assert any(visible.startswith(r) for r in reasons), where
        assert text("can_do", lang) in visible, where
        assert 2 <= len(first.buttons) <= 3, where  # suggested questions, each a button
        assert all(data.startswith("q:") for _, data in first.buttons), where
        seen.searched += 1
    elif turn.expect == ASK_SERVICE:
        assert f"{text('sources', lang)}:" in visible, where  # the answer comes first
        ask = got[-1]
        assert strip_tags(ask.text) in {text("ask_service", lang), text("ask_both", lang)}
        labels = [label for label, _ in ask.buttons]
        assert labels == [text(f"buttons.{b}", lang) for b in ("by_mail", "by_hand", "e_filed")]
        seen.searched += 1
    elif turn.expect == ASK_DATE:
        assert visible == text("ask_date", lang), where
    elif turn.expect == DEADLINE:
        assert visible.startswith(f"{text('due', lang)}:"), where
        assert [label for label, _ in first.buttons] == [text("buttons.deadline", lang)]
    elif turn.expect == EXACT_WORDS:
        assert visible.startswith(strip_tags(text("exact_words_head", lang))), where
    elif turn.expect == RULE:
        assert len(got) <= 2, where  # never more than two messages unless asked
        labels = [label for label, _ in got[-1].buttons]
        assert labels[0] == "(1)" and labels[-1] == text("buttons.show_all", lang), where
    if turn.followup:
        seen.followups += 1


SMALL_TALK_KEYS = ("greeting", "thanks", "ack", "bye", "language", "who")
REFUSAL_KEYS = ("out_of_scope", "advice", "drafting", "injection", "not_in_sources")


def pick_button(turn: Turn, with_buttons: Reply) -> str:
    if turn.taps == "#0":
        return with_buttons.buttons[0][1]
    if turn.taps == "#related":
        return next(data for _, data in with_buttons.buttons if data.startswith("r:"))
    return with_buttons.button(turn.taps)


async def talk(served: Served, user_id: int, conversation: Conversation) -> Seen:
    seen = Seen()
    async with httpx.AsyncClient(timeout=30) as client:
        user = TelegramUser(served.emulator, user_id)
        for turn in conversation.turns:
            if turn.taps:
                with_buttons = next(r for r in reversed(seen.replies) if r.buttons)
                before = len(await callback_answers(client, served.emulator.url))
                await user.press(client, with_buttons, pick_button(turn, with_buttons))
                seen.presses += 1
            else:
                await user.send_text(client, turn.says)
            got = await user.wait_for(client, replies_expected(turn), timeout=120, settle=0.5)
            if turn.taps:
                # The press itself was answered (the button's spinner stops).
                assert len(await callback_answers(client, served.emulator.url)) > before
            check_turn(turn, got, seen)
            # No sentence is printed twice in what one turn gets back.
            said = sentences_of(got)
            assert len(said) == len(set(said)), (conversation.name, turn, said)
            seen.replies += got
    return seen


def test_conversations(served: Served) -> None:
    chosen = [c for c in CONVERSATIONS if served.full_rules or not c.needs_rules]
    if len(chosen) < len(CONVERSATIONS):
        pytest.skip("needs the corpus's FRCP Rules 1-5 for every conversation")

    async def everyone() -> list[Seen]:
        return await asyncio.gather(*(talk(served, 7000 + n, c) for n, c in enumerate(chosen)))

    results = asyncio.run(everyone())
    log = served.bot.log_text()
    for n, (conversation, seen) in enumerate(zip(chosen, results, strict=True)):
        chat = 7000 + n
        lines = [line for line in log.splitlines() if f"chat={chat} " in line]
        # Small talk and unclear messages never reach a search; answers and refusals do.
        searched = [line for line in lines if "kind=question" in line and "clarify" not in line]
        assert len(searched) == seen.searched, (conversation.name, searched)
        assert sum("kind=small_talk" in line for line in lines) == seen.small_talk
        # Each follow-up was recognised as one, so the earlier turns went into its search.
        assert sum("followup=1" in line for line in lines) >= seen.followups, conversation.name
    assert sum(len(c.turns) for c in chosen) >= 40
    assert len(chosen) >= 10 and all(4 <= len(c.turns) <= 8 for c in chosen)


def test_conversation_names_are_unique() -> None:
    names = [c.name for c in CONVERSATIONS]
    assert len(set(names)) == len(names)
