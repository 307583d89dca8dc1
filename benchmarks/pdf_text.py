"""Which PDF library reads court orders best: pypdf, pypdfium2 and pdfplumber side by side.

Run from the project root (needs the corpora in ../shared):

    python benchmarks/pdf_text.py [--limit 48]

Every order in the corpora is printed on pleading paper (bot/reader/pleading.py: 28 numbered
lines a page) as a text-layer PDF; each library extracts its text, the order parser removes the
line numbers, and the table gives, per library: character error rate against the printed text,
page:line pinpoint accuracy, and the median milliseconds per page.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

from reader_common import cer, corpus_orders, load_average, pinpoint_accuracy, reference

from bot.ingest.parse_order import order_text
from bot.reader.pleading import pleading_pdf


def with_pypdf(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def with_pypdfium2(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    texts = [page.get_textpage().get_text_bounded() for page in document]
    document.close()
    return texts


def with_pdfplumber(data: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


LIBRARIES = {"pypdf": with_pypdf, "pypdfium2": with_pypdfium2, "pdfplumber": with_pdfplumber}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="Orders to use (default all).")
    args = parser.parse_args()
    print(f"load average at start: {load_average()}")
    orders = corpus_orders(args.limit)
    scores = {name: {"cer": [], "pinpoint": [], "ms_page": []} for name in LIBRARIES}
    pages = 0
    for order in orders:
        data, printed = pleading_pdf(order.paragraphs)
        count = printed[-1].page if printed else 1
        pages += count
        truth = reference(printed)
        for name, extract in LIBRARIES.items():
            started = time.perf_counter()
            texts = extract(data)
            elapsed = time.perf_counter() - started
            read = order_text("\n".join(texts))
            scores[name]["cer"].append(cer(truth, read.text))
            scores[name]["pinpoint"].append(pinpoint_accuracy(printed, read))
            scores[name]["ms_page"].append(1000 * elapsed / count)
    print(f"{len(orders)} orders, {pages} pages of pleading paper\n")
    print("| library | mean CER | worst CER | pinpoint accuracy | median ms/page |")
    print("|---|---|---|---|---|")
    for name, got in scores.items():
        print(
            f"| {name} | {statistics.mean(got['cer']):.2%} | {max(got['cer']):.2%} "
            f"| {statistics.mean(got['pinpoint']):.1%} | {statistics.median(got['ms_page']):.1f} |"
        )


if __name__ == "__main__":
    main()
