"""An independent check: a court's own count in a real order, recomputed by the engine."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from bot.deadlines.compute import compute
from bot.deadlines.model import Counting

REPO = Path(__file__).resolve().parents[2]
PLUS = Path(os.environ.get("PROCBOT_CORPUS_PLUS", REPO.parent / "shared" / "corpus-plus"))

# (order file, the order's own words, trigger, days, court, the date the order gives).
# The rule texts in the corpora carry no worked examples of Rule 6; orders that state both a
# trigger and the resulting date are the closest thing, and this is the one the corpora hold.
EXAMPLES = [
    (
        "orders/ndcal-saddozai-v-atchley-2024-01-10.txt",
        "On November 20, 2023, Defendant filed a motion for summary judgment. Dkt. No. 72. "
        "Plaintiff's opposition was due 28 days later, i.e., by December 18, 2023",
        date(2023, 11, 20),
        28,
        "N.D. Cal.",
        date(2023, 12, 18),
    ),
]


@pytest.mark.corpus
@pytest.mark.parametrize(("path", "words", "trigger", "days", "court", "stated"), EXAMPLES)
def test_engine_agrees_with_the_court(path, words, trigger, days, court, stated) -> None:
    source = PLUS / path
    if not source.is_file():
        pytest.skip(f"corpus-plus not found at {PLUS}")
    assert words in source.read_text(encoding="utf-8")  # the example is the court's, verbatim
    # A period from filing (e-filed, so no service days): Nov 23 (Thanksgiving) and Nov 24
    # (California's day after) are intermediate days and count (6(a)(1)(B)).
    assert compute(trigger, days, None, Counting.AFTER, court).due == stated
