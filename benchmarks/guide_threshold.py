"""Choose the guide-match threshold by k-fold cross-validation over a question set.

Run from the project root; indexes (incrementally) into PROCBOT_DATA_DIR, so point that at a
folder of its own:

    PROCBOT_DATA_DIR=/tmp/cv python benchmarks/guide_threshold.py [evals/dev.yaml]
        [--knowledge PATH ...] [--folds 5]

For every question the best-fused guide (embedder over the asks fused with BM25 over the asks)
and the cosine of its closest ask are computed once. The top guide *fits* a question when the
question expects an answer (not a refusal) and the guide rests on what the question's labels
name, with the same short answer:
- one of the guide's anchor passages is of an expected authority (or inside one) or from an
  expected source document;
- when the question is labelled yes / no / depends, the guide (or the condition the question
  states) gives that short answer.
A threshold t decides "the guide answers" when the cosine is >= t. Per fold, t is the value of
the grid that maximises accuracy of that decision ((answers and fits) or (does not answer and
does not fit)) on the other folds (ties: the highest t, the more cautious); the held-out fold
is then scored with it. Folds are a fixed round-robin over the questions in file order.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bot.answer.guides import GuideMatcher  # noqa: E402
from bot.app.engine import Engine  # noqa: E402
from bot.core.cite_parse import contains  # noqa: E402
from bot.core.errors import InputError  # noqa: E402
from bot.core.settings import SHIPPED_KNOWLEDGE, load_settings  # noqa: E402
from bot.evaluate.questions import Question, load_question_sets  # noqa: E402

GRID = [round(0.40 + 0.01 * i, 2) for i in range(56)]  # 0.40 ... 0.95
DECLINE = {"abstain", "not_in_sources"}


def _inside(expected: str, found: str) -> bool:
    try:
        return contains(expected, found)
    except InputError:
        return expected == found


def fits(question: Question, matcher: GuideMatcher, guide_id: str, verdict: str | None) -> bool:
    """Does the guide answer the question the way its labels say it should?"""
    if question.verdict in DECLINE:
        return False
    verified = matcher.by_id[guide_id]
    anchored = [matcher.passages[a.passage_id] for a in verified.anchors]
    on_topic = any(p.doc_id in question.sources for p in anchored) or any(
        p.authority and _inside(e, p.authority) for p in anchored for e in question.authorities
    )
    if not on_topic:
        return False
    return question.verdict is None or question.verdict == verdict


def observations(
    matcher: GuideMatcher, questions: list[Question], details: bool = False
) -> list[tuple[float, bool]]:
    """(cosine of the top guide's closest ask, whether that guide fits) per question."""
    threshold, matcher.threshold = matcher.threshold, -1.0  # every question gets its top guide
    seen = []
    try:
        for question in questions:
            match = matcher.match(question.question)
            if match is None:
                seen.append((0.0, False))
                continue
            # The short answer as served: a condition the question states decides it.
            verdict = match.short_answer.value if match.short_answer else None
            fit = fits(question, matcher, match.verified.guide.id, verdict)
            seen.append((match.score.dense, fit))
            if details:
                print(
                    f"  {question.id} {match.score.dense:.2f} {'fits' if fit else 'no  '} "
                    f"{match.verified.guide.id} ({verdict}; expected {question.verdict})"
                )
    finally:
        matcher.threshold = threshold
    return seen


def accuracy(data: list[tuple[float, bool]], threshold: float) -> float:
    if not data:
        return 0.0
    return sum((score >= threshold) == fit for score, fit in data) / len(data)


def best_threshold(data: list[tuple[float, bool]]) -> float:
    return max(GRID, key=lambda t: (accuracy(data, t), t))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", nargs="*", type=Path, default=[REPO / "evals" / "dev.yaml"])
    parser.add_argument(
        "--knowledge",
        action="append",
        type=Path,
        help="indexed paths (default: ../shared/corpus, ../shared/corpus-plus, knowledge/)",
    )
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--details", action="store_true", help="print each question's top guide")
    args = parser.parse_args()
    knowledge = args.knowledge or [
        p
        for p in (REPO.parent / "shared" / "corpus", REPO.parent / "shared" / "corpus-plus")
        if p.is_dir()
    ] + [SHIPPED_KNOWLEDGE]
    settings = load_settings(knowledge=knowledge)
    engine = Engine(settings)
    report = engine.index(knowledge)
    print(f"indexed {report.passages} passages and {report.guides} guides")
    if report.guides_waiting:
        print(report.guides_waiting)
    questions = load_question_sets(args.questions)
    data = observations(engine.guides, questions, args.details)
    fitting = sum(fit for _, fit in data)
    print(f"{len(data)} questions; the top guide fits {fitting} of them")
    folds = [data[i :: args.folds] for i in range(args.folds)]
    chosen = []
    for n, held in enumerate(folds):
        train = [x for m, fold in enumerate(folds) if m != n for x in fold]
        t = best_threshold(train)
        chosen.append(t)
        print(
            f"fold {n + 1}: threshold {t:.2f}  train accuracy {accuracy(train, t):.3f}  "
            f"held-out accuracy {accuracy(held, t):.3f} ({len(held)} questions)"
        )
    held_out = statistics.mean(accuracy(f, t) for f, t in zip(folds, chosen, strict=True))
    overall = best_threshold(data)
    print(
        f"mean held-out accuracy {held_out:.3f}; "
        f"fold thresholds median {statistics.median(chosen):.2f}"
    )
    print(
        f"threshold chosen on all questions: {overall:.2f} (accuracy {accuracy(data, overall):.3f})"
    )
    answered = [fit for score, fit in data if score >= overall]
    print(
        f"at {overall:.2f}: a guide answers {len(answered)} questions, "
        f"{sum(answered)} of them with a fitting guide"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
