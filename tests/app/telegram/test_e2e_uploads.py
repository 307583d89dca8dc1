"""End to end: an order sent to the real `procbot serve` as a PDF or an album of photos."""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from emulator import BotProcess, Emulator, Reply, TelegramUser, emulator_unavailable

from bot.app.telegram.html import strip_tags
from bot.app.telegram.language import detect_language
from bot.core.settings import SHIPPED_KNOWLEDGE, Settings
from bot.reader.ocr import missing
from bot.reader.pleading import page_images, phone_photo, pleading_pdf

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "reader"))
from sample_order import ORDER

pytestmark = pytest.mark.emulator

# June 5, 2020 + 30 days (Sunday -> Monday) + 3 for mail; without the deadline calculator the
# summary gives the period and says that no date was counted.
DUE = "due Thursday, July 9, 2020"
# Words of the order that must never reach a log or a file.
PRIVATE = ("RICHARD ROE", "1:20-cv-01234-ABC")


class Served:
    def __init__(self, emulator: Emulator, bot: BotProcess, data_dir: Path) -> None:
        self.emulator, self.bot, self.data_dir = emulator, bot, data_dir


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    if reason := emulator_unavailable():
        pytest.skip(reason)
    from bot.app.engine import Engine

    root = tmp_path_factory.mktemp("uploads")
    data_dir = root / "data"
    Engine(Settings(_env_file=None, data_dir=data_dir, knowledge=[SHIPPED_KNOWLEDGE])).index()
    emulator = Emulator(root / "emulator.log")
    bot = BotProcess(emulator, data_dir, [SHIPPED_KNOWLEDGE])
    try:
        asyncio.run(_wait_ready(emulator))
    except TimeoutError:
        bot.stop()
        emulator.stop()
        pytest.fail(f"procbot serve never answered; its log:\n{bot.log_text()[-3000:]}")
    yield Served(emulator, bot, data_dir)
    bot.stop()
    emulator.stop()


async def _wait_ready(emulator: Emulator) -> None:
    async with httpx.AsyncClient() as client:
        user = TelegramUser(emulator, 990)
        await user.send_text(client, "/help")
        await user.wait_for(client, 1, timeout=180)


async def _store(client: httpx.AsyncClient, served: Served, data: bytes) -> str:
    file_id = uuid.uuid4().hex
    response = await client.post(f"{served.emulator.url}/test/file/{file_id}", content=data)
    response.raise_for_status()
    return file_id


async def _send(client: httpx.AsyncClient, user: TelegramUser, **content: object) -> None:
    response = await client.post(f"{user.url}/sendMessage", json=user._message(**content))
    response.raise_for_status()


async def _send_pdf(
    client: httpx.AsyncClient, served: Served, user: TelegramUser, data: bytes, name: str
) -> None:
    """Store `data` in the emulator and send it to the bot as the document `name`."""
    file_id = await _store(client, served, data)
    document = {"file_id": file_id, "file_unique_id": file_id, "file_name": name,
                "mime_type": "application/pdf", "file_size": len(data)}  # fmt: skip
    await _send(client, user, document=document)


async def _until(user: TelegramUser, client: httpx.AsyncClient, words: str, timeout: float):
    """Replies until one contains `words`; all of them, and the seconds it took."""
    started = time.monotonic()
    replies: list[Reply] = []
    while time.monotonic() - started < timeout:
        replies += await user.fetch(client)
        if any(words in r.text for r in replies):
            return replies, time.monotonic() - started
        await asyncio.sleep(0.1)
    raise TimeoutError(f"no reply with {words!r} in {timeout} s: {[r.text[:80] for r in replies]}")


async def test_an_order_pdf_gives_the_summary_with_its_dated_deadline(served: Served) -> None:
    data, _ = pleading_pdf(ORDER)
    async with httpx.AsyncClient() as client:
        user = TelegramUser(served.emulator, 201)
        await _send_pdf(client, served, user, data, "order.pdf")
        replies, seconds = await _until(user, client, "What the court did", 60)
    summary = replies[-1].text
    assert replies[-1].parse_mode == "HTML"
    assert "Doe v. Roe" in summary and DUE in summary
    assert "Denied: Plaintiff's motion to appoint counsel (order at 1:" in summary
    assert "recommendation that this action be dismissed" in summary
    print(f"PDF to summary through the emulator: {seconds:.1f} s")


@pytest.mark.skipif(missing() is not None, reason=missing() or "")
async def test_an_album_of_three_photos_gives_the_summary(served: Served) -> None:
    data, _ = pleading_pdf(ORDER[:4] + [ORDER[4]] * 18 + ORDER[5:])
    images = page_images(data)
    assert len(images) == 3
    async with httpx.AsyncClient() as client:
        user = TelegramUser(served.emulator, 202)
        photos = []
        for n, image in enumerate(images):
            jpeg = phone_photo(image, seed=40 + n)
            file_id = await _store(client, served, jpeg)
            photos.append([{"file_id": file_id, "file_unique_id": file_id, "width": image.width,
                            "height": image.height, "file_size": len(jpeg)}])  # fmt: skip
        for size in photos:
            await _send(client, user, photo=size, media_group_id="album-1")
        replies, seconds = await _until(user, client, "What the court did", 120)
    texts = [r.text for r in replies]
    assert texts[0].startswith("Reading 3 pages")  # the progress message comes first
    assert sum("What the court did" in t for t in texts) == 1  # one album, one summary
    assert DUE in texts[-1]
    # The 20 s target is measured by benchmarks/ocr_eval.py with the load average beside it;
    # here only a hang fails (other work shares the two cores).
    print(f"album of 3 photos to summary through the emulator: {seconds:.1f} s")
    assert seconds <= 90, f"3 photos took {seconds:.1f} s"


async def test_follow_up_is_answered_from_the_order_then_forget_removes_it(served: Served):
    started = time.time()
    data, _ = pleading_pdf(ORDER)
    async with httpx.AsyncClient() as client:
        user = TelegramUser(served.emulator, 203)
        await _send_pdf(client, served, user, data, "order.pdf")
        await _until(user, client, "What the court did", 60)
        await user.send_text(client, "what happens if I do not file the opposition?")
        replies, _ = await _until(user, client, "From my sources", 90)
        assert replies[0].text.startswith("<b>From your order</b>")
        assert "your order at 1:" in replies[0].text
        await user.send_text(client, "/forget")
        replies, _ = await _until(user, client, "I also deleted the order you sent me.", 30)
        # Afterwards the same question is an ordinary one: no order is kept in memory.
        await user.send_text(client, "what happens if I do not file the opposition?")
        replies = await user.wait_for(client, 1, timeout=90)
        assert not any("From your order" in r.text for r in replies)
    # Nothing of the order on disk: not in the data folder, not in a temporary file.
    for folder in (served.data_dir, Path(tempfile.gettempdir())):
        for path in folder.rglob("*"):
            if (
                path.is_file()
                and path.stat().st_mtime >= started
                and path.stat().st_size < 50 * 2**20
            ):
                content = path.read_bytes()
                assert not any(w.encode() in content for w in PRIVATE), path


async def test_a_spanish_chat_gets_the_summary_and_follow_ups_in_spanish(served: Served) -> None:
    data, _ = pleading_pdf(ORDER)
    async with httpx.AsyncClient() as client:
        user = TelegramUser(served.emulator, 205)
        await user.send_text(client, "/language es")
        await _until(user, client, "Le responderé en español", 30)
        await _send_pdf(client, served, user, data, "orden.pdf")
        replies, _ = await _until(user, client, "Lo que decidió el tribunal", 60)
        summary = replies[-1].text
        # Asked in English words (the order's), answered in the chat's chosen language.
        await user.send_text(client, "what happens if I do not file the opposition?")
        answers, _ = await _until(user, client, "De mis fuentes", 90)
        # A question in English that a guide answers: in its Spanish points (the chat's
        # language).
        await user.send_text(client, "should my brother file his interrogatories with the court")
        guide, _ = await _until(user, client, "De mis fuentes", 90)
        big = {"file_id": "never-stored", "file_unique_id": "x", "file_name": "orden.pdf",
               "mime_type": "application/pdf", "file_size": 60 * 1024 * 1024}  # fmt: skip
        await _send(client, user, document=big)
        # The answer's later messages (its sources' exact words) may still come first.
        later, _ = await _until(user, client, "60 MB", 30)
        refused = [r for r in later if "60 MB" in r.text]
        # /forget deletes the order and the chat's language too, after saying so in Spanish.
        await user.send_text(client, "/forget")
        forgot, _ = await _until(user, client, "También borré la orden que me envió.", 30)
    # procbot's own words are Spanish: the headings, the date, the connecting words.
    assert "<b>Doe v. Roe, E.D. Cal., N.º 1:20-cv-01234-ABC-PC, fechada el viernes" in summary
    assert "<i>Las palabras del tribunal van en inglés, tal como están escritas.</i>" in summary
    for heading in ("Lo que decidió el tribunal", "Lo que le manda hacer a usted (y a otros)",
                    "Qué pasa si no se hace", "Conviene saber"):  # fmt: skip
        assert f"<b>{heading}" in summary
    assert "— vence el jueves, 9 de julio de 2020 (30 días desde la entrega de esta orden" in (
        summary
    )
    assert "Pregúnteme sobre esta orden con sus propias palabras" in summary
    assert not any(w in summary for w in ("What the court did", "due ", "Good to know", "Ask me"))
    # The order's own sentences stay as the court wrote them.
    assert "Se deniega: Plaintiff's motion to appoint counsel (orden en 1:" in summary
    assert "“Failure to comply with this order will result in a recommendation that this" in (
        summary
    )
    first = answers[0].text
    assert first.startswith("<b>De su orden</b>\n<i>Las palabras del tribunal van en inglés")
    assert "(su orden en 1:" in first and "“Failure to comply with this order" in first
    assert "From your order" not in first
    sources = next(r.text for r in answers if "De mis fuentes" in r.text)
    assert sources.startswith("<b>De mis fuentes</b> (órdenes de otros casos y las reglas, no su ")
    assert "<i>Información legal, no asesoría legal.</i>" in sources
    assert not any("From my sources" in r.text for r in answers)
    body = next(r.text for r in guide if "De mis fuentes" in r.text).split("\n\n", 1)[1]
    assert detect_language(strip_tags(body.split("\n")[0])) == "es", body
    assert any("Listo: borré nuestra conversación" in r.text for r in forgot)
    assert refused[0].text == (
        "Ese archivo pesa 60 MB; leo archivos de hasta 20 MB. Envíe un PDF más pequeño, o fotos "
        "de las páginas."
    )


async def test_a_sixty_megabyte_file_is_refused_without_download(served: Served) -> None:
    async with httpx.AsyncClient() as client:
        user = TelegramUser(served.emulator, 204)
        document = {"file_id": "never-stored", "file_unique_id": "x", "file_name": "big.pdf",
                    "mime_type": "application/pdf", "file_size": 60 * 1024 * 1024}  # fmt: skip
        await _send(client, user, document=document)
        replies = await user.wait_for(client, 1, timeout=30)
    assert "60 MB" in replies[0].text and "20 MB" in replies[0].text


async def test_the_log_holds_no_word_of_any_order(served: Served) -> None:
    log = served.bot.log_text()
    assert "kind=upload" in log
    assert not any(word in log for word in PRIVATE)
