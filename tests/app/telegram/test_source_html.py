"""Telegram HTML of a rule's text: its version, heading and provenance, split below the limit."""

from __future__ import annotations

from html_samples import RULE_26_B_1, assert_valid_parts

from bot.app.telegram.source_html import rule_messages
from bot.core.types import RuleMatch


def test_rule_text_with_version_and_provenance() -> None:
    matches = [
        RuleMatch(
            authority="Fed. R. Civ. P. 26(b)(1)",
            label="Fed. R. Civ. P. 26(b)(1) (as amended to Dec. 1, 2022)",
            text=RULE_26_B_1,
            doc_id="frcp-2022-12-01",
            heading="Rule 26. Duty to Disclose; General Provisions Governing Discovery",
        ),
        # edcal-local-rules-quoted.md: L.R. 183(b), as quoted by an order.
        RuleMatch(
            authority="E.D. Cal. L.R. 183(b)",
            label="E.D. Cal. L.R. 183(b)",
            text="A party appearing in propria persona shall keep the Court and opposing parties "
            "advised as to his or her current address.",
            doc_id="edcal-local-rules-quoted",
            provenance="Quoted in: an E.D. Cal. order",
        ),
    ]
    parts = rule_messages(matches)
    text = "\n\n".join(parts)
    assert "<b>Fed. R. Civ. P. 26(b)(1) (as amended to Dec. 1, 2022)</b>" in text
    assert RULE_26_B_1 in text
    assert "not the official text" in text
    assert_valid_parts(parts, text)
