"""Cross-validate the answer stage's two evidence thresholds (guide margin, passage evidence).

Run from the project root; it reads the index `procbot eval` keeps for the same knowledge
under PROCBOT_DATA_DIR (--reindex builds or updates it first):

    PROCBOT_DATA_DIR=/tmp/cv python benchmarks/answer_cv.py [--folds 5] [--details]

1. Guide answer margin (bot.answer.guides.ANSWER_MARGIN), over evals/dev.yaml. For each
   question a guide answers with a firm Yes/No, the margin is the cosine of its closest ask
   minus that of the closest guide with another short answer. A margin m keeps the firm answer
   when the margin is >= m. Per fold, m is the grid value with the fewest wrong firm answers
   on the other folds, then the most right ones, then the smallest; the held-out fold is scored
   with it.
2. Passage evidence (a threshold tried and left out of bot/answer/assemble.py), over evals/dev.yaml,
   evals/holdout.yaml and evals/blind.yaml (scored once already, so no longer blind; it is the
   only one of the three with questions whose law no indexed source holds). For each question
   that reaches the passage path (not screened, no guide), the evidence is the best cosine of
   the question with a retrieved passage (dense retrieval's score). A threshold t declines the
   question when its evidence is below t. Per fold, t is the grid value that gets the most of
   the other folds' passage-path questions right (in scope kept, not-in-sources declined),
   then the smallest; the held-out fold is scored with it. evals/blind2.yaml is never read.

Folds are a fixed round-robin over the questions in file order. The fold lines are copied
into evals/README.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bot.answer.assemble import unindexed_authority  # noqa: E402
from bot.answer.scope import screen  # noqa: E402
from bot.app.engine import Engine  # noqa: E402
from bot.core.answer_types import Verdict  # noqa: E402
from bot.core.settings import SHIPPED_KNOWLEDGE, load_settings  # noqa: E402
from bot.evaluate.questions import Question, load_question_sets  # noqa: E402
from bot.evaluate.run import eval_settings  # noqa: E402

MARGINS = [round(0.005 * i, 3) for i in range(41)]  # 0.0 ... 0.2
EVIDENCE = [round(0.20 + 0.01 * i, 2) for i in range(51)]  # 0.20 ... 0.70
FIRM = (Verdict.YES, Verdict.NO)


@dataclass(frozen=True)
class Seen:
    """What the answer stage sees of one question."""

    question: Question
    screened: bool  # refused by the scope screen
    guide: str | None  # the matched guide
    stated: Verdict | None  # its short answer before the margin
    margin: float | None  # closest ask minus the closest rival guide's (None: no rival)
    evidence: float | None  # best question-passage cosine of the hits (passage path)
    unindexed: bool  # names an authority none of the hits is


def observe(engine: Engine, questions: list[Question]) -> list[Seen]:
    matcher = engine.guides
    retriever = engine.retriever
    seen = []
    for q in questions:
        vector = retriever.query_vector(q.question)
        screened = screen(q.question) is not None
        match = matcher.match(q.question, vector) if matcher is not None else None
        hits = engine.search(q.question, k=engine.settings.k, mode="hybrid")
        dense = engine.search(q.question, k=1, mode="dense")
        seen.append(
            Seen(
                q,
                screened,
                match.verified.guide.id if match else None,
                match.stated_answer if match else None,
                match.margin if match else None,
                dense[0].score if dense else None,
                unindexed_authority(q.question, hits),
            )
        )
    return seen


# -- 1. guide margin --------------------------------------------------------------------------


def guide_counts(data: list[Seen], m: float) -> tuple[int, int]:
    """(wrong firm, right firm) guide answers kept at margin m."""
    wrong = right = 0
    for s in data:
        if s.screened or s.guide is None or s.stated not in FIRM:
            continue
        if s.question.verdict not in ("yes", "no", "depends"):
            continue
        if s.margin is not None and s.margin < m:
            continue
        if s.stated.value == s.question.verdict:
            right += 1
        else:
            wrong += 1
    return wrong, right


def best_margin(data: list[Seen]) -> float:
    return min(MARGINS, key=lambda m: (guide_counts(data, m)[0], -guide_counts(data, m)[1], m))


# -- 2. passage evidence ----------------------------------------------------------------------


def passage_path(data: list[Seen]) -> list[Seen]:
    """Questions that reach the passage path with a dense score: in scope, or not in sources."""
    return [
        s
        for s in data
        if (s.question.in_scope or s.question.expects_not_in_sources)
        and not s.screened
        and s.guide is None
        and s.evidence is not None
    ]


def evidence_counts(data: list[Seen], t: float) -> tuple[int, int, int, int]:
    """(in-scope declined, in-scope on the path, not-in-sources declined, not-in-sources on
    the path) at threshold t."""
    path = passage_path(data)
    inside = [s for s in path if s.question.in_scope]
    outside = [s for s in path if s.question.expects_not_in_sources]
    return (
        sum(s.evidence < t for s in inside),
        len(inside),
        sum(s.evidence < t for s in outside),
        len(outside),
    )


def best_evidence(data: list[Seen]) -> float:
    def right(t: float) -> int:
        wrongly, inside, rightly, _ = evidence_counts(data, t)
        return inside - wrongly + rightly

    return min(EVIDENCE, key=lambda t: (-right(t), t))


def folds_of(data: list[Seen], n: int) -> list[list[Seen]]:
    return [data[i::n] for i in range(n)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--details", action="store_true")
    parser.add_argument("--reindex", action="store_true", help="index first (else reuse it)")
    args = parser.parse_args()
    knowledge = [
        p
        for p in (REPO.parent / "shared" / "corpus", REPO.parent / "shared" / "corpus-plus")
        if p.is_dir()
    ] + [SHIPPED_KNOWLEDGE]
    settings = eval_settings(load_settings(), knowledge, "extractive")
    engine = Engine(settings)
    if args.reindex:
        report = engine.index(knowledge)
        print(f"indexed {report.passages} passages and {report.guides} guides")
    print(f"{len(engine.retriever.snapshot.passages)} passages, {len(engine.guides)} guides")
    dev = observe(engine, load_question_sets([REPO / "evals" / "dev.yaml"]))
    holdout = observe(engine, load_question_sets([REPO / "evals" / "holdout.yaml"]))
    if args.details:
        for s in dev + holdout:
            margin = "-" if s.margin is None else f"{s.margin:.3f}"
            evidence = "-" if s.evidence is None else f"{s.evidence:.3f}"
            print(
                f"  {s.question.id} expected={s.question.verdict} screened={s.screened} "
                f"guide={s.guide} stated={s.stated and s.stated.value} margin={margin} "
                f"evidence={evidence} unindexed={s.unindexed}"
            )

    print("\n1. guide answer margin, 5-fold over evals/dev.yaml")
    wrong, right = guide_counts(dev, 0.0)
    print(f"without a margin: {wrong} wrong and {right} right firm guide answers")
    chosen = []
    for n, held in enumerate(folds := folds_of(dev, args.folds)):
        train = [s for k, fold in enumerate(folds) if k != n for s in fold]
        m = best_margin(train)
        chosen.append(m)
        tw, tr = guide_counts(train, m)
        hw, hr = guide_counts(held, m)
        print(
            f"fold {n + 1}: margin {m:.3f}  train wrong/right {tw}/{tr}  held-out wrong/right "
            f"{hw}/{hr} (without margin {'/'.join(map(str, guide_counts(held, 0.0)))})"
        )
    m = statistics.median(chosen)
    print(f"median {m:.3f}; on all dev: wrong/right {'/'.join(map(str, guide_counts(dev, m)))}")
    hw, hr = guide_counts(holdout, m)
    print(f"holdout at {m:.3f}: wrong/right {hw}/{hr} (without: {guide_counts(holdout, 0.0)})")

    print("\n2. passage evidence, folds over dev + holdout + blind (blind seen, not blind2)")
    blind = observe(engine, load_question_sets([REPO / "evals" / "blind.yaml"]))
    both = dev + holdout + blind
    print(f"{len(passage_path(both))} questions reach the passage path with a dense score")
    chosen = []
    for n, held in enumerate(folds := folds_of(both, args.folds)):
        train = [s for k, fold in enumerate(folds) if k != n for s in fold]
        t = best_evidence(train)
        chosen.append(t)
        wi, ni, wo, no = evidence_counts(held, t)
        print(
            f"fold {n + 1}: threshold {t:.2f}  held-out in-scope declined {wi} of {ni}, "
            f"not-in-sources declined {wo} of {no}"
        )
    t = statistics.median(chosen)
    wi, ni, wo, no = evidence_counts(both, t)
    print(f"median {t:.2f}; on all: in-scope declined {wi} of {ni}, not-in-sources {wo} of {no}")
    for label, group in (("in scope", True), ("not in sources", False)):
        values = sorted(
            f"{s.evidence:.3f}" for s in passage_path(both) if s.question.in_scope == group
        )
        print(f"evidence, {label}: {', '.join(values)}")
    named = [s.question.id for s in both if s.question.in_scope and s.unindexed]
    print(f"in-scope questions naming an authority no hit is: {len(named)} {named}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
