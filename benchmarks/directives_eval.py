"""Directive extraction scored against evals/directives.yaml (labelled by hand from real orders).

Run from the project root (needs the corpora in ../shared):

    python benchmarks/directives_eval.py [--show]

Precision and recall of directives and of consequences over every labelled order: a labelled
sentence is found when an extracted sentence contains its anchor; an extracted sentence that
holds no labelled anchor at all counts as a false positive too. For directives with a period:
days and trigger agreement, and every due date the labels give, computed by the reader.
"""

from __future__ import annotations

import argparse
import sys

import yaml
from reader_common import FOLDERS, REPO

from bot.ingest.load import read_document
from bot.ingest.parse_order import order_text, split_docket_text
from bot.reader.dates import due_date
from bot.reader.extract import SERVED_BY_MAIL, extract

LABELS = REPO / "evals" / "directives.yaml"


def fold(text: str) -> str:
    text = text.replace("’", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split()).lower()


def locate(stem: str):
    for folder in FOLDERS:
        path = folder / f"{stem}.txt"
        if path.is_file():
            return path
    sys.exit(f"{stem}: not in the corpora")


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="Print every miss.")
    args = parser.parse_args()
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))["orders"]
    tally = {k: {"tp": 0, "fp": 0, "fn": 0} for k in ("directive", "consequence")}
    days_right = days_total = trigger_right = due_right = due_total = 0
    for entry in labels:
        document = read_document(locate(entry["order"]))
        _, body = split_docket_text(document.body)
        found = extract(order_text(body))
        kinds = {"directive": found.directives, "consequence": found.consequences}
        for kind, extracted in kinds.items():
            texts = [fold(x.text) for x in extracted]
            # A sentence the splitter left joined to a labelled one is right for that label.
            right = {
                i
                for item in entry["sentences"]
                if item.get(kind)
                for i, t in enumerate(texts)
                if fold(item["anchor"]) in t
            }
            matched = set()
            for item in entry["sentences"]:
                anchor = fold(item["anchor"])
                hit = [i for i, t in enumerate(texts) if anchor in t]
                matched.update(hit)
                truth = bool(item.get(kind))
                if truth and hit:
                    tally[kind]["tp"] += 1
                elif truth:
                    tally[kind]["fn"] += 1
                    if args.show:
                        print(f"MISS {kind} {entry['order']}: {item['anchor']}")
                elif hit and not set(hit) <= right:
                    tally[kind]["fp"] += 1
                    if args.show:
                        print(f"FALSE {kind} {entry['order']}: {item['anchor']}")
                if kind == "directive" and truth and item.get("period") and hit:
                    directive = extracted[hit[0]]
                    days_total += 1
                    period = directive.period
                    want = item["period"]
                    days_right += bool(period and period.days == want["days"])
                    trigger_right += bool(period and period.trigger == want["trigger"])
                    if args.show and not (period and period.trigger == want["trigger"]):
                        print(f"PERIOD {entry['order']}: {period} != {want}")
                    if item.get("due"):
                        due_total += 1
                        by_mail = directive.actor in SERVED_BY_MAIL
                        got = (
                            period and due_date(period, document.date, by_mail, document.court).due
                        )
                        due_right += got == item["due"]
                        if args.show and got != item["due"]:
                            print(f"DUE {entry['order']}: {got} != {item['due']}")
            for i, text in enumerate(texts):
                if i not in matched:
                    tally[kind]["fp"] += 1
                    if args.show:
                        print(f"UNLABELLED {kind} {entry['order']}: {text[:120]}")
    print("| what | labelled | precision | recall |")
    print("|---|---|---|---|")
    for kind, t in tally.items():
        p, r = ratio(t["tp"], t["tp"] + t["fp"]), ratio(t["tp"], t["tp"] + t["fn"])
        print(f"| {kind} | {t['tp'] + t['fn']} | {p:.2f} | {r:.2f} |")
    print(
        f"\nperiods: days right {days_right}/{days_total}, "
        f"trigger right {trigger_right}/{days_total}"
    )
    print(f"due dates right: {due_right}/{due_total}")


if __name__ == "__main__":
    main()
