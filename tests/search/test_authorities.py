"""Passages by authority: the enclosing ids of the citation grammar and the index's order."""

from __future__ import annotations

import pytest

from bot.core.types import DocKind, Passage
from bot.search.authorities import AuthorityIndex, enclosing


@pytest.mark.parametrize(
    ("authority", "expected"),
    [
        # a rule subdivision: each enclosing level, innermost first
        (
            "Fed. R. Civ. P. 5(d)(1)(A)",
            ["Fed. R. Civ. P. 5(d)(1)", "Fed. R. Civ. P. 5(d)", "Fed. R. Civ. P. 5"],
        ),
        # a statute subsection
        ("28 U.S.C. § 1915(e)(1)", ["28 U.S.C. § 1915(e)", "28 U.S.C. § 1915"]),
        # a local rule
        ("E.D. Cal. L.R. 230(l)", ["E.D. Cal. L.R. 230"]),
        # a whole rule has nothing around it
        ("Fed. R. Civ. P. 26", []),
        # an id the citation grammar refuses (the Civil Rules end at 87) encloses nothing
        ("Fed. R. Civ. P. 99(a)", []),
    ],
)
def test_enclosing_ids(authority, expected) -> None:
    assert enclosing(authority) == expected


def _rule(authority: str, mentions: tuple[str, ...] = ()) -> Passage:
    return Passage(
        passage_id=authority or "order",
        doc_id="frcp",
        kind=DocKind.RULES if authority else DocKind.ORDER,
        text="text",
        label="label",
        position=0,
        authority=authority or None,
        mentions=mentions,
    )


def test_authority_index_orders_exact_inside_around_citing() -> None:
    passages = [
        _rule("Fed. R. Civ. P. 26"),
        _rule("Fed. R. Civ. P. 26(b)(1)"),
        _rule("Fed. R. Civ. P. 26(b)"),
        _rule("", mentions=("Fed. R. Civ. P. 26(b)(1)",)),
        _rule("Fed. R. Civ. P. 5(d)"),
    ]
    index = AuthorityIndex(passages)
    # 26(b) itself, then 26(b)(1) inside it, then 26 around it, then the order citing 26(b)(1)
    assert list(index.related("Fed. R. Civ. P. 26(b)")) == [2, 1, 0, 3]
    assert index.knows("Fed. R. Civ. P. 26(b)(1)")
    assert not index.knows("Fed. R. Civ. P. 37")
