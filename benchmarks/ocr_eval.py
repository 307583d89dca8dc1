"""OCR of real orders printed on pleading paper: character error rate and page:line accuracy.

Run from the project root (needs the corpora in ../shared and Tesseract):

    python benchmarks/ocr_eval.py [--orders 8] [--pages 2]

Each order's clean text is printed on pleading paper (bot/reader/pleading.py), rendered at
200 dpi, and read back through the reader's OCR (bot/reader/ocr.py) twice: as a flatbed scan
(clean) and as a phone photo (tilted up to 3 degrees, shaded, blurred, noisy, JPEG). The order
parser then removes the line numbers; CER is measured (jiwer) against the printed text, and
pinpoint accuracy is the share of printed lines the parser places on their page:line.
Targets: CER <= 2% clean, <= 5% phone-like.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

from reader_common import cer, corpus_orders, load_average, pinpoint_accuracy, reference

from bot.ingest.parse_order import order_text
from bot.reader.ocr import in_page_order, missing, ocr_image
from bot.reader.pleading import page_images, phone_photo, pleading_pdf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--orders", type=int, default=8, help="Orders to print (spread over the corpora)."
    )
    parser.add_argument("--pages", type=int, default=2, help="Pages per order at most.")
    args = parser.parse_args()
    if reason := missing():
        raise SystemExit(reason)
    from PIL import Image

    print(f"load average at start: {load_average()}")
    every = corpus_orders()
    step = max(1, len(every) // args.orders)
    chosen = every[::step][: args.orders]
    results = {"clean": {"cer": [], "pin": [], "s": []}, "phone": {"cer": [], "pin": [], "s": []}}
    pages_read = 0
    for n, order in enumerate(chosen):
        _, printed_all = pleading_pdf(order.paragraphs)
        keep = [line for line in printed_all if line.page <= args.pages]
        lines_per_page = {line.page for line in keep}
        data, _ = pleading_pdf(order.paragraphs)
        scans = page_images(data)[: len(lines_per_page) or 1]
        pages_read += len(scans)
        truth = reference(keep)
        variants = {
            "clean": scans,
            "phone": [
                Image.open(io.BytesIO(phone_photo(s, seed=n * 10 + i))) for i, s in enumerate(scans)
            ],
        }
        for name, images in variants.items():
            started = time.perf_counter()
            pages = in_page_order([ocr_image(image) for image in images])
            elapsed = time.perf_counter() - started
            read = order_text("\n".join(p.text for p in pages))
            results[name]["cer"].append(cer(truth, read.text))
            results[name]["pin"].append(pinpoint_accuracy(keep, read))
            results[name]["s"].append(elapsed / len(images))
        print(
            f"{order.name[:40]:<40} pages={len(scans)} "
            + " ".join(
                f"{k}: CER {v['cer'][-1]:.2%} pin {v['pin'][-1]:.0%}" for k, v in results.items()
            )
        )
    print(f"\n{len(chosen)} orders, {pages_read} pages, each read as a scan and as a phone photo\n")
    print("| variant | mean CER | worst CER | pinpoint accuracy | median s/page | target CER |")
    print("|---|---|---|---|---|---|")
    for name, target in (("clean", "≤ 2%"), ("phone", "≤ 5%")):
        got = results[name]
        print(
            f"| {name} | {statistics.mean(got['cer']):.2%} | {max(got['cer']):.2%} "
            f"| {statistics.mean(got['pin']):.1%} | {statistics.median(got['s']):.1f} | {target} |"
        )


if __name__ == "__main__":
    main()
