"""Answers per second with 1, 2, 4 and 8 questions asked at once, over one shared engine.

    python benchmarks/concurrency.py [--data-dir DIR] [--levels 1,2,4,8] [--rounds 3] [--json]

Without --data-dir it indexes the reference corpus (../shared/corpus) and the shipped knowledge
into a temporary folder first (deleted at the end). The dev-set questions (read from
evals/dev.yaml) are asked through `Engine.ask` from a pool of N threads, as the bot's handlers
do, the query-vector cache emptied before each level so every question is embedded. Each level
runs `--rounds` times, interleaved with the others so background load affects them alike; the
median answers/s is kept, and each level is reported as a ratio to one at a time (target: 4
concurrent >= 1.8x). Prints the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

CORPUS = Path(os.environ.get("PROCBOT_CORPUS", REPO.parent / "shared" / "corpus"))
TARGET_4 = 1.8


def answers_per_second(engine, questions: list[str], threads: int) -> float:
    engine.retriever.forget_queries()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for _ in pool.map(engine.ask, questions):
            pass
    return len(questions) / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="an indexed data folder (default: build one)")
    parser.add_argument("--levels", default="1,2,4,8", help="concurrent questions, comma-separated")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes per level")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    levels = [int(n) for n in args.levels.split(",") if n.strip()]

    from bot.app.engine import Engine
    from bot.core.settings import SHIPPED_KNOWLEDGE, Settings
    from bot.evaluate.questions import load_questions

    work = None
    data_dir = args.data_dir
    if data_dir is None:
        if not (CORPUS / "README.md").is_file():
            print(f"reference corpus not found at {CORPUS}", file=sys.stderr)
            return 2
        work = Path(tempfile.mkdtemp(prefix="procbot-concurrency-"))
        data_dir = work / "data"
    try:
        settings = Settings(
            _env_file=None, data_dir=data_dir, knowledge=[CORPUS, SHIPPED_KNOWLEDGE]
        )
        engine = Engine(settings)
        if work is not None:
            engine.index()
        questions = [q.question for q in load_questions(REPO / "evals" / "dev.yaml")]
        for question in questions[:10]:  # warm-up: model, index, caches
            engine.ask(question)
        load_before = os.getloadavg()[0]
        rates: dict[int, list[float]] = {n: [] for n in levels}
        for _ in range(max(1, args.rounds)):
            for n in levels:
                rates[n].append(answers_per_second(engine, questions, n))
        load_after = os.getloadavg()[0]
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    base = statistics.median(rates[levels[0]])
    result = {
        "questions": len(questions),
        "answers_per_s": {str(n): round(statistics.median(r), 1) for n, r in rates.items()},
        "ratio_to_one": {str(n): round(statistics.median(r) / base, 2) for n, r in rates.items()},
        "runs_answers_per_s": {str(n): [round(x, 1) for x in r] for n, r in rates.items()},
        "load_average": [round(load_before, 2), round(load_after, 2)],
        "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"{len(questions)} questions per level, {args.rounds} rounds, {os.cpu_count()} CPUs,")
    print(f"1-minute load average {load_before:.2f} before, {load_after:.2f} after.\n")
    print("| concurrent | answers/s (median) | vs one at a time | runs |")
    print("|---|---|---|---|")
    for n in levels:
        runs = ", ".join(f"{x:.1f}" for x in rates[n])
        print(
            f"| {n} | {result['answers_per_s'][str(n)]} | {result['ratio_to_one'][str(n)]}x "
            f"| {runs} |"
        )
    if "4" in result["ratio_to_one"]:
        ratio = result["ratio_to_one"]["4"]
        print(f"\n4 concurrent: {ratio}x one at a time (target >= {TARGET_4}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
