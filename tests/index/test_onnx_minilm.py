"""The ONNX query graph: exported once, equal to torch's vectors, and used without torch."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from bot.index.embed import MiniLMEmbedder, QueryBatcher
from bot.index.onnx_minilm import OnnxMiniLM, export, graph_path, model_dir

REPO = Path(__file__).resolve().parents[2]

# Real legal text of both kinds a question meets: an order's holding and a rule's subdivision,
# a pro se question as typed on a phone, a long passage past the tokenizer file's own 128 cut.
TEXTS = [
    # Masterson v. Killen (E.D. Cal. Nov. 24, 2014), the shipped order.
    "Plaintiff's request to meet and confer should not have been filed with the court.",
    # Fed. R. Civ. P. 26(b)(1), as amended to Dec. 1, 2022.
    "Parties may obtain discovery regarding any nonprivileged matter that is relevant to any "
    "party's claim or defense and proportional to the needs of the case",
    # A question as a family member types it.
    "my brother got a paper from the court that says he has 14 days. does mailing count",
    # Fed. R. Civ. P. 33(a)(1), repeated past 128 tokens: the graph must read to 256 as torch.
    "Unless otherwise stipulated or ordered by the court, a party may serve on any other party "
    "no more than 25 written interrogatories, including all discrete subparts. " * 6,
]


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[MiniLMEmbedder, Path]:
    """A MiniLM embedder whose own cache holds the graph its `prepare_queries` exported."""
    cache = tmp_path_factory.mktemp("model-cache")
    embedder = MiniLMEmbedder(cache)
    embedder.prepare_queries()
    return embedder, cache


def test_the_graph_is_exported_once_with_its_sidecar(exported):
    embedder, cache = exported
    graph = graph_path(cache, model_dir())
    assert graph.is_file() and graph.stat().st_size > 80_000_000  # the weights, in float32
    assert json.loads(graph.with_suffix(".json").read_text())["max_seq_length"] == 256
    assert not list(cache.glob("*.partial"))  # nothing half-written is left behind
    stamp = graph.stat().st_mtime_ns
    embedder.prepare_queries()  # a later index run finds it and exports nothing
    assert graph.stat().st_mtime_ns == stamp


def test_graph_vectors_equal_torch_vectors(exported):
    embedder, cache = exported
    graph = OnnxMiniLM(graph_path(cache, model_dir()), model_dir())
    torch_vectors = np.asarray(embedder.embed_documents(TEXTS), dtype=np.float32)
    onnx_vectors = graph.encode(TEXTS)
    assert np.abs(onnx_vectors - torch_vectors).max() < 1e-5
    assert np.allclose(np.linalg.norm(onnx_vectors, axis=1), 1.0, atol=1e-5)
    # One at a time (padding to other lengths) gives the same vectors as the batch.
    alone = np.vstack([graph.encode([text]) for text in TEXTS])
    assert np.abs(alone - onnx_vectors).max() < 1e-5


def test_questions_are_encoded_by_the_graph_once_it_is_kept(exported):
    embedder, _ = exported
    assert embedder.query_graph() is not None
    assert embedder._queries.parallel == (os.cpu_count() or 1)  # one core per question
    [document] = embedder.embed_documents([TEXTS[0]])
    assert np.abs(np.asarray(embedder.embed_query(TEXTS[0])) - document).max() < 1e-5


def test_a_graph_that_disagrees_with_torch_is_not_kept(exported, tmp_path, caplog):
    embedder, _ = exported
    model = embedder.model
    target = graph_path(tmp_path, model_dir())

    def shifted(texts: list[str]) -> list[list[float]]:
        # torch's vectors moved by 0.01: as if the graph computed another network.
        return (np.asarray(embedder.embed_documents(texts)) + 0.01).tolist()

    with caplog.at_level(logging.WARNING, logger="bot.index"):
        kept = export(model[0].auto_model, model.max_seq_length, target, shifted)
    assert kept is False
    assert list(tmp_path.iterdir()) == []  # no graph, no sidecar, no partial file
    assert "differ from torch" in caplog.text


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        ("graph", "a graph file cut short (a full disk mid-copy)"),
        ("sidecar", "a sidecar from a later export format"),
    ],
)
def test_a_damaged_graph_falls_back_to_torch(exported, tmp_path, caplog, damage, why):
    _, cache = exported
    source = graph_path(cache, model_dir())
    target = graph_path(tmp_path, model_dir())
    target.write_bytes(source.read_bytes()[: 1 << 20] if damage == "graph" else source.read_bytes())
    meta = json.loads(source.with_suffix(".json").read_text())
    if damage == "sidecar":
        meta["format"] += 1
    target.with_suffix(".json").write_text(json.dumps(meta))
    fresh = MiniLMEmbedder(tmp_path)
    with caplog.at_level(logging.WARNING, logger="bot.index"):
        assert fresh.query_graph() is None, why
    assert "unusable" in caplog.text
    assert fresh._queries.parallel == 1  # torch keeps its one encode at a time
    assert len(fresh.embed_query(TEXTS[2])) == 384  # and still answers


def test_serving_with_the_graph_never_imports_torch(exported, tmp_path, embedder):
    # A small index of the shipped order, then a fresh process that answers from it.
    _, cache = exported
    env = {
        **os.environ,
        "PROCBOT_DATA_DIR": str(tmp_path / "data"),
        "PROCBOT_MODEL_CACHE": str(cache),
        "HF_HUB_OFFLINE": "1",
    }
    subprocess.run(
        [sys.executable, "-m", "bot", "index"], cwd=REPO, env=env, check=True, capture_output=True
    )
    probe = (
        "import sys\n"
        "from bot.app.engine import Engine\n"
        "from bot.core.settings import load_settings\n"
        "answer = Engine(load_settings()).ask('Do I file my discovery letters with the court?')\n"
        "print(answer.sources[0].passage.citation if answer.sources else '-')\n"
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'sklearn', 'langchain_core')"
        " if m in sys.modules))\n"
        "from threadpoolctl import threadpool_info\n"
        "print(sorted({p['num_threads'] for p in threadpool_info() if p['user_api'] == 'blas'}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, env=env, check=True, capture_output=True, text=True
    ).stdout.splitlines()
    assert "Masterson" in out[0]
    assert out[1] == "[]", out[1]
    # Questions answered side by side each keep to one core: numpy's BLAS runs one thread.
    assert out[2] == "[1]", out[2]


def test_parallel_encodes_run_at_once_up_to_the_limit():
    inside = threading.Semaphore(0)
    release = threading.Event()
    most = 0
    now = 0
    lock = threading.Lock()

    def encode(batch: list[str]) -> list[list[float]]:
        nonlocal most, now
        with lock:
            now += 1
            most = max(most, now)
        inside.release()
        release.wait(5)
        with lock:
            now -= 1
        return [[float(len(text))] for text in batch]

    batcher = QueryBatcher(encode, parallel=2)
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(batcher.embed, "x" * n) for n in range(1, 5)]
        assert inside.acquire(timeout=5) and inside.acquire(timeout=5)  # two encode at once
        time.sleep(0.05)
        assert most == 2  # and no third while two run
        release.set()
        vectors = [future.result(timeout=5) for future in futures]
    assert vectors == [[1.0], [2.0], [3.0], [4.0]]  # every caller gets its own vector
    assert most == 2
