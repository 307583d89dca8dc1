"""Tesseract OCR of page images, in memory (no temporary files): orientation, deskew, page order.

Pleading paper prints its line numbers in a ruled margin, which Tesseract's automatic layout
reads as a column of its own ("1 2 3 ... 28", then the text). The page is read as one block
instead, so each number starts its own line the way the order parser expects.
"""

from __future__ import annotations

import math
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.reader.limits import ReadError

# Pages are read two at a time, one per core; Tesseract's own OpenMP threads on top of that
# only contend. Must be set before the library loads.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

INSTALL = (
    "Reading photos and scans needs the Tesseract OCR engine and its English data, which are "
    "not installed here. Install them with: apt-get install tesseract-ocr tesseract-ocr-eng "
    "tesseract-ocr-spa (and pip install tesserocr)."
)
_TESSDATA = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
)
#: Longest side an image is scaled down to before OCR: about 240 dpi for a letter page.
MAX_SIDE = 2600
#: Below this OSD confidence the page is left as it is (a rotation guessed from noise hurts).
OSD_MIN_CONFIDENCE = 2.0
#: A first reading below this mean word confidence is retried after orientation detection.
RETRY_BELOW_CONFIDENCE = 60.0
#: Tilts smaller than this (degrees) are left alone.
MIN_SKEW = 0.2
_PAGE_OF = re.compile(r"\bPage\s+(\d{1,3})\s+of\s+(\d{1,3})\b", re.IGNORECASE)


@dataclass(frozen=True)
class OcrPage:
    """What OCR read on one image: rows of text top to bottom, and the printed page number."""

    text: str
    number: int | None  # the page number printed on the page, when one was read
    rotated: int  # degrees the page was turned to be upright
    skew: float  # degrees of tilt corrected
    confidence: float  # Tesseract's mean word confidence, 0-100


@cache
def tessdata() -> str | None:
    """The tessdata folder holding English data, or None."""
    for folder in filter(None, (os.environ.get("TESSDATA_PREFIX"), *_TESSDATA)):
        if (Path(folder) / "eng.traineddata").is_file():
            return folder
    return None


def missing() -> str | None:
    """Why OCR cannot run here (a sentence naming what to install), or None when it can."""
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return INSTALL
    return None if tessdata() else INSTALL


def _languages(folder: str) -> str:
    return "eng+spa" if (Path(folder) / "spa.traineddata").is_file() else "eng"


def _osd_degrees(image, folder: str) -> int:
    """Clockwise rotation of the page by Tesseract's orientation detection (0 when unsure)."""
    import tesserocr

    if not (Path(folder) / "osd.traineddata").is_file():
        return 0
    with tesserocr.PyTessBaseAPI(path=folder, lang="osd", psm=tesserocr.PSM.OSD_ONLY) as api:
        api.SetImage(image)
        found = api.DetectOrientationScript()
    if not found or found.get("orient_conf", 0) < OSD_MIN_CONFIDENCE:
        return 0
    return int(found.get("orient_deg", 0)) % 360


def _prepare(image):
    from PIL import ImageOps

    page = ImageOps.exif_transpose(image).convert("L")
    side = max(page.size)
    if side > MAX_SIDE:
        scale = MAX_SIDE / side
        page = page.resize((round(page.width * scale), round(page.height * scale)))
    return page


def ocr_image(image) -> OcrPage:
    """OCR one page image (a Pillow image); ReadError when OCR is not installed."""
    if reason := missing():
        raise ReadError(reason)
    folder = tessdata()
    page = _prepare(image)
    first = _read(page, folder, 0)
    if first.confidence >= RETRY_BELOW_CONFIDENCE:
        return first
    # Poor reading: the photo may be sideways or upside down. Ask OSD only now, since it
    # costs as much as reading a page.
    degrees = _osd_degrees(page, folder)
    if not degrees:
        return first
    second = _read(page.rotate(degrees, expand=True, fillcolor=255), folder, degrees)
    return second if second.confidence > first.confidence else first


_local = threading.local()


def _api(folder: str):
    """This thread's Tesseract instance: loading the English model once, not per page."""
    import tesserocr

    api = getattr(_local, "api", None)
    if api is None:
        # Leptonica prints box-clipping notices for ordinary photos to stderr; they say
        # nothing a person could act on.
        tesserocr.set_leptonica_log_level(tesserocr.LeptLogLevel.NONE)
        api = _local.api = tesserocr.PyTessBaseAPI(path=folder, lang="eng")
        # Court papers are dark text on light paper: skip the pass that looks for inverted text.
        api.SetVariable("tessedit_do_invert", "0")
    return api


def _read(page, folder: str, rotated: int) -> OcrPage:
    import tesserocr
    from PIL import Image

    api = _api(folder)
    # The tilt, measured by Tesseract's layout analysis on a half-size copy (lines and their
    # angle survive; it takes a third of the time).
    api.SetPageSegMode(tesserocr.PSM.AUTO)
    api.SetImage(page.resize((page.width // 2, page.height // 2)))
    layout = api.AnalyseLayout()
    skew = math.degrees(layout.Orientation()[3]) if layout is not None else 0.0
    if abs(skew) >= MIN_SKEW:
        # Turning the page straight keeps each margin number level with its line of text.
        page = page.rotate(skew, resample=Image.BICUBIC, expand=True, fillcolor=255)
    # One uniform block: each row is read across the ruled margin, so a line number stays at
    # the start of its own line instead of in a column of numbers.
    api.SetPageSegMode(tesserocr.PSM.SINGLE_BLOCK)
    api.SetImage(page)
    text = api.GetUTF8Text() or ""
    confidence = float(api.MeanTextConf())
    api.Clear()
    rows = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    return OcrPage("\n".join(rows), _page_number(rows), rotated, skew, confidence)


def _page_number(rows: list[str]) -> int | None:
    """The printed page number: "Page 2 of 5" anywhere, else a bare number closing the page."""
    for row in rows:
        if m := _PAGE_OF.search(row):
            return int(m.group(1))
    for row in reversed(rows[-3:]):
        words = row.split()
        if len(words) == 1 and words[0].isdigit() and 0 < int(words[0]) < 200:
            return int(words[0])
    return None


def in_page_order(pages: Sequence[OcrPage]) -> list[OcrPage]:
    """Photos sorted by their printed page numbers when every one was read and none repeats;
    otherwise in the order they were sent."""
    numbers = [p.number for p in pages]
    if None in numbers or len(set(numbers)) != len(numbers):
        return list(pages)
    return sorted(pages, key=lambda p: p.number)
