"""An uploaded order's summary and the reader's own sentences, in English and in Spanish."""

from __future__ import annotations

import ast
import io
import sys
import warnings
from pathlib import Path

import pytest
from PIL import Image

from bot.app.telegram.language import detect_language
from bot.app.telegram.strings import patterns, text
from bot.app.telegram.uploads import reader_words, summary_html
from bot.reader import read as read_module
from bot.reader.dates import ORDER_IS_MAILED
from bot.reader.limits import MAX_PHOTOS, ReadError
from bot.reader.ocr import INSTALL, missing
from bot.reader.pdf import read_pdf
from bot.reader.pleading import pleading_pdf
from bot.reader.read import FINDINGS_NOTE, ReadOrder, Upload, read_files
from bot.reader.summary import ENGLISH, summary_lines, summary_text

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "reader"))
from sample_order import ORDER

# Findings and recommendations written for these tests (not a real case).
FINDINGS = [
    *ORDER[:3],
    "Case No. 1:20-cv-01234-ABC-PC FINDINGS AND RECOMMENDATIONS TO DISMISS THE ACTION",
    "Plaintiff has not filed an opposition to the motion for summary judgment, and the time to "
    "do so has passed. Accordingly, the court RECOMMENDS that this action be DISMISSED without "
    "prejudice.",
    "These findings and recommendations are submitted to the district judge. Within fourteen "
    "(14) days after being served with these findings and recommendations, any party may file "
    "written objections with the court.",
    "Dated: June 5, 2020",
]
# procbot's own English in a summary: none of it may be left in a Spanish one.
ENGLISH_WORDS = (
    "What the court did",
    "An order of the court",
    "What it tells you",
    "What happens if it is not done",
    "Good to know",
    "(order at",
    " due ",
    "(30 days from",
    "within 14 days",
    "Ask me about this order",
    "This is legal information",
    "Counted from the order's date",
    "dated ",
)


@pytest.fixture(scope="module")
def order() -> ReadOrder:
    return read_files([Upload("order.pdf", pleading_pdf(ORDER)[0])])


@pytest.fixture(scope="module")
def findings() -> ReadOrder:
    return read_files([Upload("findings.pdf", pleading_pdf(FINDINGS)[0])])


def test_strings_yaml_holds_the_readers_own_english_summary_words() -> None:
    assert {key: text(f"order_summary.{key}") for key in ENGLISH} == dict(ENGLISH)


def test_the_english_summary_is_the_readers_own(order: ReadOrder) -> None:
    html = summary_html(order)
    for title, points in summary_lines(order):
        assert f"<b>{title}</b>" in html
        assert all(f"• {p}".replace("&", "&amp;") in html for p in points)
    assert html.startswith(
        "<b>Doe v. Roe, E.D. Cal., No. 1:20-cv-01234-ABC-PC, dated Friday, June 5, 2020</b>\n\n"
    )
    assert "due Thursday, July 9, 2020 (30 days from service of this order; " in html
    assert "Ask me about this order in your own words; /forget deletes it." in html
    assert text("english_words") not in html
    assert "What the court did" in summary_text(order)


def test_a_spanish_summary_says_procbots_words_in_spanish_and_quotes_the_order(order) -> None:
    html = summary_html(order, "es")
    assert html.startswith(
        "<b>Doe v. Roe, E.D. Cal., N.º 1:20-cv-01234-ABC-PC, fechada el viernes, 5 de junio de "
        "2020</b>\n<i>Las palabras del tribunal van en inglés, tal como están escritas.</i>"
    )
    for heading in ("Lo que decidió el tribunal — Una orden del tribunal",
                    "Lo que le manda hacer a usted (y a otros)", "Qué pasa si no se hace",
                    "Conviene saber"):  # fmt: skip
        assert f"<b>{heading}</b>" in html
    assert "• Se deniega: Plaintiff's motion to appoint counsel (orden en 1:" in html
    assert "• Demandante: “IT IS FURTHER ORDERED that Plaintiff shall file an opposition" in html
    assert "— vence el jueves, 9 de julio de 2020 (30 días desde la entrega de esta orden; " in (
        html
    )
    assert "“Failure to comply with this order will result in a recommendation" in html
    assert "Contado desde la fecha de la orden" in html
    assert "Pregúnteme sobre esta orden con sus propias palabras; /forget la borra." in html
    assert "<i>Esto es información legal sobre su orden, no asesoría legal." in html
    assert [w for w in ENGLISH_WORDS if w in html] == []


def test_a_spanish_summary_of_findings_says_what_is_recommended(findings: ReadOrder) -> None:
    html = summary_html(findings, "es")
    assert "Conclusiones y recomendaciones (todavía no es una decisión final)" in html
    assert "• Recomienda desestimar sin perjuicio: this action (orden en 1:" in html
    assert "• Cada parte: “Within fourteen (14) days after being served with these findings" in (
        html
    )
    assert "dentro de 14 días desde la entrega de «the findings and recommendations»; " in html
    assert "la orden no dice desde qué día contar, así que no doy una fecha" in html
    assert [w for w in ENGLISH_WORDS if w in html] == []
    assert "Recommends that this action be dismissed without prejudice" in summary_html(findings)


#: What the reader said while reading the uploads of reader_sentences() (OCR progress).
PROGRESS: list[str] = []


def _refusal(uploads: list[Upload]) -> str:
    with pytest.raises(ReadError) as raised, warnings.catch_warnings():
        # The photo of more pixels than any page warns before it is refused: expected here.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        read_files(uploads, PROGRESS.append)
    return str(raised.value)


def _image(width: int, height: int, color: int = 0) -> bytes:
    out = io.BytesIO()
    Image.new("1", (width, height), color).save(out, "PNG")
    return out.getvalue()


def _pdf(pages: int = 1, password: str | None = None, script: bool = False) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(612, 792)
    if script:
        from pypdf.actions import JavaScript

        writer.add_open_action(JavaScript("app.alert(1);"))
    if password:
        writer.encrypt(user_password=password, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def constant_refusals() -> list[str]:
    """Every refusal the reader's code words as one constant string (ReadError("..."))."""
    said = []
    for path in sorted((Path(read_module.__file__).parent).glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "ReadError"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                said.append(node.args[0].value)
    return said


def reader_sentences() -> list[str]:
    """The reader's own sentences as it says them: refusals of real uploads, every constant
    refusal in its code, its notes."""
    pdf = pleading_pdf(ORDER)[0]
    grocery = pleading_pdf(["Grocery list: apples, bread, milk and eggs for the week."] * 3)[0]
    refusals = [
        [],
        [Upload("order.pdf", b"%PDF-1.7\n" + bytes(21 * 1024 * 1024))],
        [Upload("order.pdf", b"")],
        [Upload("order.zip", b"PK\x03\x04" + bytes(100))],
        [Upload("a.pdf", pdf), Upload("b.pdf", pdf)],
        [Upload(f"{n}.jpg", b"\xff\xd8") for n in range(MAX_PHOTOS + 1)],
        [Upload("list.pdf", grocery)],
        [Upload("blank.pdf", _pdf())],
        [Upload("locked.pdf", _pdf(password="secret"))],
        [Upload("script.pdf", _pdf(script=True))],
        [Upload("long.pdf", _pdf(pages=41))],
        [Upload("broken.pdf", b"%PDF-1.7\nnot really")],
        [Upload("big.png", _image(8000, 7000))],
        [Upload("bomb.png", _image(12000, 12000))],
        [Upload("notes.txt", b"just some bytes")],
    ]
    if missing() is None:
        # Blank pages, read by OCR (and so with progress lines), give no text.
        blank = _image(850, 1100, color=1)
        refusals += [[Upload("page.png", blank)], [Upload(f"{n}.png", blank) for n in (1, 2)]]
    with pytest.raises(ReadError) as too_large:
        read_pdf(b"%PDF-1.7\n" + bytes(21 * 1024 * 1024))
    return [
        *(_refusal(uploads) for uploads in refusals),
        str(too_large.value),
        *constant_refusals(),
        FINDINGS_NOTE,
        ORDER_IS_MAILED,
        INSTALL,
        "This PDF is a scan without text. " + INSTALL,
        "The pages have no line numbers I could read, so points cite no page:line.",
        "I could not read the order's date, so I cannot count its deadlines to a date.",
        f"Reading took longer than {read_module.MAX_SECONDS:.0f} seconds, so I stopped. Try "
        "fewer or clearer pages.",
    ]


SENTENCES = reader_sentences()


def test_the_sentences_checked_are_the_readers_own_refusals() -> None:
    # Fifteen uploads, fifteen different reasons: each refusal path was reached.
    assert len(set(SENTENCES[:15])) == 15
    assert SENTENCES[7].startswith("I found no text in this.")
    assert "This PDF has no pages." in constant_refusals()
    assert "This PDF is protected by a password, so I cannot read it." in SENTENCES[8]
    assert "JavaScript" in SENTENCES[9] and "41 pages" in SENTENCES[10]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_every_sentence_of_the_reader_is_said_in_spanish(sentence: str) -> None:
    spanish = reader_words(sentence, "es")
    assert spanish != sentence
    assert spanish[:1].isupper()
    assert detect_language(spanish) == "es", spanish
    assert reader_words(sentence, "en") == sentence


@pytest.mark.skipif(missing() is not None, reason=missing() or "")
def test_progress_lines_are_said_in_spanish() -> None:
    assert PROGRESS == [
        "Reading page 1 of 1…",
        "Reading 1 page… this takes a few seconds a page.",
        "Reading 2 pages… this takes a few seconds a page.",
    ]
    assert reader_words("Reading page 2 of 3…", "es") == "Leyendo la página 2 de 3…"
    assert reader_words("Reading 3 pages… this takes a few seconds a page.", "es") == (
        "Leyendo 3 páginas… tarda unos segundos por página."
    )
    assert reader_words("Reading 1 page… this takes a few seconds a page.", "es") == (
        "Leyendo 1 página… tarda unos segundos."
    )


def test_a_file_name_is_kept_and_a_sentence_without_a_pattern_stays_as_written() -> None:
    assert reader_words("Order (2).PDF is empty.", "es") == "No hay nada en Order (2).PDF."
    assert reader_words("Something new the reader says.", "es") == "Something new the reader says."


def test_every_reader_pattern_is_used() -> None:
    # A pattern no sentence reaches is a sentence the reader no longer says (or a typo).
    said = [
        *SENTENCES,
        *PROGRESS,
        "the date stated in the order",
        "service of this order",
        "filing of this order",
        "service of the findings and recommendations",
        "filing of the objections",
        "service",
        "filing",
    ]
    unused = [
        pattern.pattern
        for pattern, _ in patterns("reader_es")
        if not any(pattern.fullmatch(s) for s in said)
    ]
    assert unused == []
