"""Flesch-Kincaid grade (textstat) of guide points, per guide and per point, and of our strings.

Run from the project root:

    python benchmarks/reading_level.py [--worst 10]

A person reads one guide's points together as the answer, so the measure that counts is each
guide's points joined (tests/app/telegram/test_reading_level.py holds each to grade 8); the
per-point grades show where the hard sentences are. Interface strings and refusals are measured
the way that test measures them (tags, commands and <code> removed).
"""

from __future__ import annotations

import argparse
import html
import re
import statistics
import sys
from pathlib import Path

import textstat
import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.app.telegram.strings import all_strings, text  # noqa: E402

MAX_GRADE = 8.0
_TAG = re.compile(r"<[^>]+>")
_CODE = re.compile(r"/\w+(?: [\w.()]+)?|<code>.*?</code>")
REFUSALS = ("out_of_scope", "advice", "drafting", "injection", "not_in_sources")


def plain(words: str) -> str:
    return html.unescape(_TAG.sub("", _CODE.sub("", words)))


def grade(words: list[str]) -> float:
    return textstat.flesch_kincaid_grade(" ".join(plain(w) for w in words))


def guides() -> dict[str, list[str]]:
    """Each guide id with its points' English text, from knowledge/guides/*.yaml."""
    out: dict[str, list[str]] = {}
    for path in sorted((REPO / "knowledge" / "guides").glob("*.yaml")):
        for guide in yaml.safe_load(path.read_text(encoding="utf-8")).get("guides", []):
            out[guide["id"]] = [point["text"] for point in guide["points"]]
    return out


def spread(name: str, grades: list[float], unit: str) -> str:
    over = sum(g > MAX_GRADE for g in grades)
    return (
        f"{name}: {over} of {len(grades)} {unit} > {MAX_GRADE:g}; min {min(grades):.1f}, "
        f"median {statistics.median(grades):.1f}, max {max(grades):.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worst", type=int, default=10, help="list this many hardest guides")
    args = parser.parse_args()
    table = guides()
    per_guide = {gid: grade(points) for gid, points in table.items()}
    per_point = [grade([p]) for points in table.values() for p in points]
    print(spread("guides (points joined)", list(per_guide.values()), "guides"))
    print(spread("guide points (each alone)", per_point, "points"))
    print(f"all guide points joined: {grade([p for ps in table.values() for p in ps]):.1f}")
    print(f"interface strings (en, joined): {grade(all_strings('en')):.1f}")
    strings = [grade([s]) for s in all_strings("en") if len(plain(s).split()) >= 5]
    print(spread("interface strings (en, each of 5+ words)", strings, "strings"))
    refusals = [text(f"refusals.{r}") for r in REFUSALS] + [text("can_do")]
    print(f"refusals (joined): {grade(refusals):.1f}")
    print(f"help: {grade([text('help')]):.1f}")
    worst = sorted(per_guide.items(), key=lambda kv: -kv[1])[: args.worst]
    print("hardest guides: " + ", ".join(f"{gid} {g:.1f}" for gid, g in worst))


if __name__ == "__main__":
    main()
