"""Lay out text as pleading paper (numbered lines 1-28) in a PDF, and turn pages into photos.

Used by the OCR benchmark and by the tests, which make their own documents from short text
instead of committing binaries. The layout follows the E.D. Cal. template: 28 numbered lines
a page, a ruled margin after the numbers, the page number in the footer.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

LINES_PER_PAGE = 28
PAGE_W, PAGE_H = 612.0, 792.0  # US Letter, in points
TOP = 72.0
PITCH = 24.0  # double spacing at 12 pt: 28 lines fill the page between the margins
NUMBER_RIGHT = 54.0  # line numbers end here
RULE_X = 64.0
TEXT_LEFT, TEXT_RIGHT = 76.0, 560.0
FONT_SIZE = 12.0

# The PDF core fonts cover Latin-1 only; printed text is normalised the same way, so the
# ground truth is what the page really shows.
_LATIN1 = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."})


@dataclass(frozen=True)
class PrintedLine:
    """One numbered line as printed: where it is and what it says."""

    page: int
    line: int
    text: str


def printable(text: str) -> str:
    """`text` as the PDF core fonts can print it."""
    text = text.translate(_LATIN1)
    return text.encode("latin-1", "replace").decode("latin-1")


def pleading_pdf(
    paragraphs: list[str], footer: str | None = None
) -> tuple[bytes, list[PrintedLine]]:
    """A text-layer PDF of `paragraphs` on pleading paper, and every line it printed.

    `footer` (e.g. a case number) is printed above the page number on every page.
    """
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="letter")
    pdf.set_auto_page_break(False)
    pdf.set_font("Times", size=FONT_SIZE)
    width = TEXT_RIGHT - TEXT_LEFT
    rows: list[str] = []
    for paragraph in paragraphs:
        words = printable(paragraph).split()
        line = ""
        for word in words:
            candidate = f"{line} {word}".strip()
            if line and pdf.get_string_width(candidate) > width:
                rows.append(line)
                line = word
            else:
                line = candidate
        rows.append(line)
    printed: list[PrintedLine] = []
    pages = max(1, -(-len(rows) // LINES_PER_PAGE))
    for page in range(pages):
        pdf.add_page()
        pdf.set_line_width(0.6)
        pdf.line(RULE_X, 36, RULE_X, PAGE_H - 36)
        pdf.line(RULE_X + 3, 36, RULE_X + 3, PAGE_H - 36)
        for n in range(1, LINES_PER_PAGE + 1):
            y = TOP + (n - 1) * PITCH
            label = str(n)
            pdf.text(NUMBER_RIGHT - pdf.get_string_width(label), y, label)
            k = page * LINES_PER_PAGE + n - 1
            if k < len(rows) and rows[k]:
                pdf.text(TEXT_LEFT, y, rows[k])
                printed.append(PrintedLine(page + 1, n, rows[k]))
        if footer:
            pdf.set_font("Times", size=9)
            pdf.text((PAGE_W - pdf.get_string_width(footer)) / 2, PAGE_H - 44, printable(footer))
            pdf.set_font("Times", size=FONT_SIZE)
        label = str(page + 1)
        pdf.text((PAGE_W - pdf.get_string_width(label)) / 2, PAGE_H - 30, label)
    return bytes(pdf.output()), printed


def page_images(pdf: bytes, dpi: int = 200) -> list:
    """Each page of `pdf` as a grayscale Pillow image at `dpi` (a flatbed scan)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("L") for page in document]
    finally:
        document.close()


def phone_photo(image, seed: int, angle: float | None = None):
    """`image` as a phone photo of the page: tilted, shaded, blurred, noisy, JPEG-compressed."""
    import numpy as np
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    tilt = angle if angle is not None else rng.uniform(-3.0, 3.0)
    page = image.convert("L")
    # The page lies on a darker table: rotate with that colour showing at the corners.
    photo = page.rotate(tilt, resample=Image.BICUBIC, expand=True, fillcolor=90)
    photo = photo.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.1)))
    pixels = np.asarray(photo, dtype=np.float32)
    h, w = pixels.shape
    # Uneven light: brighter on one side, as under a lamp.
    ramp = np.linspace(rng.uniform(0.78, 0.9), 1.0, w, dtype=np.float32)[None, :]
    pixels = pixels * ramp + np.random.default_rng(seed).normal(0, 9, (h, w))
    photo = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L").convert("RGB")
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=rng.randint(60, 80))
    return buffer.getvalue()
