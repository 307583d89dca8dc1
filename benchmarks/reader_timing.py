"""How long reading an order takes: a 5-page text PDF and 3 phone photos, side by side.

Run from the project root (photos need Tesseract):

    python benchmarks/reader_timing.py [--repeat 3]

Prints, with the load average: `procbot read` on a 5-page text PDF as a fresh process (imports
included), the same through `read_files` in a warm process (the bot), and 3 phone photos of
pleading paper through `read_files` (OCR, two pages at a time). Targets: <= 2 s and <= 20 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reader_common import REPO, load_average

sys.path.insert(0, str(REPO / "tests" / "reader"))
from sample_order import ORDER

from bot.reader.ocr import missing
from bot.reader.pleading import page_images, phone_photo, pleading_pdf
from bot.reader.read import Upload, read_files


def timed(run, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load average at start: {load_average()} on {os.cpu_count()} CPUs")
    five, printed = pleading_pdf(ORDER[:4] + [ORDER[4]] * 60 + ORDER[5:])
    pages = printed[-1].page
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "order.pdf"
        path.write_bytes(five)
        env = {**os.environ, "PROCBOT_DATA_DIR": folder}
        cold = timed(
            lambda: subprocess.run(
                [sys.executable, "-m", "bot", "read", str(path)], cwd=REPO, env=env,
                check=True, capture_output=True,
            ),
            args.repeat,
        )  # fmt: skip
    rows.append((f"`procbot read`, {pages}-page text PDF, new process", cold, 2.0))
    read_files([Upload("warm.pdf", five)])
    warm = timed(lambda: read_files([Upload("order.pdf", five)]), args.repeat)
    rows.append((f"read_files, {pages}-page text PDF, warm", warm, 2.0))
    if reason := missing():
        print(f"photos skipped: {reason}")
    else:
        data, _ = pleading_pdf(ORDER[:4] + [ORDER[4]] * 18 + ORDER[5:])
        photos = [
            Upload(f"p{i}.jpg", phone_photo(im, seed=i)) for i, im in enumerate(page_images(data))
        ]
        read_files(photos[:1])  # loads Tesseract's model once, as a running bot has
        ocr = timed(lambda: read_files(photos), args.repeat)
        rows.append((f"read_files, {len(photos)} phone photos (OCR)", ocr, 20.0))
    print("\n| what | median s | max s | target s |")
    print("|---|---|---|---|")
    for name, times, target in rows:
        print(f"| {name} | {statistics.median(times):.2f} | {max(times):.2f} | ≤ {target:.0f} |")
    print(f"\nload average at end: {load_average()}")


if __name__ == "__main__":
    main()
