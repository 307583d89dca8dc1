"""Torch against the exported ONNX graph as procbot's query encoder, side by side in one run.

    python benchmarks/query_encoder.py [--data-dir DIR] [--questions FILE ...] [--rounds 3]

Both encoders are the shipped all-MiniLM-L6-v2. Reported:
- parity: the largest difference between the two vectors of each question, the least cosine
  between them and, when `--data-dir` names an index, how many questions' exact cosine top 36
  over the stored vectors (what dense search asks Chroma for) differ in membership or order;
- one question at a time, one core each (as serving runs): p50/p95 milliseconds, the two
  encoders alternated question by question so background load falls on both alike;
- a fresh process per encoder: seconds from start to its first vector and its peak memory.
The graph is exported into a temporary folder first (about 10 s), unless `--cache` names a folder
that already holds it. Default questions: evals/dev.yaml and evals/holdout.yaml.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bot.core.settings import Settings  # noqa: E402
from bot.evaluate.metrics import percentile  # noqa: E402
from bot.evaluate.questions import load_questions  # noqa: E402

DEPTH = 36

#: Run in a fresh process: start to first vector, and peak memory (VmHWM), of one encoder.
CHILD = """
import sys, time
started = time.perf_counter()
from pathlib import Path
kind, cache = sys.argv[1], Path(sys.argv[2])
if kind == "onnx":
    from bot.index.onnx_minilm import OnnxMiniLM, graph_path, model_dir
    OnnxMiniLM(graph_path(cache, model_dir()), model_dir()).encode(["first question"])
else:
    from bot.index.embed import MiniLMEmbedder
    MiniLMEmbedder(None).embed_query("first question")
seconds = time.perf_counter() - started
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(seconds, peak / 1024, "torch" in sys.modules)
"""


def fresh_process(kind: str, cache: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, kind, str(cache)],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return {"first_vector_s": float(out[0]), "peak_rss_mb": float(out[1]), "torch": out[2]}


def ranking_changes(data_dir: Path, torch_q: np.ndarray, onnx_q: np.ndarray) -> dict:
    """Questions whose exact cosine top DEPTH differs between the two query vectors."""
    from bot.index.snapshot import live_meta
    from bot.index.store import named_collection

    settings = Settings(_env_file=None, data_dir=data_dir)
    stored = named_collection(settings, live_meta(settings)["collection"]).get(
        include=["embeddings"]
    )
    vectors = np.asarray(stored["embeddings"], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    order_changed = members_changed = 0
    for a, b in zip(torch_q @ vectors.T, onnx_q @ vectors.T, strict=True):
        # Sorted by score, then by row, as dense search orders ties.
        top_a = np.lexsort((np.arange(len(a)), -a))[:DEPTH]
        top_b = np.lexsort((np.arange(len(b)), -b))[:DEPTH]
        order_changed += not np.array_equal(top_a, top_b)
        members_changed += set(top_a) != set(top_b)
    return {
        "vectors": len(vectors),
        "questions_order_changed": order_changed,
        "questions_members_changed": members_changed,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="an indexed data folder, for rankings")
    parser.add_argument("--questions", type=Path, action="append", help="question sets")
    parser.add_argument("--cache", type=Path, help="a folder holding (or to hold) the graph")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the questions")
    args = parser.parse_args(argv)
    from bot.index.embed import MiniLMEmbedder
    from bot.index.onnx_minilm import OnnxMiniLM, graph_path, model_dir

    sets = args.questions or [REPO / "evals" / "dev.yaml", REPO / "evals" / "holdout.yaml"]
    questions = [q.question for path in sets for q in load_questions(path)]
    with tempfile.TemporaryDirectory(prefix="procbot-graph-") as scratch:
        cache = args.cache or Path(scratch)
        torch_encoder = MiniLMEmbedder(None)  # no cache: torch only
        MiniLMEmbedder(cache).prepare_queries()
        graph = OnnxMiniLM(graph_path(cache, model_dir()), model_dir())

        torch_q = np.asarray([torch_encoder.embed_query(q) for q in questions], np.float32)
        onnx_q = np.vstack([graph.encode([q]) for q in questions]).astype(np.float32)
        result: dict = {
            "questions": len(questions),
            "max_abs_difference": float(np.abs(torch_q - onnx_q).max()),
            "min_cosine": float((torch_q * onnx_q).sum(axis=1).min()),
        }
        if args.data_dir:
            result["rankings"] = ranking_changes(args.data_dir, torch_q, onnx_q)

        timings: dict[str, list[float]] = {"torch": [], "onnx": []}
        for _ in range(args.rounds):
            for question in questions:
                started = time.perf_counter()
                torch_encoder._encode_queries([question])
                timings["torch"].append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                graph.encode([question])
                timings["onnx"].append((time.perf_counter() - started) * 1000)
        for kind, values in timings.items():
            result[f"{kind}_p50_ms"] = round(percentile(values, 50), 2)
            result[f"{kind}_p95_ms"] = round(percentile(values, 95), 2)
        result["fresh_process"] = {kind: fresh_process(kind, cache) for kind in ("torch", "onnx")}
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
