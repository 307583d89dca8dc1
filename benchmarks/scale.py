"""How cost grows with the corpus: the reference corpus copied N times, indexed, then timed.

    python benchmarks/scale.py --copies N [--copies M ...] [--json] [--queries 150] [--runs 3]

For each N, in one run: the reference corpus (../shared/corpus) is written N times into a
temporary folder, every copy's text made distinct (each prose line of copy c ends with a
marker word of its own, so no two copies share a passage text or a vector), plus the shipped
knowledge once; it is indexed into an empty data folder and the raw encoder is timed on the
same texts; what `procbot index` prepares after a run for serving (the ONNX query graph, once
per machine; the fitted request screen) is made untimed. Then a fresh process (so its memory is
the serving memory, not the indexing peak) loads the engine, warms up, and times `--queries`
dev-set questions per mode (`--runs` passes, the query-vector cache emptied before each one):
hybrid, dense and BM25 search, and `ask`.
Finally `python -m bot ask` is started cold three times (median). Everything is deleted at the
end unless `--keep`.

Reported: passages, index seconds and passages/s as a share of the raw encoder's, p50/p95 per
mode, peak RSS of the serving process, cold start (process start to first answer), and the load
average. `--json` prints, for each N, one object with the keys passages, hybrid_p95_ms,
dense_p95_ms, bm25_p95_ms, ask_p95_ms, index_share_of_raw, rss_mb, cold_start_s (a list when
several N are given); the full figures go to benchmarks/out/scale-<N>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

CORPUS = Path(os.environ.get("PROCBOT_CORPUS", REPO.parent / "shared" / "corpus"))
MODES = ("hybrid", "dense", "bm25")
K = 5
#: Lines shorter than this (headings, captions, numbers) are left as they are, so every copy
#: parses into the same documents, rules and pinpoints.
PROSE_CHARS = 60
#: The raw encoder is timed on about this many texts (every m-th chunk of the length-sorted
#: texts, as the index embeds them), so a 100k-passage run does not embed everything twice.
RAW_SAMPLE = 12_000
RAW_CHUNK = 1024  # texts per embedder call, as bot.index.build embeds them

TARGETS_64 = {
    "hybrid_p95_ms": 40.0,
    "hybrid_over_dense_p95": 1.3,
    "ask_p95_ms": 50.0,
    "rss_mb": 800.0,
    "index_share_of_raw": 0.90,
    "cold_start_s": 8.0,
}


# -- the N-copy corpus ---------------------------------------------------------------------------


def marker(copy: int) -> str:
    """A word of letters only (no digits a citation could read), different for every copy."""
    letters = ""
    n = copy
    while True:
        letters = "abcdefghijklmnopqrstuvwxyz"[n % 26] + letters
        n = n // 26 - 1
        if n < 0:
            break
    return f"Variant{letters}"


def distinct_text(text: str, copy: int) -> str:
    """The file's text with each prose line of the body ending in this copy's marker word."""
    if copy == 0:
        return text
    lines = text.split("\n")
    body = 0
    if lines and lines[0].strip() == "---":
        # Front matter stays as written: type, court, version and docket parse the same.
        body = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
    word = marker(copy)
    for i in range(body, len(lines)):
        line = lines[i]
        stripped = line.strip()
        if len(stripped) >= PROSE_CHARS and not stripped.startswith(("#", "Rule ", "§")):
            lines[i] = f"{line.rstrip()} {word}."
    return "\n".join(lines)


def make_corpus(root: Path, copies: int) -> list[Path]:
    """`copies` copies of the reference corpus under `root`, each file named for its copy."""
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "README.md")
    for copy in range(copies):
        folder = root / f"copy-{copy:03d}"
        for source in files:
            relative = source.relative_to(CORPUS)
            name = source.name if copy == 0 else f"{source.stem}-{marker(copy)}{source.suffix}"
            target = folder / relative.parent / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(
                distinct_text(source.read_text(encoding="utf-8"), copy), encoding="utf-8"
            )
    return [root]


# -- indexing against the raw encoder --------------------------------------------------------------


def raw_sample(texts: list[str]) -> list[list[str]]:
    """Every m-th chunk of the length-sorted texts: the chunks the index embeds, sampled."""
    ordered = sorted(texts, key=len)
    chunks = [ordered[i : i + RAW_CHUNK] for i in range(0, len(ordered), RAW_CHUNK)]
    step = max(1, round(len(chunks) / max(1, RAW_SAMPLE // RAW_CHUNK)))
    return chunks[::step]


def measure_indexing(data_dir: Path, paths: list[Path], progress: bool) -> dict:
    from bot.core.settings import SHIPPED_KNOWLEDGE, Settings
    from bot.index.build import build_index
    from bot.index.embed import make_embedder
    from bot.index.generation import embedded_text, vector_id
    from bot.ingest.chunk import passages as chunk_passages
    from bot.ingest.load import read_documents

    paths = [*paths, SHIPPED_KNOWLEDGE]
    settings = Settings(_env_file=None, data_dir=data_dir, knowledge=paths)
    embedder = make_embedder(settings)
    documents, _ = read_documents(paths)
    texts: dict[str, str] = {}
    seen: set[str] = set()
    for document in documents:
        if document.doc_id in seen:
            continue
        seen.add(document.doc_id)
        for passage in chunk_passages(document):
            text = embedded_text(passage)
            texts.setdefault(vector_id(passage, text), text)
    sample = raw_sample(list(texts.values()))
    embedder.embed_documents(sample[0][:32])  # warm-up for every timing below

    def raw() -> float:
        started = time.perf_counter()
        for chunk in sample:
            embedder.embed_documents(chunk)
        return time.perf_counter() - started

    def show(stage: str, done: int, total: int) -> None:
        if progress and stage == "embed" and (done == total or done % (8 * RAW_CHUNK) == 0):
            print(f"  embed {done}/{total}", file=sys.stderr, flush=True)

    # Timed before and after the index, the faster kept: other load counts against the index.
    before = raw()
    started = time.perf_counter()
    report = build_index(settings, paths, embedder, progress=show)
    index_s = time.perf_counter() - started
    raw_s = min(before, raw())
    # What `procbot index` does after the run, untimed: the query graph (once per machine),
    # the shipped examples' vectors and the fitted request screen, so the serving process
    # below starts as it would after `procbot index`.
    from bot.app.engine import Engine

    started = time.perf_counter()
    Engine(settings, embedder=embedder).prepare_serving()
    prepare_s = time.perf_counter() - started
    sampled = sum(len(chunk) for chunk in sample)
    raw_rate = sampled / raw_s
    rate = report.passages / index_s
    return {
        "passages": report.passages,
        "documents": report.documents,
        "index_errors": len(report.errors),
        "index_s": round(index_s, 1),
        "index_passages_per_s": round(rate, 1),
        "raw_texts_timed": sampled,
        "raw_passages_per_s": round(raw_rate, 1),
        "index_share_of_raw": round(rate / raw_rate, 3),
        "index_peak_rss_mb": round(peak_rss_mb(), 1),
        "prepare_serving_s": round(prepare_s, 1),
    }


def peak_rss_mb() -> float:
    """This process's peak resident memory: VmHWM, which (unlike ru_maxrss, kept across
    exec on Linux) belongs to this program alone, not to the process that started it."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


# -- serving, in a fresh process -------------------------------------------------------------------


def questions(count: int) -> list[str]:
    """`count` dev-set questions (read from the file, cycled when it holds fewer)."""
    from bot.evaluate.questions import load_questions

    texts = [q.question for q in load_questions(REPO / "evals" / "dev.yaml")]
    return [texts[i % len(texts)] for i in range(count)]


def percentiles(values: list[float]) -> dict:
    from bot.evaluate.metrics import percentile

    return {"p50_ms": round(percentile(values, 50), 2), "p95_ms": round(percentile(values, 95), 2)}


def serve(data_dir: Path, count: int, runs: int) -> dict:
    """Warm up, then time every mode and `ask`; the figures of this (serving) process."""
    from bot.app.engine import Engine
    from bot.core.settings import Settings

    engine = Engine(Settings(_env_file=None, data_dir=data_dir))
    asked = questions(count)
    retriever = engine.retriever
    for question in asked[:10]:  # warm-up: model, index, caches, Chroma's pages
        retriever.forget_queries()
        engine.ask(question)
        for mode in MODES:
            retriever.search(question, k=K, mode=mode)
    timings: dict[str, list[float]] = {mode: [] for mode in (*MODES, "ask")}
    per_run: dict[str, list[float]] = {mode: [] for mode in timings}
    for _ in range(runs):
        for mode in timings:
            this_run = []
            for question in asked:
                retriever.forget_queries()  # a real question is never cached
                started = time.perf_counter()
                if mode == "ask":
                    engine.ask(question)
                else:
                    retriever.search(question, k=K, mode=mode)
                this_run.append((time.perf_counter() - started) * 1000)
            timings[mode].extend(this_run)
            per_run[mode].append(percentiles(this_run)["p95_ms"])
    return {
        "modes": {
            mode: {**percentiles(t), "p95_per_run_ms": per_run[mode]} for mode, t in timings.items()
        },
        "queries_per_run": count,
        "runs": runs,
        "serve_rss_mb": round(peak_rss_mb(), 1),
    }


def cold_start(data_dir: Path, question: str, tries: int = 3) -> list[float]:
    """Seconds from starting `python -m bot ask` to its answer, each try a new process."""
    env = {**os.environ, "PROCBOT_DATA_DIR": str(data_dir)}
    seconds = []
    for _ in range(tries):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bot", "ask", question, "--json"],
            cwd=REPO,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        seconds.append(round(time.perf_counter() - started, 2))
    return seconds


def measure(copies: int, count: int, runs: int, keep: bool, progress: bool) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"procbot-scale-{copies}-"))
    try:
        load_before = os.getloadavg()
        paths = make_corpus(work / "corpus", copies)
        indexing = measure_indexing(work / "data", paths, progress)
        serve_args = ["--queries", str(count), "--runs", str(runs)]
        served = subprocess.run(
            [sys.executable, __file__, "--serve", str(work / "data"), *serve_args],
            check=True,
            capture_output=True,
            text=True,
        )
        serving = json.loads(served.stdout)
        starts = cold_start(work / "data", questions(1)[0])
        load_after = os.getloadavg()
    finally:
        if keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    modes = serving["modes"]
    return {
        "copies": copies,
        "passages": indexing["passages"],
        "hybrid_p50_ms": modes["hybrid"]["p50_ms"],
        "hybrid_p95_ms": modes["hybrid"]["p95_ms"],
        "dense_p50_ms": modes["dense"]["p50_ms"],
        "dense_p95_ms": modes["dense"]["p95_ms"],
        "bm25_p50_ms": modes["bm25"]["p50_ms"],
        "bm25_p95_ms": modes["bm25"]["p95_ms"],
        "ask_p50_ms": modes["ask"]["p50_ms"],
        "ask_p95_ms": modes["ask"]["p95_ms"],
        "index_s": indexing["index_s"],
        "index_share_of_raw": indexing["index_share_of_raw"],
        "rss_mb": serving["serve_rss_mb"],
        "cold_start_s": statistics.median(starts),
        "details": {
            "indexing": indexing,
            "serving": serving,
            "cold_starts_s": starts,
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in load_after],
            "cpus": os.cpu_count(),
        },
    }


JSON_KEYS = (
    "passages",
    "hybrid_p95_ms",
    "dense_p95_ms",
    "bm25_p95_ms",
    "ask_p95_ms",
    "index_share_of_raw",
    "rss_mb",
    "cold_start_s",
)


def table(results: list[dict]) -> str:
    lines = [
        "| copies | passages | index s (share of raw) | hybrid p50 / p95 | dense p50 / p95 "
        "| BM25 p50 / p95 | ask p50 / p95 | RSS | cold start |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['copies']} | {r['passages']:,} | {r['index_s']:.0f} "
            f"({100 * r['index_share_of_raw']:.0f}%) "
            f"| {r['hybrid_p50_ms']:.1f} / {r['hybrid_p95_ms']:.1f} ms "
            f"| {r['dense_p50_ms']:.1f} / {r['dense_p95_ms']:.1f} ms "
            f"| {r['bm25_p50_ms']:.1f} / {r['bm25_p95_ms']:.1f} ms "
            f"| {r['ask_p50_ms']:.1f} / {r['ask_p95_ms']:.1f} ms "
            f"| {r['rss_mb']:.0f} MB | {r['cold_start_s']:.1f} s |"
        )
    loads = ", ".join(
        f"{r['copies']}: {r['details']['load_average_before'][0]}-"
        f"{r['details']['load_average_after'][0]}"
        for r in results
    )
    lines += ["", f"{os.cpu_count()} CPUs; 1-minute load average before-after each run: {loads}."]
    largest = results[-1]
    if largest["copies"] >= 64:
        ratio = largest["hybrid_p95_ms"] / largest["dense_p95_ms"]
        lines += ["", f"Targets at {largest['copies']} copies:", ""]
        checks = [
            ("hybrid p95 / dense p95", ratio, "<=", TARGETS_64["hybrid_over_dense_p95"]),
            ("hybrid p95 (ms)", largest["hybrid_p95_ms"], "<=", TARGETS_64["hybrid_p95_ms"]),
            ("ask p95 (ms)", largest["ask_p95_ms"], "<=", TARGETS_64["ask_p95_ms"]),
            ("RSS (MB)", largest["rss_mb"], "<=", TARGETS_64["rss_mb"]),
            ("index / raw encoder", largest["index_share_of_raw"], ">=", 0.90),
            ("cold start (s)", largest["cold_start_s"], "<=", TARGETS_64["cold_start_s"]),
        ]
        for name, value, op, target in checks:
            met = value <= target if op == "<=" else value >= target
            verdict = "met" if met else "MISSED"
            lines.append(f"- {name}: {value:.2f} (target {op} {target}) {verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, action="append", help="copies of the corpus")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--queries", type=int, default=150, help="timed queries per mode and run")
    parser.add_argument("--runs", type=int, default=3, help="timed passes per mode")
    parser.add_argument("--keep", action="store_true", help="keep the corpus and the index")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)  # the serving process
    args = parser.parse_args(argv)
    if args.serve:
        print(json.dumps(serve(args.serve, args.queries, args.runs)))
        return 0
    if not args.copies or min(args.copies) < 1:
        parser.error("give --copies N (N >= 1), once or more")
    if not (CORPUS / "README.md").is_file():
        print(f"reference corpus not found at {CORPUS}", file=sys.stderr)
        return 2
    results = []
    args.out.mkdir(parents=True, exist_ok=True)
    for copies in args.copies:
        result = measure(copies, args.queries, args.runs, args.keep, progress=not args.json)
        (args.out / f"scale-{copies}.json").write_text(json.dumps(result, indent=2) + "\n")
        results.append(result)
    if args.json:
        objects = [{key: r[key] for key in JSON_KEYS} for r in results]
        print(json.dumps(objects[0] if len(objects) == 1 else objects))
    else:
        print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
