"""Versions of one book indexed side by side: which passages a newer version supersedes."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.cite_parse import rule_of
from bot.core.types import Passage
from bot.index.passage_keys import PassageKey


def _official(p: Passage | PassageKey) -> bool:
    return bool(p.authority and p.version_date and not p.provenance)


def superseded(passages: Sequence[Passage | PassageKey]) -> list[bool]:
    """Per passage: True when a newer version of its book has the same rule.

    With the 2022 and 2024 Civil Rules indexed, every passage of the 2022 Rule 12 is superseded
    (the 2024 text has Rule 12, amended); the 2022 Rule 56, which the 2024 file lacks, is not.
    Quoted wordings (provenance) and undated texts are never superseded.
    """
    newest: dict[str, str] = {}
    for p in passages:
        if _official(p):
            rule = rule_of(p.authority or "")
            newest[rule] = max(newest.get(rule, ""), p.version_date or "")
    return [
        _official(p) and (p.version_date or "") < newest[rule_of(p.authority or "")]
        for p in passages
    ]
