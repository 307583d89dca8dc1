"""PDF intake: the text layer with its line numbers, and every refusal with its reason."""

from __future__ import annotations

import io
import zlib

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

from bot.reader.limits import MAX_PAGES, ReadError
from bot.reader.pdf import read_pdf
from bot.reader.pleading import pleading_pdf


def _rewrite(data: bytes, change) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_text_layer_keeps_line_numbers_at_line_starts(order_pdf):
    pages = read_pdf(order_pdf[0])
    assert not pages.scanned
    first = pages.texts[0].splitlines()
    assert first[0] == "1 UNITED STATES DISTRICT COURT"
    assert first[1] == "2 EASTERN DISTRICT OF CALIFORNIA"


def test_a_password_protected_pdf_is_refused(order_pdf):
    locked = _rewrite(
        order_pdf[0], lambda w: w.encrypt(user_password="secret", algorithm="AES-256")
    )
    with pytest.raises(ReadError, match="password"):
        read_pdf(locked)


def test_an_owner_password_alone_does_not_stop_reading(order_pdf):
    # Encrypted with an empty user password: anyone may open it, as a viewer does.
    opened = _rewrite(order_pdf[0], lambda w: w.encrypt(user_password="", owner_password="x"))
    assert "EASTERN DISTRICT" in read_pdf(opened).texts[0]


def test_a_pdf_with_javascript_is_refused(order_pdf):
    from pypdf.actions import JavaScript

    scripted = _rewrite(order_pdf[0], lambda w: w.add_open_action(JavaScript("app.alert(1);")))
    with pytest.raises(ReadError, match="JavaScript"):
        read_pdf(scripted)


def test_a_compression_bomb_is_refused():
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    stream = StreamObject()
    stream._data = zlib.compress(b"0 0 m\n" * 40_000_000, 9)  # 240 MB inflated, 350 kB sent
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ReadError, match="compression bomb"):
        read_pdf(out.getvalue())


def test_too_many_pages_are_refused():
    data, _ = pleading_pdf(["Plaintiff shall file a status report."] * (MAX_PAGES * 28 + 1))
    with pytest.raises(ReadError, match=f"up to {MAX_PAGES} pages"):
        read_pdf(data)


def test_a_damaged_pdf_is_refused(order_pdf):
    with pytest.raises(ReadError, match="not a PDF I can read"):
        read_pdf(order_pdf[0][:400])


def test_a_page_without_text_is_left_for_ocr():
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    out = io.BytesIO()
    writer.write(out)
    assert read_pdf(out.getvalue()).texts == (None,)
