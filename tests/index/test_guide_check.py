"""Guide verification: anchors found verbatim in their authority, facts kept, sources waited for."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.core.guide_types import Guide
from bot.index.guide_check import find_anchor, fold, verify_guides
from bot.ingest.chunk import passages as chunk_passages
from bot.ingest.guides import read_guides
from bot.ingest.load import read_documents

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "guides"


@pytest.fixture(scope="module")
def masterson_entries():
    from bot.core.settings import SHIPPED_KNOWLEDGE

    documents, _ = read_documents([SHIPPED_KNOWLEDGE])
    return [(d, chunk_passages(d)) for d in documents]


@pytest.fixture(scope="module")
def fixture_guides() -> dict[str, Guide]:
    guides, errors = read_guides([FIXTURES])
    assert not errors
    return {g.id: g for g in guides}


def _with_point(guide: Guide, n: int, **changes: str) -> Guide:
    points = list(guide.points)
    points[n] = replace(points[n], **changes)
    return replace(guide, points=tuple(points))


def test_masterson_guides_are_served_with_verbatim_quotes(masterson_entries, fixture_guides):
    check = verify_guides(fixture_guides.values(), masterson_entries)
    served = {v.guide.id: v for v in check.served}
    assert set(served) == {
        "fixture-letters-stay-between-parties",
        "fixture-settlement-talks-private",
    }
    by_id = {p.passage_id: p for _, found in masterson_entries for p in found}
    for verified in served.values():
        for point, anchor in zip(verified.guide.points, verified.anchors, strict=True):
            quote = by_id[anchor.passage_id].text[anchor.start : anchor.end]
            assert fold(quote)[0] == fold(point.anchor)[0]
    assert check.failed == ()


def test_guides_whose_authority_is_not_indexed_wait_in_one_line(masterson_entries, fixture_guides):
    check = verify_guides(fixture_guides.values(), masterson_entries)
    assert dict(check.waiting) == {
        "fixture-discovery-requests-not-filed": "Fed. R. Civ. P.",
        "fixture-time-to-appeal": "Fed. R. App. P.",
    }
    assert check.waiting_line() == (
        "2 guides wait for sources: Fed. R. App. P. (1), Fed. R. Civ. P. (1)"
    )


def test_rule_guide_is_served_once_its_rule_is_indexed(
    masterson_entries, sample_entries, fixture_guides
):
    # sample_entries hold the real text of Fed. R. Civ. P. 5(d)(1)(A), which the guide cites.
    check = verify_guides(
        [fixture_guides["fixture-discovery-requests-not-filed"]],
        [*masterson_entries, *sample_entries],
    )
    (verified,) = check.served
    rule_passage = next(
        p
        for _, found in sample_entries
        for p in found
        if p.passage_id == verified.anchors[0].passage_id
    )
    assert rule_passage.authority == "Fed. R. Civ. P. 5(d)(1)(A)"


def test_a_missing_rule_of_an_indexed_book_waits_for_that_rule(sample_entries, fixture_guides):
    guide = _with_point(
        fixture_guides["fixture-discovery-requests-not-filed"], 0, cite="Fed. R. Civ. P. 33(b)(2)"
    )
    check = verify_guides([guide], sample_entries)
    assert check.waiting == ((guide.id, "Fed. R. Civ. P. 33"),)


# Each row changes point 0 of the Masterson letters guide; verification must fail it, naming
# the file, the guide and why.
FAILING = [
    # one word of the quote changed: not verbatim
    (
        {"anchor": "Correspondence between the parties during discovery must not be filed"},
        "anchor is not in the indexed text",
    ),
    # the quote is real, but from another authority than the one cited
    (
        {
            "cite": "Fed. R. Civ. P. 5(d)(1)(A)",
            "anchor": "Correspondence between the parties during discovery should not be filed",
        },
        "anchor is not in the indexed text of Fed. R. Civ. P. 5(d)(1)(A)",
    ),
    # a number the anchor does not state (an invented deadline)
    (
        {"text": "Letters to the other side's lawyer are not filed; keep them for 14 days."},
        "number 14",
    ),
    # ... also in the Spanish text
    ({"text_es": "Las cartas no se presentan durante 30 días."}, "number 30"),
    # a rule the point names that is neither its cite nor in its anchor
    (
        {"text": "Under Rule 37(a) letters between the parties are not filed with the court."},
        "Fed. R. Civ. P. 37(a)",
    ),
    # a case the point names that is neither the cited order nor in its anchor
    (
        {"text": "As in Smith v. Jones, letters between the parties are not filed."},
        "Smith v. Jones",
    ),
]


@pytest.mark.parametrize(("changes", "said"), FAILING)
def test_a_point_that_says_more_than_its_anchor_fails(
    masterson_entries, sample_entries, fixture_guides, changes, said
):
    guide = _with_point(fixture_guides["fixture-letters-stay-between-parties"], 0, **changes)
    check = verify_guides([guide], [*masterson_entries, *sample_entries])
    (error,) = check.failed
    assert check.served == () and check.waiting == ()
    assert guide.path in str(error) and guide.id in str(error) and said in str(error)


PASSING = [
    # rules the point names that its anchor names (the order cites the local rules)
    (
        {
            "text": "Discovery papers are filed only when Local Rules 250.2, 250.3, and 250.4 "
            "require it.",
            "anchor": "unless required by Local Rules 250.2, 250.3, and 250.4",
        }
    ),
    # the cited order's own case name
    ({"text": "In Masterson v. Killen the court said letters between the parties are not filed."}),
    # the anchor typed with other spacing, case and a line-end hyphen
    ({"anchor": "correspondence between the  parties during dis- covery should not be FILED"}),
]


@pytest.mark.parametrize("changes", PASSING)
def test_points_that_keep_to_their_anchor_pass(masterson_entries, fixture_guides, changes):
    guide = _with_point(fixture_guides["fixture-letters-stay-between-parties"], 0, **changes)
    check = verify_guides([guide], masterson_entries)
    assert [v.guide.id for v in check.served] == [guide.id], check.failed


def test_find_anchor_maps_folded_match_back_to_the_passage(masterson_entries):
    passage = next(p for _, found in masterson_entries for p in found if "Correspondence" in p.text)
    found = find_anchor("“Correspondence between the parties”", passage)
    assert found is not None
    assert passage.text[found.start : found.end] == "Correspondence between the parties"
    assert find_anchor("Correspondence among the parties", passage) is None


def test_point_with_an_unknown_docket_waits_for_that_order(masterson_entries, fixture_guides):
    guide = _with_point(
        fixture_guides["fixture-settlement-talks-private"], 1, cite="2:17-cv-00201-DAD-GSA-PC"
    )
    check = verify_guides([guide], masterson_entries)
    assert check.waiting == ((guide.id, "court orders"),)


def test_an_anchor_both_prints_hold_is_quoted_from_the_newer(
    masterson_entries, sample_entries, fixture_guides
):
    # The same words of Rule 5(d)(1)(A) in a later print of the Civil Rules, listed first and
    # last: either way the guide quotes the newer text, the one lookups and search serve.
    older = [
        (d, [replace(p, version_date="2022-12-01") for p in found])
        for d, found in sample_entries
        if d.doc_id.startswith("frcp")
    ]
    newer = [
        (
            replace(d, doc_id=f"{d.doc_id}-2024", version="2024-12-01"),
            [
                replace(
                    p,
                    passage_id=f"{p.passage_id}-2024",
                    doc_id=f"{p.doc_id}-2024",
                    version_date="2024-12-01",
                )
                for p in found
            ],
        )
        for d, found in older
    ]
    guide = fixture_guides["fixture-discovery-requests-not-filed"]
    for entries in ([*masterson_entries, *older, *newer], [*masterson_entries, *newer, *older]):
        (verified,) = verify_guides([guide], entries).served
        assert verified.anchors[0].passage_id.endswith("-2024")
