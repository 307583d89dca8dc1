"""The live generation read back: a missing index is named, the sources summary counts right."""

from __future__ import annotations

import dataclasses
import json
import shutil
import time

import pytest

from bot.core.errors import ConfigError, IndexMissingError
from bot.index.generation import write_generation
from bot.index.passage_keys import KEYS_FILE, KEYS_FORMAT, KeysUnreadable, read_keys
from bot.index.snapshot import load_snapshot, summarize


def run(settings, entries, embedder):
    return write_generation(settings, entries, [], embedder, lambda *_: None, time.perf_counter())


def test_nothing_indexed_raises_index_missing(settings):
    with pytest.raises(IndexMissingError, match="procbot index"):
        load_snapshot(settings)


def test_summary_counts_kinds_courts_excerpts_and_rule_books(settings, sample_entries, embedder):
    document, found = sample_entries[0]
    sample_entries[0] = (dataclasses.replace(document, complete=False), found)
    run(settings, sample_entries, embedder)
    summary = summarize(load_snapshot(settings))
    assert summary.documents == 4
    assert summary.passages == 8
    assert dict(summary.by_kind) == {"order": 1, "rules": 2, "statute": 1}
    assert dict(summary.by_court) == {"(none)": 2, "E.D. Cal.": 2}
    assert (summary.orders, summary.excerpts) == (1, 1)
    books = {
        b.doc_id: (b.kind, b.prefix, b.version, b.secondary, b.rules) for b in summary.rule_books
    }
    assert books == {
        "frcp-2022-12-01": ("rules", "Fed. R. Civ. P.", "2022-12-01", False, 2),  # Rules 5, 26
        "edcal-local-rules-quoted": ("rules", "E.D. Cal. L.R.", None, True, 1),
        "28-usc-1915-1915a": ("statute", "28 U.S.C.", None, False, 1),
    }


@pytest.mark.parametrize(
    "recorded",
    [
        {"lower": True, "stopwords": "en", "stemmer": None},  # procbot before stemming
        {"lower": True, "stopwords": "en", "stemmer": "porter"},
        None,  # a meta.json without the record
    ],
)
def test_generation_from_another_tokenizer_is_refused(settings, sample_entries, embedder, recorded):
    report = run(settings, sample_entries, embedder)
    meta_file = settings.index_dir / f"gen-{report.generation}" / "meta.json"
    meta = json.loads(meta_file.read_text())
    meta["bm25"] = recorded
    meta_file.write_text(json.dumps(meta))
    with pytest.raises(ConfigError, match=r"different BM25 tokenizer.*Run `procbot index` again"):
        load_snapshot(settings)


def test_passages_are_read_on_demand_and_survive_the_folder_being_deleted(
    settings, sample_entries, embedder
):
    report = run(settings, sample_entries, embedder)
    snapshot = load_snapshot(settings)
    table = snapshot.passages
    written = [p for _, found in sample_entries for p in found]
    # What stays in memory is the keys; each passage's text comes back from the file.
    assert [key.passage_id for key in table.keys] == [p.passage_id for p in written]
    assert not any(hasattr(key, "text") for key in table.keys)
    shutil.rmtree(settings.index_dir / f"gen-{report.generation}")  # a later run's clean-up
    assert list(table) == written
    assert table[-1] == written[-1]
    assert table[1:3] == written[1:3]
    assert snapshot.by_id[written[2].passage_id] == written[2]
    assert written[0].passage_id in snapshot.by_id
    with pytest.raises(IndexError):
        table[len(written)]


def _live_folder(settings):
    return settings.index_dir / (settings.index_dir / "current").read_text().strip()


def test_keys_file_gives_the_same_snapshot_as_reading_every_passage(
    settings, sample_entries, embedder
):
    run(settings, sample_entries, embedder)
    fast = load_snapshot(settings)
    (_live_folder(settings) / KEYS_FILE).unlink()  # a generation written before keys files
    slow = load_snapshot(settings)
    assert fast.passages.keys == slow.passages.keys
    assert fast.vector_ids == slow.vector_ids
    assert list(fast.passages) == list(slow.passages)
    # Keys share one string object per distinct value, as the slow path does.
    courts = {id(key.court) for key in fast.passages.keys if key.court}
    assert len(courts) == len({key.court for key in fast.passages.keys if key.court})


@pytest.mark.parametrize(
    "damage",
    [
        # passages.jsonl cut after the keys were written: the byte spans no longer fit
        lambda folder: (folder / "passages.jsonl").write_bytes(
            (folder / "passages.jsonl").read_bytes()[:-1]
        ),
        # a keys file from a later format
        lambda folder: (folder / KEYS_FILE).write_text(json.dumps({"format": KEYS_FORMAT + 1})),
        # columns of different lengths
        lambda folder: (folder / KEYS_FILE).write_text(
            json.dumps({**json.loads((folder / KEYS_FILE).read_text()), "court": []})
        ),
        # not JSON at all
        lambda folder: (folder / KEYS_FILE).write_bytes(b"\x00\xff"),
    ],
    ids=["cut-passages", "other-format", "short-column", "garbage"],
)
def test_a_keys_file_that_does_not_fit_is_not_trusted(settings, sample_entries, embedder, damage):
    run(settings, sample_entries, embedder)
    folder = _live_folder(settings)
    damage(folder)
    with pytest.raises(KeysUnreadable):
        read_keys(folder, (folder / "passages.jsonl").stat().st_size)
