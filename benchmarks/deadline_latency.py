"""What a deadline answer adds to `ask`: the same questions with and without the deadline stage.

    PROCBOT_DATA_DIR=... python benchmarks/deadline_latency.py [--repeat 3]

Needs an index holding the rules (e.g. knowledge/ plus ../shared/corpus and corpus-plus).
Per question and pass, the retriever's query cache is emptied, then `ask` runs once without
the stage and once with it; the stage is also timed alone, split into the question's
embedding (paid only when no other stage embedded the question) and the rest (event match,
date parsing, the count). Prints medians and the load average at the start.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # this tree's `bot`, not the installed one

# Time questions written for this benchmark (none is from a question set).
QUESTIONS = [
    "The defendants mailed me their motion for summary judgment on February 10, 2026. "
    "What is the last day for my opposition?",
    "I was handed interrogatories on April 2, 2026. When are my answers due?",
    "The judge entered judgment against me on May 15, 2026. How long to ask to alter it?",
    "My court mail came back undelivered on June 1, 2026; when must I give my new address?",
    "How many days do I have to object to the magistrate's recommendations?",
    "The findings and recommendations were mailed to me on January 5, 2026. When are "
    "objections due?",
]


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    from bot.answer.assemble import ask
    from bot.app.engine import Engine
    from bot.core.settings import load_settings

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    load = os.getloadavg()
    engine = Engine(load_settings())
    retriever = engine.retriever
    hook = engine._deadline_for(retriever)
    if hook is None:
        raise SystemExit("No deadline event is enabled over this index; index the rules first.")
    engine.ask(QUESTIONS[0])  # warm-up: model, matcher, dateparser
    without, with_stage, embed_ms, rest_ms = [], [], [], []

    def search(query: str, k: int):
        return retriever.search(query, k=k)

    def timed(fn) -> float:
        started = time.perf_counter()
        fn()
        return (time.perf_counter() - started) * 1000

    for _ in range(args.repeat):
        for question in QUESTIONS:
            retriever.forget_queries()
            without.append(timed(lambda q=question: ask(q, search, engine.settings)))
            retriever.forget_queries()
            with_stage.append(timed(lambda q=question: engine.ask(q)))
            retriever.forget_queries()
            embed_ms.append(timed(lambda q=question: retriever.query_vector(q)))
            rest_ms.append(timed(lambda q=question: hook(q)))  # vector now cached
    med = statistics.median
    print(f"load average at start: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; "
          f"{os.cpu_count()} CPUs; {len(QUESTIONS)} questions x {args.repeat}")  # fmt: skip
    print("| what | median ms |")
    print("|---|---|")
    print(f"| ask without the deadline stage | {med(without):.1f} |")
    print(f"| ask with it | {med(with_stage):.1f} |")
    print(f"| difference of medians | {med(with_stage) - med(without):.1f} |")
    print(f"| stage alone: the question's embedding | {med(embed_ms):.1f} |")
    print(f"| stage alone: match, date, count (vector cached) | {med(rest_ms):.1f} |")


if __name__ == "__main__":
    main()
