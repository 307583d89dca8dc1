"""procbot's own words read at grade 8 or below (Flesch-Kincaid, by textstat)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import textstat
import yaml

from bot.app.telegram.strings import all_strings, text

REPO = Path(__file__).resolve().parents[3]
MAX_GRADE = 8.0
_TAG = re.compile(r"<[^>]+>")
# Commands and rule numbers are what the person types, not prose to read.
_CODE = re.compile(r"/\w+(?: [\w.()]+)?|<code>.*?</code>")


def plain(words: str) -> str:
    return html.unescape(_TAG.sub("", _CODE.sub("", words)))


def guide_points() -> dict[str, list[str]]:
    """Each guide's id with its points' English text: what a person reads as one answer."""
    points = {}
    for path in sorted((REPO / "knowledge" / "guides").glob("*.yaml")):
        for guide in yaml.safe_load(path.read_text(encoding="utf-8")).get("guides", []):
            points[guide["id"]] = [point["text"] for point in guide["points"]]
    return points


GUIDES = guide_points()


GROUPS = [
    # (what, its words)
    ("help", lambda: [text("help")]),
    (
        "refusals",
        lambda: (
            [
                text(f"refusals.{r}")
                for r in ("out_of_scope", "advice", "drafting", "injection", "not_in_sources")
            ]
            + [text("can_do")]
        ),
    ),
    ("every interface string", lambda: all_strings("en")),
]


@pytest.mark.parametrize(("words",), [(g[1],) for g in GROUPS], ids=[g[0] for g in GROUPS])
def test_grade_8_or_below(words) -> None:
    prose = " ".join(plain(w) for w in words())
    assert len(prose.split()) >= 5
    grade = textstat.flesch_kincaid_grade(prose)
    assert grade <= MAX_GRADE, f"Flesch-Kincaid grade {grade:.1f}"


@pytest.mark.parametrize("guide_id", sorted(GUIDES))
def test_each_guide_reads_at_grade_8_or_below(guide_id: str) -> None:
    # One guide's points are read together as one answer: each answer must be plain.
    prose = " ".join(plain(p) for p in GUIDES[guide_id])
    grade = textstat.flesch_kincaid_grade(prose)
    assert grade <= MAX_GRADE, f"{guide_id}: Flesch-Kincaid grade {grade:.1f}"


def test_every_guide_is_measured() -> None:
    assert len(GUIDES) >= 100


def test_the_measure_can_fail() -> None:
    # A sentence from a court order's legal standard reads far above grade 8.
    legalese = (
        "Notwithstanding the foregoing, the magistrate judge's determination regarding the "
        "proportionality of the requested discovery necessitates consideration of the "
        "parties' relative access to relevant information and the burden or expense thereof."
    )
    assert textstat.flesch_kincaid_grade(legalese) > MAX_GRADE
