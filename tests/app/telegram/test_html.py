"""Telegram HTML splitting and lengths: escaped, balanced, below the limit, nothing lost."""

from __future__ import annotations

import pytest
from html_samples import (
    MASTERSON_CORRESPONDENCE,
    MASTERSON_DISCOVERY,
    MASTERSON_HOLDING,
    RULE_26_B_1,
    assert_valid_parts,
)

from bot.app.telegram.html import PART_BUDGET, split_messages, utf16_len

# Caption of Martin v. CDCR (E.D. Cal. May 8, 2024), orders/edcal: an ampersand to escape.
CDCR_CAPTION = "v. CALIFORNIA DEPARTMENT OF CORRECTIONS & REHABILITATION, et al."
# Hollis v. Bal (E.D. Cal.), orders/edcal: "ECF Nos. 93 & 100" in the caption.
HOLLIS_ECF = "ORDER DENYING HIS MOTION FOR A PROTECTIVE ORDER ECF Nos. 93 & 100"


LONG_BLOCK = "<b>" + " ".join([RULE_26_B_1] * 20) + "</b>"
LONG_QUOTE = "[1] Masterson v. Killen\n<blockquote>" + " ".join([MASTERSON_DISCOVERY] * 60)
LONG_QUOTE += "</blockquote>"
LONG_LINK = '<a href="https://www.uscourts.gov/rules">' + " ".join([RULE_26_B_1] * 12) + "</a>"
SPLIT_CASES = [
    # (id, blocks)
    ("short answer fits one part", [f"<b>{MASTERSON_HOLDING}</b> [1]"]),
    ("many blocks pack into few parts", [f"{MASTERSON_CORRESPONDENCE} [{n}]" for n in range(80)]),
    ("one over-long bold block", [LONG_BLOCK]),
    ("one over-long blockquote", ["<b>Sources</b>", LONG_QUOTE]),
    ("one over-long link", [LONG_LINK]),
    ("escaped ampersands", ["<i>" + " ".join([CDCR_CAPTION.replace("&", "&amp;")] * 200) + "</i>"]),
    ("lines of a long rule", ["\n".join([RULE_26_B_1] * 25), HOLLIS_ECF.replace("&", "&amp;")]),
    ("a word longer than a message", ["x" * 9000]),
    ("astral characters count twice", ["\U0001d400 " * 3000]),
]


@pytest.mark.parametrize(
    ("blocks",), [(c[1],) for c in SPLIT_CASES], ids=[c[0] for c in SPLIT_CASES]
)
def test_split_messages_keeps_tags_text_and_markers(blocks: list[str]) -> None:
    parts = split_messages(blocks)
    assert_valid_parts(parts, "\n\n".join(blocks))
    if utf16_len("\n\n".join(blocks)) > PART_BUDGET:
        assert len(parts) > 1


def test_over_long_block_breaks_at_sentence_ends() -> None:
    parts = split_messages([" ".join([MASTERSON_CORRESPONDENCE] * 60)])
    assert len(parts) > 1
    for part in parts[:-1]:
        assert part.rstrip().endswith("filed."), part[-60:]


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("Fed. R. Civ. P. 5(d)", 20),  # ASCII: one unit each
        ("28 U.S.C. § 1915(e)(1)", 22),  # § is in the BMP
        ("\U0001d400", 2),  # outside the BMP: a surrogate pair
    ],
)
def test_utf16_len(text: str, units: int) -> None:
    assert utf16_len(text) == units
