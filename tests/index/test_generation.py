"""One index generation: incremental by content, never half-built, orphans removed after switch."""

from __future__ import annotations

import dataclasses
import errno
import json
import time

import bm25s
import pytest

import bot.index.vectors as vector_stage
from bot.core.errors import ConfigError
from bot.index.bm25 import BM25_TOKENIZER
from bot.index.generation import write_generation
from bot.index.snapshot import load_snapshot
from bot.index.store import open_collection
from bot.search.retrieve import Retriever

QUERY = "letter to defense counsel filed with the court"


def run(settings, entries, embedder):
    return write_generation(settings, entries, [], embedder, lambda *_: None, time.perf_counter())


def live_folders(settings):
    return sorted(p.name for p in settings.index_dir.glob("gen-*"))


def top_ids(settings, embedder, query=QUERY):
    snapshot = load_snapshot(settings)
    collection = open_collection(settings, embedder.name)
    hits = Retriever(settings, embedder, snapshot, collection).search(query, k=3)
    return [hit.passage.passage_id for hit in hits]


class FailingEmbedder:
    """The real embedder, made to fail on its n-th batch (fault injection)."""

    def __init__(self, inner, fail_on: int, error: BaseException) -> None:
        self.inner, self.fail_on, self.error, self.calls = inner, fail_on, error, 0
        self.name = inner.name

    def embed_documents(self, texts):
        self.calls += 1
        if self.calls == self.fail_on:
            raise self.error
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


def test_first_run_embeds_every_passage(store_settings, sample_entries, embedder):
    report = run(store_settings, sample_entries, embedder)
    total = sum(len(found) for _, found in sample_entries)
    assert (report.documents, report.passages, report.embedded, report.reused) == (
        4,
        total,
        total,
        0,
    )
    snapshot = load_snapshot(store_settings)
    assert snapshot.generation == report.generation
    assert [p for _, found in sample_entries for p in found] == list(snapshot.passages)
    assert open_collection(store_settings, embedder.name).count() == total


def test_unchanged_reindex_embeds_nothing(store_settings, sample_entries, embedder):
    first = run(store_settings, sample_entries, embedder)
    second = run(store_settings, sample_entries, embedder)
    assert (second.embedded, second.reused, second.removed) == (0, first.passages, 0)
    assert second.generation != first.generation
    assert live_folders(store_settings) == [f"gen-{second.generation}"]


def test_edited_passage_is_the_only_one_re_embedded(store_settings, sample_entries, embedder):
    run(store_settings, sample_entries, embedder)
    document, found = sample_entries[0]
    edited = dataclasses.replace(found[1], text=found[1].text + " IT IS SO ORDERED.")
    sample_entries[0] = (document, [found[0], edited])
    report = run(store_settings, sample_entries, embedder)
    assert (report.embedded, report.removed) == (1, 1)
    assert load_snapshot(store_settings).by_id[edited.passage_id].text.endswith("SO ORDERED.")


def test_changed_heading_is_re_embedded(settings, sample_entries, embedder):
    # The heading is part of what rule passages embed, so it is part of their content key.
    run(settings, sample_entries, embedder)
    document, found = sample_entries[1]
    sample_entries[1] = (document, [dataclasses.replace(found[0], heading="Rule 5 — (d)")])
    sample_entries[1][1].extend(found[1:])
    report = run(settings, sample_entries, embedder)
    assert (report.embedded, report.removed) == (1, 1)


def test_dropped_document_removes_exactly_its_passages(store_settings, sample_entries, embedder):
    first = run(store_settings, sample_entries, embedder)
    _, frcp = sample_entries.pop(1)
    report = run(store_settings, sample_entries, embedder)
    assert (report.embedded, report.removed) == (0, len(frcp))
    assert report.passages == first.passages - len(frcp)
    assert open_collection(store_settings, embedder.name).count() == report.passages
    assert not {p.passage_id for p in frcp} & set(load_snapshot(store_settings).by_id)


@pytest.mark.parametrize(
    "error", [RuntimeError("encoder crashed"), KeyboardInterrupt()], ids=["crash", "ctrl-c"]
)
def test_failed_run_leaves_the_old_generation_serving(
    store_settings, sample_entries, embedder, monkeypatch, error
):
    first = run(store_settings, sample_entries[:1], embedder)
    before = top_ids(store_settings, embedder)
    monkeypatch.setattr(vector_stage, "EMBED_CHUNK", 2)  # several batches, the second one fails
    failing = FailingEmbedder(embedder, fail_on=2, error=error)
    with pytest.raises(type(error)):
        run(store_settings, sample_entries, failing)
    assert load_snapshot(store_settings).generation == first.generation
    assert live_folders(store_settings) == [f"gen-{first.generation}"]
    assert top_ids(store_settings, embedder) == before
    # The vectors stored before the failure are reused by the next run.
    report = run(store_settings, sample_entries, embedder)
    assert report.reused == first.passages + 2


def test_disk_full_while_writing_leaves_the_old_generation(
    settings, sample_entries, embedder, monkeypatch
):
    first = run(settings, sample_entries, embedder)
    before = top_ids(settings, embedder)

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(bm25s.BM25, "save", disk_full)
    with pytest.raises(ConfigError, match="No space left on device"):
        run(settings, sample_entries[:2], embedder)
    assert live_folders(settings) == [f"gen-{first.generation}"]
    assert top_ids(settings, embedder) == before


def test_generation_records_its_tokenizer(settings, sample_entries, embedder):
    report = run(settings, sample_entries, embedder)
    meta = json.loads((settings.index_dir / f"gen-{report.generation}" / "meta.json").read_text())
    assert meta["bm25"] == BM25_TOKENIZER
    assert meta["bm25"]["stemmer"] == "snowball-english"
