"""How much of the exact cosine top-N Chroma's HNSW search returns, per search breadth.

Run from the project root (needs ../shared/corpus; writes benchmarks/out/, which is gitignored):

    python benchmarks/dense_recall.py [--corpus DIR ...] [--ef 100,200,400,800] [--depth 36]

Builds an index of the corpora (or reads the one in `--data-dir`), embeds the questions of
`--questions` (default evals/dev.yaml) once, ranks every vector of the collection by exact
cosine with numpy, then, for each ef_search value, queries a copy of the Chroma folder set to it
in a fresh process (a loaded HNSW index keeps the breadth it was loaded with) and reports:
- recall: the share of the exact top `depth` that the search returned (a vector tied with the
  last one returned counts as found: either is a correct answer);
- questions with a miss: how many questions lost at least one passage of the exact top `depth`;
- query latency p50/p95 in milliseconds, after a warm-up pass.
`depth` is what dense retrieval asks Chroma for in the evaluation (20 candidates + 16 spare).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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

from bot.core.settings import SHIPPED_KNOWLEDGE, Settings  # noqa: E402
from bot.evaluate.metrics import percentile  # noqa: E402
from bot.evaluate.questions import load_questions  # noqa: E402

#: Vectors whose cosine differs by less than this are tied (float32 rounding in two engines).
TIE = 1e-5


def exact_top(vectors: np.ndarray, queries: np.ndarray, depth: int) -> np.ndarray:
    """Cosine similarity of each query with every vector, best `depth` per query (scores)."""
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    asked = queries / np.linalg.norm(queries, axis=1, keepdims=True)
    scores = asked @ unit.T
    return np.sort(scores, axis=1)[:, ::-1][:, :depth]


def recall(exact: np.ndarray, found: list[list[float]]) -> tuple[float, int]:
    """Share of exact top scores the search matched (by score, so ties count), and the number
    of questions that lost any."""
    kept = 0
    missed_questions = 0
    for best, returned in zip(exact, found, strict=True):
        returned = sorted(returned, reverse=True)
        # The i-th best exact score is matched when the search returned at least i scores
        # that good (less the tie allowance).
        matched = sum(
            1 for i, score in enumerate(best) if i < len(returned) and returned[i] >= score - TIE
        )
        kept += matched
        missed_questions += matched < len(best)
    return kept / exact.size, missed_questions


def child(store: str, name: str, queries_file: str, depth: int) -> None:
    """Query one copy of the store (its breadth already set) and print scores and timings."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(store, settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.get_collection(name, embedding_function=None)
    queries = np.load(queries_file).tolist()
    for vector in queries:  # warm-up: loads the index and its pages
        collection.query(query_embeddings=[vector], n_results=depth, include=["distances"])
    scores, latencies = [], []
    for vector in queries:
        started = time.perf_counter()
        found = collection.query(query_embeddings=[vector], n_results=depth, include=["distances"])
        latencies.append((time.perf_counter() - started) * 1000)
        scores.append([1.0 - d for d in found["distances"][0]])
    print(json.dumps({"scores": scores, "latencies_ms": latencies}))


def measure(settings: Settings, questions: list[str], efs: list[int], depth: int) -> dict:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from bot.index.embed import make_embedder
    from bot.index.snapshot import live_meta
    from bot.index.store import named_collection, store_path

    store = store_path(settings)
    name = live_meta(settings)["collection"]
    quiet = ChromaSettings(anonymized_telemetry=False)
    stored = named_collection(settings, name).get(include=["embeddings"])
    vectors = np.asarray(stored["embeddings"], dtype=np.float64)
    embedder = make_embedder(settings)
    queries = np.asarray([embedder.embed_query(q) for q in questions], dtype=np.float64)
    exact = exact_top(vectors, queries, depth)
    rows = []
    with tempfile.TemporaryDirectory(prefix="procbot-ef-") as folder:
        queries_file = str(Path(folder) / "queries.npy")
        np.save(queries_file, queries.astype(np.float32))
        for ef in efs:
            copy = Path(folder) / f"ef{ef}"
            shutil.copytree(store, copy)
            # Set in this process, which never queries the copy; searched in a new one.
            copied = chromadb.PersistentClient(str(copy), settings=quiet)
            copied.get_collection(name, embedding_function=None).modify(
                configuration={"hnsw": {"ef_search": ef}}
            )
            done = subprocess.run(
                [sys.executable, __file__, "--child", str(copy), name, queries_file, str(depth)],
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(done.stdout.strip().splitlines()[-1])
            share, missed = recall(exact, result["scores"])
            rows.append(
                {
                    "ef_search": ef,
                    "recall": round(share, 4),
                    "questions_with_a_miss": missed,
                    "p50_ms": round(percentile(result["latencies_ms"], 50), 3),
                    "p95_ms": round(percentile(result["latencies_ms"], 95), 3),
                }
            )
            shutil.rmtree(copy)
    return {"vectors": len(vectors), "questions": len(questions), "depth": depth, "rows": rows}


def markdown(result: dict) -> str:
    lines = [
        f"Exact cosine top {result['depth']} of {result['vectors']:,} vectors, "
        f"{result['questions']} questions",
        "",
        "| ef_search | recall | questions with a miss | p50 ms | p95 ms |",
        "|---:|---:|---:|---:|---:|",
    ]
    for row in result["rows"]:
        lines.append(
            f"| {row['ef_search']} | {row['recall']:.4f} | {row['questions_with_a_miss']} "
            f"| {row['p50_ms']:.2f} | {row['p95_ms']:.2f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        store, name, queries_file, depth = argv[1:5]
        child(store, name, queries_file, int(depth))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, action="append", help="a corpus folder; repeat")
    parser.add_argument("--data-dir", type=Path, help="an indexed data folder to measure")
    parser.add_argument("--questions", type=Path, default=REPO / "evals" / "dev.yaml")
    parser.add_argument("--ef", default="100,200,400,800", help="ef_search values, comma-separated")
    parser.add_argument("--depth", type=int, default=36)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out")
    args = parser.parse_args(argv)
    efs = [int(value) for value in args.ef.split(",") if value.strip()]
    questions = [q.question for q in load_questions(args.questions)]
    with tempfile.TemporaryDirectory(prefix="procbot-recall-") as folder:
        if args.data_dir:
            settings = Settings(_env_file=None, data_dir=args.data_dir)
        else:
            corpora = args.corpus or [REPO.parent / "shared" / "corpus"]
            missing = [c for c in corpora if not (c / "README.md").is_file()]
            if missing:
                print(f"reference corpus not found at {missing[0]}", file=sys.stderr)
                return 2
            from bot.index.build import build_index
            from bot.index.embed import make_embedder

            paths = [SHIPPED_KNOWLEDGE, *corpora]
            settings = Settings(_env_file=None, data_dir=Path(folder) / "data", knowledge=paths)
            build_index(settings, paths, make_embedder(settings))
        result = measure(settings, questions, efs, args.depth)
    table = markdown(result)
    args.out.mkdir(parents=True, exist_ok=True)
    report = json.dumps(result, indent=2) + "\n"
    (args.out / "dense_recall.json").write_text(report, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
