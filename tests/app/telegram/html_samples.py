"""Real texts the Telegram HTML tests render (an order's sentences, a rule), and the checks
every split part must pass."""

from __future__ import annotations

import re

from emulator import check_telegram_html  # tests/telegram/emulator.py, the harness

from bot.app.telegram.html import MESSAGE_LIMIT, PART_BUDGET, strip_tags, utf16_len

# Masterson v. Killen, No. 1:11-cv-01179 (E.D. Cal. Nov. 24, 2014) (knowledge/), Doc. 44.
MASTERSON_HOLDING = (
    "Plaintiff's request to meet and confer should not have been filed with the court."
)
MASTERSON_DISCOVERY = (
    "Plaintiff is advised that discovery is meant to be conducted among the parties only, "
    "without notice to the court, unless a discovery dispute arises."
)
MASTERSON_CORRESPONDENCE = (
    "Correspondence between the parties during discovery should not be filed with the court "
    "unless it is at issue, such as when a motion to compel is filed."
)
# Fed. R. Civ. P. 26(b)(1), frcp-2022-12-01.md (hyphenation break "discov- ery" as converted).
RULE_26_B_1 = (
    "(1) Scope in General. Unless otherwise limited by court order, the scope of discovery is "
    "as follows: Parties may obtain discov- ery regarding any nonprivileged matter that is "
    "relevant to any party’s claim or defense and proportional to the needs of the case, "
    "considering the importance of the issues at stake in the action, the amount in "
    "controversy, the parties’ relative access to relevant information, the parties’ "
    "resources, the impor- tance of the discovery in resolving the issues, and whether the "
    "burden or expense of the proposed discovery outweighs its likely benefit."
)


def assert_valid_parts(parts: list[str], original_html: str) -> None:
    for part in parts:
        assert utf16_len(part) <= PART_BUDGET < MESSAGE_LIMIT
        check_telegram_html(part)
        assert strip_tags(part).strip(), "empty part"
    # Every visible character survives, in order (whitespace at the cuts may differ).
    visible = "".join(strip_tags(p) for p in parts)
    assert re.sub(r"\s", "", visible) == re.sub(r"\s", "", strip_tags(original_html))
    markers = re.compile(r"\[\d+\]")
    assert sum(len(markers.findall(p)) for p in parts) == len(markers.findall(original_html))
