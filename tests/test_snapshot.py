"""The live generation read back: a missing index is named, the sources summary counts right."""

from __future__ import annotations

import dataclasses
import time

import pytest

from bot.errors import IndexMissingError
from bot.index import write_generation
from bot.snapshot import load_snapshot, summarize


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
    books = {book.doc_id: (book.version, book.secondary) for book in summary.rule_books}
    assert books == {
        "frcp-2022-12-01": ("2022-12-01", False),
        "edcal-local-rules-quoted": (None, True),
    }
