"""Guides in the index build: verified before the switch, asks embedded once, summarised."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import yaml

from bot.index.build import build_index
from bot.index.snapshot import load_snapshot, summarize
from bot.render import sources_json, sources_text

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "guides" / "discovery.yaml"


def _guides_folder(knowledge: Path) -> Path:
    shutil.copy(FIXTURE, knowledge / FIXTURE.name)
    return knowledge


def test_index_serves_verified_guides_and_says_which_wait(settings, embedder, knowledge):
    report = build_index(settings, [_guides_folder(knowledge)], embedder)
    assert report.guides == 2 and report.guide_errors == ()
    assert report.guides_waiting == (
        "2 guides wait for sources: Fed. R. App. P. (1), Fed. R. Civ. P. (1)"
    )
    snapshot = load_snapshot(settings)
    stored = snapshot.guides
    assert {v.guide.id for v in stored.guides} == {
        "fixture-letters-stay-between-parties",
        "fixture-settlement-talks-private",
    }
    # every anchor names a passage of this very generation
    assert all(a.passage_id in snapshot.by_id for v in stored.guides for a in v.anchors)
    # one normalised vector per ask, plain asks first (they alone are in the BM25)
    assert stored.vectors.shape[0] == len(stored.asks)
    assert np.allclose(np.linalg.norm(stored.vectors, axis=1), 1.0, atol=1e-3)
    assert all(a.condition is None for a in stored.asks[: stored.plain])
    assert all(a.condition is not None for a in stored.asks[stored.plain :])
    summary = summarize(snapshot)
    assert "Guides: 2 served, 2 waiting for sources, 0 failed verification." in sources_text(
        summary
    )
    assert sources_json(summary)["guides"]["served"] == 2


def test_unchanged_asks_are_never_embedded_again(settings, embedder, knowledge):
    folder = _guides_folder(knowledge)
    first = build_index(settings, [folder], embedder)
    assert first.asks_embedded == len(load_snapshot(settings).guides.asks)
    again = build_index(settings, [folder], embedder)
    assert again.asks_embedded == 0
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    data["guides"][1]["asks"][0] = "is an offer to settle sent to the court"
    (folder / FIXTURE.name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    changed = build_index(settings, [folder], embedder)
    assert changed.asks_embedded == 1


def test_a_failing_guide_is_named_and_the_rest_are_served(settings, embedder, knowledge):
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    data["guides"][1]["points"][0]["text"] = "Settlement talks stay private for 90 days."
    (knowledge / "g.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = build_index(settings, [knowledge], embedder)
    (error,) = report.guide_errors
    assert "g.yaml" in str(error) and "fixture-settlement-talks-private" in str(error)
    assert "number 90" in str(error)
    assert report.guides == 1
    summary = summarize(load_snapshot(settings))
    assert summary.guides_failed == (str(error),)
    assert "not served:" in sources_text(summary)


def test_a_generation_without_guides_reads_as_none(settings, embedder, knowledge):
    build_index(settings, [knowledge], embedder)
    snapshot = load_snapshot(settings)
    assert snapshot.guides.guides == () and snapshot.guides.vectors is None
    assert summarize(snapshot).guides == 0
