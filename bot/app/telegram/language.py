"""Which language a message is in (English or Spanish), by lingua over the two languages only."""

from __future__ import annotations

import re
from functools import cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

#: A single word is often the same in both languages ("no", "ok", "Rule"): not enough to tell.
MIN_WORDS = 2
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CODES = {Language.ENGLISH: "en", Language.SPANISH: "es"}
#: The languages a date is read in (dateparser's codes) for a chat in each language, its own
#: first: a Spanish reader may still write "March 3".
DATE_LANGUAGES = {"en": ("en",), "es": ("es", "en")}


@cache
def _detector() -> LanguageDetector:
    # Two languages only: smaller models to load and no third language to confuse short texts.
    return LanguageDetectorBuilder.from_languages(*_CODES).build()


def detect_language(message: str) -> str | None:
    """'en' or 'es', or None when the message has too few words to tell."""
    if len(_WORD.findall(message)) < MIN_WORDS:
        return None
    found = _detector().detect_language_of(message)
    return _CODES.get(found) if found else None
