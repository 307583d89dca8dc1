"""Incremental runs keep and re-verify guides: adding, updating and removing documents or
guides files checks every guide against the passages the new generation serves."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from reliability_support import ORDER_TWO, live_records

from bot.core.errors import InputError
from bot.core.settings import Settings
from bot.index.build import build_index, remove_from_index, update_index
from bot.index.snapshot import load_snapshot, summarize

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "guides" / "discovery.yaml"
SERVED = {"fixture-letters-stay-between-parties", "fixture-settlement-talks-private"}
DISCOVERY = "fixture-discovery-requests-not-filed"  # waits for Fed. R. Civ. P. 5(d)(1)(A)
APPEAL = "fixture-time-to-appeal"  # waits for Fed. R. App. P. 4(a)(1)(A)

# Rule 5(d)(1)(A) in the layout procbot's rules parser reads: the source DISCOVERY waits for.
FRCP_5 = (
    '---\ntype: rules\ncitation_prefix: "Fed. R. Civ. P."\nas_amended_to: "2022-12-01"\n---\n'
    "# Rule 5. Serving and Filing Pleadings and Other Papers\n\n# (d) FILING.\n\n"
    "# (1) Required Filings; Certificate of Service.\n\n(A) Papers after the Complaint. "
    "Any paper after the complaint that is required to be served must be filed no later than a "
    "reasonable time after service. But disclosures under Rule 26(a)(1) or (2) and the following "
    "discovery requests and responses must not be filed until they are used in the proceeding or "
    "the court orders filing: depositions, interrogatories, requests for documents or tangible "
    "things or to permit entry onto land, and requests for admission.\n"
)


def _guides(snapshot) -> tuple[set[str], set[str], tuple[str, ...]]:
    stored = snapshot.guides
    return {v.guide.id for v in stored.guides}, {g for g, _ in stored.waiting}, stored.failed


@pytest.fixture
def indexed(settings: Settings, knowledge: Path, embedder) -> Path:
    """Masterson and the fixture guides file, indexed as the whole set."""
    shutil.copy(FIXTURE, knowledge / FIXTURE.name)
    report = build_index(settings, [knowledge], embedder)
    assert report.guides == 2
    assert _guides(load_snapshot(settings)) == (SERVED, {DISCOVERY, APPEAL}, ())
    return knowledge


def test_adding_a_document_keeps_every_guide_and_serves_one_its_source_completes(
    settings: Settings, indexed: Path, embedder, tmp_path: Path
) -> None:
    order = tmp_path / "more" / "roe-v-doe-2020-01-02.md"
    order.parent.mkdir()
    order.write_text(ORDER_TWO, encoding="utf-8")
    report = update_index(settings, [order], embedder)
    assert report.added == ("roe-v-doe-2020-01-02",) and report.guides == 2
    assert _guides(load_snapshot(settings)) == (SERVED, {DISCOVERY, APPEAL}, ())

    rules = tmp_path / "rules" / "frcp.md"
    rules.parent.mkdir()
    rules.write_text(FRCP_5, encoding="utf-8")
    report = update_index(settings, [rules], embedder)
    # The waiting guide is verified again against the passages this run added.
    assert report.guides == 3
    snapshot = load_snapshot(settings)
    assert _guides(snapshot) == (SERVED | {DISCOVERY}, {APPEAL}, ())
    (verified,) = [v for v in snapshot.guides.guides if v.guide.id == DISCOVERY]
    assert all(a.passage_id in snapshot.by_id for a in verified.anchors)
    assert summarize(snapshot).guides == 3


def test_an_updated_guides_file_replaces_its_earlier_read(
    settings: Settings, indexed: Path, embedder
) -> None:
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    data["guides"][1]["points"][0]["text"] = "Settlement talks stay private for 90 days."
    edited = indexed / FIXTURE.name
    edited.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = live_records(settings)
    report = update_index(settings, [edited], embedder)
    (error,) = report.guide_errors
    assert "fixture-settlement-talks-private" in str(error) and "number 90" in str(error)
    served, waiting, failed = _guides(load_snapshot(settings))
    assert served == {"fixture-letters-stay-between-parties"}
    assert waiting == {DISCOVERY, APPEAL} and failed == (str(error),)
    assert live_records(settings) == before  # a guides file alone changes no passage

    # Fixed and indexed again: served again, the failure forgotten.
    edited.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    report = update_index(settings, [edited], embedder)
    assert report.guide_errors == () and _guides(load_snapshot(settings))[0] == SERVED


def test_removing_a_cited_order_makes_its_guides_wait_and_removing_the_file_drops_them(
    settings: Settings, indexed: Path, embedder
) -> None:
    shutil.copy(FIXTURE, indexed.parent / "spare.yaml")  # not indexed: never a guide source
    order = next(indexed.glob("masterson*.txt"))
    extra = indexed.parent / "roe.md"
    extra.write_text(ORDER_TWO, encoding="utf-8")
    update_index(settings, [extra], embedder)
    report = remove_from_index(settings, [order], embedder)
    assert report.dropped == ("masterson-v-killen-2014-11-24",) and report.guides == 0
    assert _guides(load_snapshot(settings)) == (set(), SERVED | {DISCOVERY, APPEAL}, ())

    report = remove_from_index(settings, [indexed / FIXTURE.name], embedder)
    assert _guides(load_snapshot(settings)) == (set(), set(), ())
    assert [d.doc_id for d in load_snapshot(settings).documents] == ["roe"]
    with pytest.raises(InputError, match="not indexed"):
        remove_from_index(settings, [indexed / FIXTURE.name], embedder)


def test_a_guide_is_removed_by_its_id(settings: Settings, indexed: Path, embedder) -> None:
    remove_from_index(settings, [Path(APPEAL)], embedder)
    assert _guides(load_snapshot(settings)) == (SERVED, {DISCOVERY}, ())
