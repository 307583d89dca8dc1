"""End to end: the real `procbot serve` process polling the telegram-test-api emulator."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from emulator import (  # tests/telegram/emulator.py, the harness
    TOKEN,
    BotProcess,
    Emulator,
    Reply,
    TelegramUser,
    callback_answers,
    check_telegram_html,
    emulator_unavailable,
    sent_documents,
)

from bot.app.telegram.handlers import NOT_TEXT
from bot.app.telegram.html import strip_tags

pytestmark = pytest.mark.emulator

LETTER_QUESTION = "Should I file my letter to defense counsel with the court?"


class Served:
    def __init__(self, emulator: Emulator, bot: BotProcess, full_rules: bool) -> None:
        self.emulator, self.bot, self.full_rules = emulator, bot, full_rules

    def user(self, user_id: int) -> TelegramUser:
        return TelegramUser(self.emulator, user_id)


async def ask_once(
    emulator: Emulator, user_id: int, text: str, count: int = 1, timeout: float = 60
) -> list[Reply]:
    async with httpx.AsyncClient() as client:
        user = TelegramUser(emulator, user_id)
        await user.send_text(client, text)
        return await user.wait_for(client, count, timeout=timeout)


async def ask(served: Served, user_id: int, text: str, count: int = 1) -> list[Reply]:
    return await ask_once(served.emulator, user_id, text, count)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, e2e_index) -> Iterator[Served]:
    reason = emulator_unavailable()
    if reason:
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("e2e")
    emulator = Emulator(root / "emulator.log")
    bot = BotProcess(emulator, e2e_index.data_dir, list(e2e_index.knowledge), log_name="e2e")
    try:
        # Ready when it answers: the model and the index load before polling starts.
        asyncio.run(ask_once(emulator, 999, "/help", timeout=180))
    except TimeoutError:
        bot.stop()
        emulator.stop()
        pytest.fail(f"procbot serve never answered; its log:\n{bot.log_text()[-3000:]}")
    yield Served(emulator, bot, e2e_index.full_rules)
    bot.stop()
    emulator.stop()


async def test_cited_answer_to_the_letter_question(served: Served) -> None:
    replies = await ask(served, 101, LETTER_QUESTION)
    assert all(reply.parse_mode == "HTML" for reply in replies)
    text = "\n".join(reply.text for reply in replies)
    assert text.startswith("<b>No.</b>")
    assert "Masterson v. Killen (E.D. Cal. 2014)" in text
    assert "[1]" in text
    for reply in replies:
        check_telegram_html(reply.text)
        # Sent with link previews off, echoed by the emulator as Telegram would carry it.
        assert reply.link_preview_options == {"is_disabled": True}
    assert replies[0].buttons[0][0] == "Exact words"


async def test_rule_5_d(served: Served) -> None:
    async with httpx.AsyncClient() as client:
        user = served.user(102)
        await user.send_text(client, "/rule 5(d)")
        replies = await user.wait_for(client, 1)
        if replies[-1].buttons:  # longer than two screens: its parts are buttons
            await user.press(client, replies[-1], replies[-1].button("(1)"))
            replies += await user.wait_for(client, 1)
    text = "\n".join(reply.text for reply in replies)
    assert "Fed. R. Civ. P. 5(d)" in text
    assert "must be filed no later than a reasonable time after service" in text


async def test_abstention(served: Served) -> None:
    replies = await ask(served, 103, "Can you write my complaint for me?")
    assert len(replies) == 1
    assert replies[0].text.startswith("I can't write court papers for you.")
    assert "Sources" not in replies[0].text


async def test_a_long_rule_is_one_message_with_its_parts_as_buttons(served: Served) -> None:
    if not served.full_rules:
        pytest.skip("needs the corpus's FRCP for a rule longer than 4096 characters")
    async with httpx.AsyncClient() as client:
        user = served.user(104)
        await user.send_text(client, "/rule 5")
        replies = await user.wait_for(client, 1)
        assert len(replies) <= 2  # never more than two messages unless asked
        labels = [label for label, _ in replies[-1].buttons]
        assert labels[:2] == ["(a)", "(b)"] and labels[-1] == "Show all"
        await user.press(client, replies[-1], replies[-1].button("Show all"))
        everything = await user.wait_for(client, 2)
        answers = await callback_answers(client, served.emulator.url)
    assert len(everything) >= 2  # asked for: the whole rule, split into valid parts
    for reply in everything:
        assert reply.parse_mode == "HTML"
        check_telegram_html(reply.text)
    text = "\n".join(reply.text for reply in everything)
    assert "Fed. R. Civ. P. 5 " in text
    assert "must be made on the attorney" in text  # Rule 5(b)(1), well into the text
    assert answers  # the press was answered (the spinner on the button stops)


async def test_sticker_gets_the_text_only_reply(served: Served) -> None:
    async with httpx.AsyncClient() as client:
        user = served.user(105)
        await user.send_sticker(client)
        replies = await user.wait_for(client, 1, timeout=30)
    assert [reply.text for reply in replies] == [NOT_TEXT]


async def test_transcript_holds_the_chat_and_forget_deletes_it(served: Served) -> None:
    question = "my nephew wrote a letter to the guards' lawyer, does the court need it too?"
    async with httpx.AsyncClient() as client:
        user = served.user(106)
        await user.send_text(client, question)
        answer = await user.wait_for(client, 1)
        await user.send_text(client, "/transcript")
        [delivered] = [r for r in await user.wait_for(client, 1) if r.document]
        [first] = await sent_documents(client, served.emulator.url, 106)
        await user.send_text(client, "/forget")
        await user.wait_for(client, 1)
        await user.send_text(client, "/transcript")
        after = await user.wait_for(client, 1)
        documents = await sent_documents(client, served.emulator.url, 106)
    # The file arrives as a document with its caption, named for what it is.
    assert delivered.text == first["caption"] and "forward" in first["caption"]
    assert first["file_name"] == "procbot-transcript.txt"
    transcript = first["content"].decode("utf-8")
    assert f"You:\n{question}" in transcript
    said = strip_tags(answer[0].text).split("\n")[0]  # the answer's first line, as sent
    assert said.split(" [")[0][:40] in transcript.replace("\n", " ")
    assert "Masterson v. Killen" in transcript
    # After /forget there is nothing to send: no new file, the empty reply instead.
    assert len(documents) == 1
    assert [r.document for r in after] == [False]
    assert "nothing to put in a transcript" in after[0].text


async def test_log_has_outcomes_but_no_text_or_token(served: Served) -> None:
    log = served.bot.log_text()
    assert "outcome=answered" in log
    assert "defense counsel" not in log
    assert "write my complaint" not in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
