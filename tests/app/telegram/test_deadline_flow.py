"""/deadline over the real Application and Engine: buttons, the date, the count, the .ics file."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from recorder import RecordingRequest  # tests/telegram/recorder.py
from telegram import Update

from bot.app.engine import Engine
from bot.app.telegram.app import build_application
from bot.core.settings import Settings

TOKEN = "123456:TEST-deadline-token"

# Fed. R. Civ. P. 1 and 33(a)-(b)(2), verbatim from ../shared/corpus/rules/frcp-2022-12-01.md
# (lines 2338-2352 for Rule 33), so the interrogatories event has its indexed period.
FRCP_33_EXCERPT = """---
type: "rules"
court: "U.S. district courts"
title: "Federal Rules of Civil Procedure"
citation_prefix: "Fed. R. Civ. P."
as_amended_to: "2022-12-01"
source_url: "https://www.uscourts.gov/rules-policies/current-rules-practice-procedure/federal-rules-civil-procedure"
---
# Rule 1. Scope and Purpose

These rules govern the procedure in all civil actions and pro- ceedings in the United States district courts, except as stated in Rule 81.

# Rule 33. Interrogatories to Parties

# (a) IN GENERAL.

(1) Number. Unless otherwise stipulated or ordered by the court, a party may serve on any other party no more than 25 written interrogatories, including all discrete subparts. Leave to serve additional interrogatories may be granted to the ex- tent consistent with Rule 26(b)(1) and (2).

# (b) ANSWERS AND OBJECTIONS.

(1) Responding Party. The interrogatories must be answered:

(A) by the party to whom they are directed; or (B) if that party is a public or private corporation, a partnership, an association, or a governmental agency, by any officer or agent, who must furnish the information available to the party.

(2) Time to Respond. The responding party must serve its an- swers and any objections within 30 days after being served with the interrogatories. A shorter or longer time may be stip- ulated to under Rule 29 or be ordered by the court.
"""  # noqa: E501


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, embedder) -> Engine:
    folder = tmp_path_factory.mktemp("rule33")
    (folder / "frcp-33-excerpt.md").write_text(FRCP_33_EXCERPT, encoding="utf-8")
    data = tmp_path_factory.mktemp("deadline-bot")
    engine = Engine(Settings(_env_file=None, data_dir=data, knowledge=[folder]), embedder=embedder)
    engine.index()
    return engine


class Chat:
    def __init__(self, application, request: RecordingRequest) -> None:
        self.application, self.request, self.n = application, request, 0

    def _base(self) -> dict:
        self.n += 1
        return {"message_id": self.n, "date": int(time.time()),
                "chat": {"id": 7, "type": "private", "first_name": "Pat"},
                "from": {"id": 7, "is_bot": False, "first_name": "Pat"}}  # fmt: skip

    async def say(self, text: str) -> None:
        message = {**self._base(), "text": text}
        if text.startswith("/"):
            command = text.split()[0]  # "/language es": the command is "/language"
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        await self.application.process_update(
            Update.de_json({"update_id": self.n, "message": message}, self.application.bot)
        )

    async def press(self, data: str) -> None:
        query = {"id": f"q{self.n}", "from": self._base()["from"], "chat_instance": "c",
                 "data": data, "message": {**self._base(), "text": "buttons"}}  # fmt: skip
        await self.application.process_update(
            Update.de_json({"update_id": self.n, "callback_query": query}, self.application.bot)
        )

    def buttons(self) -> list[str]:
        markup = self.request.sent(7)[-1].get("reply_markup") or {}
        if isinstance(markup, str):
            import json

            markup = json.loads(markup)
        return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


@pytest.fixture
async def chat(engine: Engine, tmp_path: Path) -> AsyncIterator[Chat]:
    settings = Settings(_env_file=None, data_dir=tmp_path / "bot", telegram_bot_token=TOKEN)
    request = RecordingRequest()
    application = build_application(settings, engine, request=request)
    await application.initialize()
    yield Chat(application, request)
    await application.shutdown()


async def test_deadline_flow_counts_and_attaches_a_calendar_file(chat: Chat) -> None:
    await chat.say("/deadline")
    assert chat.buttons() == ["dl:ev:interrogatories"]  # the only event whose text is indexed
    await chat.press("dl:ev:interrogatories")
    assert "On what date was it served?" in chat.request.sent(7)[-1]["text"]
    await chat.say("March 3, 2026")
    assert chat.buttons() == ["dl:sv:mail", "dl:sv:personal", "dl:sv:electronic", "dl:sv:clerk"]
    await chat.press("dl:sv:mail")
    text = chat.request.texts(7)
    # Tue 2026-03-03 + 30 = Thu 04-02; + 3 for mail = Sun 04-05 -> Mon 04-06.
    assert "Due: Monday, April 6, 2026" in text
    assert "Calculated from the rules, not legal advice." in text
    assert "Fed. R. Civ. P. 6(d)" in text and "Holidays counted" in text
    [document] = chat.request.documents
    assert document["caption"].startswith("Add it to your calendar")


async def test_an_unreadable_date_is_asked_again(chat: Chat) -> None:
    await chat.say("/deadline")
    await chat.press("dl:ev:interrogatories")
    await chat.say("sometime soon")
    assert "could not read a date" in chat.request.sent(7)[-1]["text"]
    await chat.say("/cancel")
    assert "Stopped" in chat.request.sent(7)[-1]["text"]


async def test_a_time_question_in_chat_gets_the_date_first(chat: Chat) -> None:
    await chat.say(
        "I was served interrogatories by mail on March 3, 2026. When are my answers due?"
    )
    first = chat.request.sent(7)[0]["text"]
    # Tue 2026-03-03 + 30 = Thu 04-02; + 3 = Sun 04-05 -> Mon 04-06.
    assert first.startswith("<b>Due: Monday, April 6, 2026</b>")


async def test_a_time_question_without_a_date_is_asked_for_it(chat: Chat) -> None:
    await chat.say("How long do I have to answer interrogatories?")
    ask = chat.request.sent(7)[-1]
    assert ask["text"].startswith("To count the days, I need the date")
    labels = [row[0]["text"] for row in ask["reply_markup"]["inline_keyboard"]]
    assert labels == ["By mail", "Handed to him", "E-filed"]


async def test_a_spanish_time_question_without_a_date_is_asked_for_it_in_spanish(
    chat: Chat,
) -> None:
    await chat.say("¿Cuánto tiempo tengo para contestar unos interrogatorios?")
    ask = chat.request.sent(7)[-1]
    assert ask["text"].startswith("Para contar los días, necesito la fecha"), ask["text"]
    labels = [row[0]["text"] for row in ask["reply_markup"]["inline_keyboard"]]
    assert labels == ["Por correo", "Se lo entregaron en mano", "Por vía electrónica"]
    # No indexed passage answers it in Spanish, but its period is indexed: no refusal first.
    assert len(chat.request.sent(7)) == 1


async def test_a_spanish_chat_counts_in_spanish(chat: Chat) -> None:
    await chat.say("/language es")
    await chat.say("/deadline")
    pick = chat.request.sent(7)[-1]
    assert pick["text"] == "¿Qué plazo? Elija uno:"
    labels = [row[0]["text"] for row in pick["reply_markup"]["inline_keyboard"]]
    assert labels == ["Contestar interrogatorios (preguntas por escrito)"]
    await chat.press("dl:ev:interrogatories")
    ask = chat.request.sent(7)[-1]["text"]
    assert "¿En qué fecha se lo entregaron?" in ask and "/cancel para parar" in ask
    await chat.say("algún día")
    assert chat.request.sent(7)[-1]["text"].startswith("No pude leer una fecha")
    await chat.say("3 de marzo de 2026")  # a date written in Spanish
    served = chat.request.sent(7)[-1]
    assert served["text"] == "¿Cómo se lo entregaron?"
    labels = [row[0]["text"] for row in served["reply_markup"]["inline_keyboard"]]
    assert labels == [
        "Por correo",
        "Se lo entregaron en mano",
        "Por vía electrónica",
        "Se dejó con el secretario",
    ]
    await chat.press("dl:sv:mail")
    count = chat.request.sent(7)[-1]["text"]
    # Tue 2026-03-03 + 30 = Thu 04-02; + 3 for mail = Sun 04-05 -> Mon 04-06.
    assert count.startswith("Vence: lunes, 6 de abril de 2026"), count
    assert "Cómo se contó:" in count and "Tenga en cuenta:" in count
    assert "Se agregan 3 días porque se entregó por correo" in count
    assert "How it was counted" not in count and "Keep in mind" not in count
    # The rule's own words stay English, with the line that says so.
    assert "Las palabras del tribunal van en inglés" in count
    assert '"within 30 days after being served with the interrogatories"' in count
    [document] = chat.request.documents
    assert document["caption"].startswith("Agréguelo a su calendario")


async def test_a_spanish_cancel_is_in_spanish(chat: Chat) -> None:
    await chat.say("/language es")
    await chat.say("/deadline")
    await chat.press("dl:ev:interrogatories")
    await chat.say("/cancel")
    assert chat.request.sent(7)[-1]["text"].startswith("Listo, paré")
