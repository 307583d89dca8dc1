"""Guide layer benchmark: answer latency with guides, and what guides cost the index build.

Run from the project root over an index built with `procbot index` (PROCBOT_DATA_DIR):

    PROCBOT_DATA_DIR=/tmp/idx python benchmarks/guides.py [--questions evals/dev.yaml]
        [--knowledge PATH ...] [--full-index]

Measures, in one run and with one embedding model instance:
- answer latency p50/p95 of `Engine.ask` over every question (guide or passage path), after a
  warm-up, with the query-vector cache emptied before each question (model load excluded);
- the guide stage of indexing (read the guides files, verify every anchor against the chunked
  passages, embed the asks and cues, write the guides files) against the raw encoder time of
  `embed_documents` over exactly the texts it embeds: share = raw / stage;
- with --full-index, a whole `build_index` (passages and guides) into an empty data folder
  against the raw encoder time of every text it embeds (the issue's "indexing with guides").
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bot.app.engine import Engine  # noqa: E402
from bot.core.settings import SHIPPED_KNOWLEDGE, Settings, load_settings  # noqa: E402
from bot.evaluate.metrics import percentile  # noqa: E402
from bot.evaluate.questions import load_questions  # noqa: E402
from bot.index import guide_store  # noqa: E402
from bot.index.bm25 import bm25_tokens  # noqa: E402
from bot.index.build import _document_entries, build_index  # noqa: E402
from bot.index.generation import embedded_text  # noqa: E402
from bot.index.guide_check import verify_guides  # noqa: E402
from bot.ingest.guides import read_guides  # noqa: E402

TARGETS = {"answer_p95_ms": 50.0, "indexing_share": 0.85}


def latency(engine: Engine, questions: list[str]) -> tuple[float, float, int]:
    engine.ask(questions[0])  # warm-up: model, snapshot, matcher
    times, guided = [], 0
    for question in questions:
        engine.retriever.forget_queries()
        started = time.perf_counter()
        answer = engine.ask(question)
        times.append((time.perf_counter() - started) * 1000)
        guided += answer.guide_id is not None
    return percentile(times, 50), percentile(times, 95), guided


def guide_stage(engine: Engine, knowledge: list[Path]) -> tuple[float, float, int]:
    """(raw encoder seconds, guide stage seconds, texts) over the asks and cues."""
    entries, _ = _document_entries(knowledge, lambda *_: None)
    embedder = engine.embedder
    started = time.perf_counter()
    guides, _ = read_guides(knowledge)
    check = verify_guides(guides, entries)
    rows = guide_store.ask_rows(check.served)
    vectors, keys, _ = guide_store.embed_asks(rows, embedder, {})
    with tempfile.TemporaryDirectory() as folder:
        guide_store.write_guides(
            Path(folder), check.served, rows, vectors, keys, bm25_tokens, check.waiting, ()
        )
    stage = time.perf_counter() - started
    started = time.perf_counter()
    embedder.embed_documents([row.text for row in rows])
    raw = time.perf_counter() - started
    return raw, stage, len(rows)


def full_index(engine: Engine, knowledge: list[Path]) -> tuple[float, float, int]:
    entries, _ = _document_entries(knowledge, lambda *_: None)
    texts = list(dict.fromkeys(embedded_text(p) for _, found in entries for p in found))
    guides, _ = read_guides(knowledge)
    rows = guide_store.ask_rows(verify_guides(guides, entries).served)
    embedder = engine.embedder
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(_env_file=None, data_dir=Path(folder), knowledge=knowledge)
        started = time.perf_counter()
        build_index(settings, knowledge, embedder)
        built = time.perf_counter() - started
    started = time.perf_counter()
    embedder.embed_documents(texts)
    embedder.embed_documents([row.text for row in rows])
    raw = time.perf_counter() - started
    return raw, built, len(texts) + len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=REPO / "evals" / "dev.yaml")
    parser.add_argument("--knowledge", action="append", type=Path)
    parser.add_argument("--full-index", action="store_true")
    args = parser.parse_args()
    knowledge = args.knowledge or [
        p
        for p in (REPO.parent / "shared" / "corpus", REPO.parent / "shared" / "corpus-plus")
        if p.is_dir()
    ] + [SHIPPED_KNOWLEDGE]
    engine = Engine(load_settings(knowledge=knowledge))
    snapshot = engine.snapshot
    print(f"index: {len(snapshot.passages)} passages, {len(snapshot.guides.guides)} guides")
    questions = [q.question for q in load_questions(args.questions)]
    p50, p95, guided = latency(engine, questions)
    print(
        f"answer latency over {len(questions)} questions ({guided} answered from guides): "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms (target <= {TARGETS['answer_p95_ms']:.0f})"
    )
    raw, stage, n = guide_stage(engine, knowledge)
    print(
        f"guide stage: {n} texts, raw encoder {raw:.2f} s, stage {stage:.2f} s, "
        f"share {raw / stage:.2f} (target >= {TARGETS['indexing_share']})"
    )
    if args.full_index:
        raw, built, n = full_index(engine, knowledge)
        print(
            f"full index with guides: {n} texts, raw encoder {raw:.1f} s, build {built:.1f} s, "
            f"share {raw / built:.2f} (target >= {TARGETS['indexing_share']})"
        )
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
