"""Shared by the reader benchmarks: real orders from the corpora as printable paragraphs, and
the two measures (character error rate, page:line pinpoint accuracy)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.core.text import split_sentences  # noqa: E402
from bot.ingest.load import read_document  # noqa: E402
from bot.ingest.parse_order import OrderText, order_text, split_docket_text  # noqa: E402
from bot.reader.pleading import PrintedLine, printable  # noqa: E402

SHARED = Path(os.environ.get("PROCBOT_SHARED", REPO.parent / "shared"))
FOLDERS = (SHARED / "corpus" / "orders" / "edcal", SHARED / "corpus-plus" / "orders")
PARAGRAPH_CHARS = 700


@dataclass(frozen=True)
class CorpusOrder:
    name: str
    paragraphs: list[str]


def corpus_orders(limit: int | None = None) -> list[CorpusOrder]:
    """Each corpus order's clean text (its own line numbers removed) cut into paragraphs."""
    files = sorted(p for folder in FOLDERS if folder.is_dir() for p in folder.glob("*.txt"))
    if not files:
        sys.exit(f"No orders under {', '.join(map(str, FOLDERS))}: the corpora are needed.")
    orders = []
    for path in files[:limit]:
        _, body = split_docket_text(read_document(path).body)
        text = order_text(body).text
        paragraphs, current = [], ""
        for start, end in split_sentences(text):
            current = f"{current} {text[start:end]}".strip()
            if len(current) >= PARAGRAPH_CHARS:
                paragraphs.append(current)
                current = ""
        if current:
            paragraphs.append(current)
        orders.append(CorpusOrder(path.stem, paragraphs))
    return orders


def reference(printed: list[PrintedLine]) -> str:
    return " ".join(line.text for line in printed)


def cer(truth: str, hypothesis: str) -> float:
    """Character error rate (jiwer) over whitespace-normalised text."""
    import jiwer

    return jiwer.cer(" ".join(printable(truth).split()), " ".join(hypothesis.split()))


def pinpoint_accuracy(printed: list[PrintedLine], read: OrderText) -> float:
    """Share of printed lines (of 20+ characters) whose text the parser places on its page:line.

    Each line is located in the read text by fuzzy alignment (rapidfuzz), searching forward
    from the previous line, so OCR errors do not hide a line and repeats are not confused.
    """
    from rapidfuzz import fuzz

    if not read.lines:
        return 0.0
    cursor, right, counted = 0, 0, 0
    for line in printed:
        if len(line.text) < 20:
            continue
        counted += 1
        window = read.text[cursor : cursor + 4 * len(line.text) + 200]
        found = fuzz.partial_ratio_alignment(line.text, window, score_cutoff=70)
        if found is None:
            continue
        start = cursor + found.dest_start
        end = cursor + found.dest_end
        middle = (start + end) // 2
        where = read.pinpoint(middle, middle + 1)
        if where == f"{line.page}:{line.line}":
            right += 1
        cursor = max(cursor, end - 5)
    return right / counted if counted else 0.0


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
