"""Cross-validate the time-question threshold of bot/deadlines/data/events.yaml.

Positives: every event's asks, English and Spanish (each scored leave-one-out: against all other
asks of both languages and the titles, never its own; a title is a label, not a question, so it
is a target but no positive). Negatives: the asks, English and Spanish, of the guides in
knowledge/guides/ whose topics are not about time limits.
Five stratified folds: on four, the threshold with the best balanced accuracy is chosen; on the
fifth it is scored. Run twice: by meaning alone, and as recognize() decides, where a question
that names no time (events.yaml `time_words`) is never a time question. Each language apart, by
the language of the closest ask: the embedder puts any two Spanish texts closer than two
English ones, so a Spanish match is held to its own threshold (`match_threshold_es`). Prints
each fold and the median threshold of the second run of each language, the one to keep.

    python benchmarks/deadline_threshold.py [--folds 5] [--seed 7] [--guides knowledge/guides]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
from pathlib import Path

import numpy as np
import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # this tree's `bot`, not the installed one
#: Guide topics whose asks are about time limits, so not negatives for a time detector.
TIME_TOPICS = {
    "extensions", "appeals", "change-of-address", "opposing-motions", "objections", "amending",
    "service", "default", "summary-judgment", "dismissal", "motions",
}  # fmt: skip


def _balanced(pos: np.ndarray, neg: np.ndarray, t: float) -> float:
    return ((pos >= t).mean() + (neg < t).mean()) / 2


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from bot.core.settings import Settings
    from bot.deadlines.events import load_events
    from bot.deadlines.recognize import asks_about_time
    from bot.index.embed import make_embedder

    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--guides", type=Path, default=REPO / "knowledge" / "guides")
    args = parser.parse_args()

    events = load_events()
    owners, asks, questions, spanish = [], [], [], set()
    for event in events:
        for n, ask in enumerate((event.title, *event.asks, *event.asks_es)):
            owners.append(event.key)
            asks.append(ask)
            if n:  # the title is a target, not a question someone asks
                questions.append(len(asks) - 1)
            if n > len(event.asks):
                spanish.add(len(asks) - 1)
    negatives = []
    for path in sorted(args.guides.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for guide in data.get("guides") or ():
            if guide.get("topic") not in TIME_TOPICS:
                negatives.extend(guide.get("asks") or ())
                negatives.extend(guide.get("asks_es") or ())
    embedder = make_embedder(Settings(_env_file=None))
    ask_vectors = np.asarray(embedder.embed_documents(asks), dtype=np.float32)
    neg_vectors = np.asarray(embedder.embed_documents(negatives), dtype=np.float32)
    similarity = ask_vectors @ ask_vectors.T
    np.fill_diagonal(similarity, -1.0)  # leave one out: an ask never matches itself
    similarity = similarity[questions]
    pos_scores = similarity.max(axis=1)
    closest = similarity.argmax(axis=1)
    right = np.array([owners[int(n)] == owners[i] for n, i in zip(closest, questions, strict=True)])
    neg_similarity = neg_vectors @ ask_vectors.T
    neg_scores = neg_similarity.max(axis=1)
    # recognize() holds a score to the threshold of the language of the closest ask.
    pos_es = np.array([int(row.argmax()) in spanish for row in similarity])
    neg_es = np.array([int(row.argmax()) in spanish for row in neg_similarity])
    timed = np.array([asks_about_time(asks[i]) for i in questions])
    neg_timed = np.array([asks_about_time(q) for q in negatives])
    print(
        f"{len(questions)} event asks ({len(spanish)} Spanish), {len(negatives)} non-time guide "
        f"asks, {args.folds} folds; {int(timed.sum())} event asks and {int(neg_timed.sum())} "
        "negatives name time"
    )
    for language, pos_in, neg_in in (
        ("English", ~pos_es, ~neg_es),
        ("Spanish", pos_es, neg_es),
    ):
        print(
            f"\n## Closest ask {language}: {int(pos_in.sum())} event asks, "
            f"{int(neg_in.sum())} negatives\n\nBy meaning alone:"
        )
        alone = _folds(pos_scores[pos_in], neg_scores[neg_in], args)
        print(
            f"at {alone:.2f}: recall {(pos_scores[pos_in] >= alone).mean():.3f}, "
            f"false-positive rate {(neg_scores[neg_in] >= alone).mean():.3f}"
        )
        # The threshold decides only among questions that name time: it is chosen on those, so
        # the negatives the time words already turn away do not pull it down.
        print("\nAs recognize() decides (a question naming no time is not one):")
        pos_t, neg_t = pos_in & timed, neg_in & neg_timed
        threshold = _folds(pos_scores[pos_t], neg_scores[neg_t], args)
        kept = pos_t & (pos_scores >= threshold)
        print(
            f"at {threshold:.2f}: recall {kept.sum() / pos_in.sum():.3f}, false-positive rate "
            f"{(neg_t & (neg_scores >= threshold)).sum() / neg_in.sum():.3f}; leave-one-out "
            f"event accuracy above it {right[kept].mean() if kept.any() else 0.0:.3f}"
        )
        print(f"median threshold ({language}) {threshold:.2f}")


def _folds(pos_scores: np.ndarray, neg_scores: np.ndarray, args) -> float:
    """Each fold's threshold (chosen on the other folds) and its test scores; the median."""
    rng = random.Random(args.seed)
    pos_idx, neg_idx = list(range(len(pos_scores))), list(range(len(neg_scores)))
    rng.shuffle(pos_idx)
    rng.shuffle(neg_idx)
    candidates = np.round(np.arange(0.30, 0.90, 0.01), 2)
    chosen = []
    print("| fold | threshold | test balanced acc. | test recall | test false-positive rate |")
    print("|---|---|---|---|---|")
    for fold in range(args.folds):
        test_p = set(pos_idx[fold :: args.folds])
        test_n = set(neg_idx[fold :: args.folds])
        train_pos = np.array([pos_scores[i] for i in pos_idx if i not in test_p])
        train_neg = np.array([neg_scores[i] for i in neg_idx if i not in test_n])
        best = max(candidates, key=lambda t: (_balanced(train_pos, train_neg, t), t))
        tp = np.array([pos_scores[i] for i in test_p])
        tn = np.array([neg_scores[i] for i in test_n])
        chosen.append(float(best))
        print(
            f"| {fold + 1} | {best:.2f} | {_balanced(tp, tn, best):.3f} | "
            f"{(tp >= best).mean():.3f} | {(tn >= best).mean():.3f} |"
        )
    threshold = statistics.median(chosen)
    print(f"median {threshold:.2f}")
    return threshold


if __name__ == "__main__":
    main()
