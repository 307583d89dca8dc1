"""What an upload may be (bytes, pages, photos, pixels, seconds), and the error that says not."""

from __future__ import annotations

from bot.core.errors import ProcbotError

MB = 1024 * 1024
#: Telegram bots may download files up to 20 MB; a court order is far smaller.
MAX_BYTES = 20 * MB
MAX_PAGES = 40
MAX_PHOTOS = 10
#: Pixels in one image: a 48-megapixel phone photo fits; Pillow refuses larger as a bomb.
MAX_PIXELS = 50_000_000
#: Seconds of work for one upload before it is abandoned.
MAX_SECONDS = 120.0
#: Characters of text a page must average for its text layer to be used instead of OCR.
TEXT_LAYER_MIN_CHARS = 100


class ReadError(ProcbotError):
    """An upload procbot cannot or will not read; the message says why and what to do."""
