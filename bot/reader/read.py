"""The reading pipeline: uploaded files -> text (text layer or OCR) -> what the order says."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from bot.ingest.parse_order import OrderText, looks_like_order, order_facts, order_text
from bot.reader.dates import DueDate, due_date
from bot.reader.extract import SERVED_BY_MAIL, Decision, Found, extract
from bot.reader.limits import MAX_BYTES, MAX_PHOTOS, MAX_PIXELS, MAX_SECONDS, MB, ReadError
from bot.reader.ocr import in_page_order, missing, ocr_image
from bot.reader.pdf import is_pdf, page_image, read_pdf

#: Progress callback: a short sentence for the person waiting ("Reading page 2 of 3…").
Progress = Callable[[str], None]

FINDINGS_NOTE = (
    "These are findings and recommendations, not a final order: a district judge decides "
    "after the time for objections. Under 28 U.S.C. § 636(b)(1), objections are due within "
    "14 days after being served with them."
)
OCR_WORKERS = 2


@dataclass(frozen=True)
class Upload:
    """One file as it arrived: its name (for messages only) and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class ReadDirective:
    text: str
    pinpoint: str | None
    actor: str | None
    deadline: DueDate | None


@dataclass(frozen=True)
class ReadOrder:
    """What procbot read in a person's order; lives only in memory."""

    court: str | None
    case: str | None
    docket: str | None
    date: str | None
    judge: str | None
    findings_and_recommendations: bool
    decided: tuple[Decision, ...]
    directives: tuple[ReadDirective, ...]
    consequences: tuple[Found, ...]
    pages: int
    source: str  # "text layer" | "OCR"
    text: OrderText
    notes: tuple[str, ...] = ()


def _kind(data: bytes) -> str:
    if is_pdf(data):
        return "pdf"
    if (
        data[:4] == b"PK\x03\x04"
        or data[:2] == b"\x1f\x8b"
        or data[:3] == b"BZh"
        or data[:6] == b"7z\xbc\xaf\x27\x1c"
    ):
        return "archive"
    return "image"


def read_files(uploads: Sequence[Upload], progress: Progress | None = None) -> ReadOrder:
    """Read one PDF or 1-10 page photos; ReadError with a clear reason for anything refused."""
    started = time.monotonic()
    say = progress or (lambda _message: None)
    if not uploads:
        raise ReadError("Nothing to read: send a PDF of the order or photos of its pages.")
    for upload in uploads:
        if len(upload.data) > MAX_BYTES:
            raise ReadError(
                f"{upload.name} is {len(upload.data) / MB:.0f} MB; I read files up to "
                f"{MAX_BYTES // MB} MB. Send a smaller PDF or photos of the pages."
            )
        if not upload.data:
            raise ReadError(f"{upload.name} is empty.")
    kinds = [_kind(u.data) for u in uploads]
    if "archive" in kinds:
        raise ReadError(
            "That is a compressed archive (such as a ZIP file); I do not open archives. "
            "Send the order as a PDF or as photos of its pages."
        )
    if "pdf" in kinds:
        if len(uploads) > 1:
            raise ReadError("Send one PDF at a time (or only photos), so I read one order.")
        pages, source = _pdf_pages(uploads[0].data, say, started)
    else:
        if len(uploads) > MAX_PHOTOS:
            raise ReadError(f"I read up to {MAX_PHOTOS} photos of one order at a time.")
        pages, source = _photo_pages(uploads, say, started), "OCR"
    body = "\n".join(pages)
    if not body.strip():
        raise ReadError(
            "I found no text in this. If it is a photo, take it closer and in good light."
        )
    read = order_text(body)
    if not looks_like_order(read.text):
        raise ReadError(
            "This does not look like a court order (no court caption and no order of the "
            "court), so I did not read it further. I can explain orders a court sent you."
        )
    return _understand(body, read, len(pages), source)


def _pdf_pages(data: bytes, say: Progress, started: float) -> tuple[list[str], str]:
    pdf = read_pdf(data)
    if not pdf.scanned:
        return list(pdf.texts), "text layer"
    if reason := missing():
        raise ReadError("This PDF is a scan without text. " + reason)
    texts: list[str] = []
    total = len(pdf.texts)
    for index, text in enumerate(pdf.texts):
        if text is None:
            _check_time(started)
            say(f"Reading page {index + 1} of {total}…")
            text = ocr_image(page_image(data, index)).text
        texts.append(text)
    return texts, "OCR"


def _open_image(upload: Upload):
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # larger raises DecompressionBombError while opening
    try:
        image = Image.open(io.BytesIO(upload.data))
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise ReadError(
                f"{upload.name} is {width}×{height} pixels, more than any photo of a page; "
                "I did not open it."
            )
        image.load()
    except Image.DecompressionBombError:
        raise ReadError(
            f"{upload.name} is far larger than any photo of a page; I did not open it."
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ReadError(
            f"{upload.name} is neither a PDF nor a photo I can open (JPEG, PNG, TIFF or WebP)."
        ) from None
    return image


def _photo_pages(uploads: Sequence[Upload], say: Progress, started: float) -> list[str]:
    if reason := missing():
        raise ReadError(reason)
    images = [_open_image(u) for u in uploads]
    say(
        f"Reading {len(images)} page{'s' if len(images) > 1 else ''}… "
        "this takes a few seconds a page."
    )

    def one(image):
        _check_time(started)
        return ocr_image(image)

    # Tesseract releases the GIL: two pages at once on two cores.
    with ThreadPoolExecutor(max_workers=min(OCR_WORKERS, len(images))) as pool:
        pages = list(pool.map(one, images))
    _check_time(started)
    return [p.text for p in in_page_order(pages)]


def _check_time(started: float) -> None:
    if time.monotonic() - started > MAX_SECONDS:
        raise ReadError(
            f"Reading took longer than {MAX_SECONDS:.0f} seconds, so I stopped. Try fewer or "
            "clearer pages."
        )


def _understand(body: str, read: OrderText, pages: int, source: str) -> ReadOrder:
    facts = order_facts(body)
    found = extract(read)
    directives = []
    for d in found.directives:
        deadline = None
        if d.period is not None:
            deadline = due_date(d.period, facts.date, d.actor in SERVED_BY_MAIL, facts.court)
        directives.append(ReadDirective(d.text, d.pinpoint, d.actor, deadline))
    notes = []
    if found.findings_and_recommendations and not any(
        "objection" in d.text.lower() for d in found.directives
    ):
        notes.append(FINDINGS_NOTE)
    if not read.numbered:
        notes.append("The pages have no line numbers I could read, so points cite no page:line.")
    if facts.date is None and any(d.deadline and d.deadline.days for d in directives):
        notes.append(
            "I could not read the order's date, so I cannot count its deadlines to a date."
        )
    return ReadOrder(
        court=facts.court,
        case=facts.case,
        docket=facts.docket,
        date=facts.date,
        judge=facts.judge,
        findings_and_recommendations=found.findings_and_recommendations,
        decided=found.decided,
        directives=tuple(directives),
        consequences=found.consequences,
        pages=pages,
        source=source,
        text=read,
        notes=tuple(notes),
    )
