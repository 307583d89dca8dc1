"""PDF uploads: refuse what is unsafe or unreadable, then the text layer or page images.

pypdf inspects the file (encryption, JavaScript, page count; its decompression limits stop
zip bombs); pypdfium2 extracts the text, which keeps pleading-paper line numbers at the
start of their lines (benchmarks/pdf_text.py compares it with pypdf and pdfplumber).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from bot.reader.limits import MAX_BYTES, MAX_PAGES, MB, TEXT_LAYER_MIN_CHARS, ReadError

SCAN_DPI = 200
#: Keys under which a PDF carries code to run: document, page and annotation actions.
_SCRIPT_KEYS = ("/JavaScript", "/JS")
_ACTION_KEYS = ("/OpenAction", "/AA", "/A")


@dataclass(frozen=True)
class PdfPages:
    """A PDF's pages: text from its text layer, or None for a page that must be OCR'd."""

    texts: tuple[str | None, ...]
    data: bytes

    @property
    def scanned(self) -> bool:
        return any(t is None for t in self.texts)


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF-")


def read_pdf(data: bytes) -> PdfPages:
    """The pages of a PDF upload; ReadError naming the problem for anything refused."""
    if len(data) > MAX_BYTES:
        raise ReadError(
            f"This file is {len(data) / MB:.0f} MB; I read files up to {MAX_BYTES // MB} MB."
        )
    pages = _inspect(data)
    texts = _texts(data)
    if len(texts) != pages:
        raise ReadError("This PDF is damaged: its pages cannot all be read.")
    # A scan with a thin OCR layer, or none, is read again from its images.
    rich = [t if len(t.strip()) >= TEXT_LAYER_MIN_CHARS else None for t in texts]
    return PdfPages(tuple(rich), data)


def _inspect(data: bytes) -> int:
    """Page count after the safety checks."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, LimitReachedError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError(
                "This PDF is protected by a password, so I cannot read it. Send a copy without "
                "the password, or photos of the pages."
            )
        if _has_script(reader):
            raise ReadError(
                "This PDF contains JavaScript, and I do not open files that carry programs. "
                "Print it to a new PDF or send photos of the pages."
            )
        count = len(reader.pages)
        if count > MAX_PAGES:
            raise ReadError(
                f"This PDF has {count} pages; I read court orders of up to {MAX_PAGES} pages."
            )
        for page in reader.pages:
            page.get_contents()  # decompresses each page within pypdf's size limits
    except LimitReachedError:
        raise ReadError(
            "This PDF expands to far more data than any court order (a compression bomb); "
            "I did not read it."
        ) from None
    except FileNotDecryptedError:
        raise ReadError("This PDF is protected by a password, so I cannot read it.") from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise ReadError("This file is not a PDF I can read; it may be damaged.") from None
    if count == 0:
        raise ReadError("This PDF has no pages.")
    return count


def _has_script(reader) -> bool:
    """True when the catalog, a page or an annotation holds a JavaScript action."""
    root = reader.trailer["/Root"]
    names = root.get("/Names")
    if names is not None and "/JavaScript" in names.get_object():
        return True
    holders = [root]
    for page in reader.pages:
        holders.append(page)
        holders.extend(a.get_object() for a in page.get("/Annots") or ())
    return any(_script_action(holder.get(key)) for holder in holders for key in _ACTION_KEYS)


def _script_action(action, depth: int = 0) -> bool:
    if action is None or depth > 8:
        return False
    action = action.get_object()
    if not hasattr(action, "keys"):
        return False
    if action.get("/S") == "/JavaScript" or any(k in action for k in _SCRIPT_KEYS):
        return True
    # Additional-actions dictionaries map triggers to actions; /Next chains actions.
    return any(_script_action(action.get(k), depth + 1) for k in action if k != "/Parent")


def _texts(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise ReadError("This file is not a PDF I can read; it may be damaged.") from None
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_bounded().replace("\r\n", "\n"))
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def page_image(data: bytes, index: int, dpi: int = SCAN_DPI):
    """Page `index` of a PDF as a grayscale image, for OCR of a scan."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return document[index].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        document.close()
