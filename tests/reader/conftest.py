"""Fixtures for the reader: court orders made from short text, printed on pleading paper."""

from __future__ import annotations

import pytest
from sample_order import ORDER  # tests/reader/sample_order.py

from bot.reader.ocr import missing
from bot.reader.pleading import pleading_pdf


@pytest.fixture(scope="session")
def order_pdf() -> tuple[bytes, list]:
    """The test order as a text-layer PDF, and the lines it printed."""
    return pleading_pdf(ORDER)


@pytest.fixture
def needs_tesseract() -> None:
    if reason := missing():
        pytest.skip(reason)
