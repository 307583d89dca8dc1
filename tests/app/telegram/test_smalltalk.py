"""Small talk is matched by its normalized words, in English and Spanish, never searched."""

from __future__ import annotations

import pytest

from bot.app.telegram.language import detect_language
from bot.app.telegram.smalltalk import normalize, small_talk

CASES = [
    # (message, intent or None, exemplar language)
    ("hi", "greeting", "en"),
    ("Hello!!", "greeting", "en"),
    ("thank you so much 🙏", "thanks", "en"),
    ("Thaaanks", "thanks", "en"),  # letters repeated for warmth
    ("ok", "ack", "en"),
    ("OK.", "ack", "en"),
    ("¡Muchas gracias!", "thanks", "es"),
    ("Buenos días", "greeting", "es"),
    ("do you speak spanish?", "language", "en"),
    ("¿Habla español?", "language", "es"),
    ("ok so how long do I have to answer the complaint", None, None),  # a question
    ("Should I file my letter to defense counsel?", None, None),
]


@pytest.mark.parametrize(("message", "intent", "lang"), CASES, ids=[c[0] for c in CASES])
def test_small_talk_by_words(message: str, intent: str | None, lang: str | None) -> None:
    found = small_talk(message)
    assert (found.intent if found else None) == intent
    assert (found.lang if found else None) == lang


def test_normalize_folds_case_accents_punctuation_and_repeats() -> None:
    assert normalize("¡¡Graaacias, Señor!!") == "gracias senor"


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("¿Cuánto tiempo tiene mi hijo para contestar la demanda?", "es"),
        ("How long does my son have to answer the complaint?", "en"),
        ("ok", None),  # one word: the chat keeps its language
    ],
)
def test_language_detection(message: str, lang: str | None) -> None:
    assert detect_language(message) == lang
