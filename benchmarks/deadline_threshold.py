"""Cross-validate the time-question threshold of bot/deadlines/data/events.yaml.

Positives: every event's asks (each scored leave-one-out: against all other asks, never its own).
Negatives: the asks of the guides in knowledge/guides/ whose topics are not about time limits.
Five stratified folds: on four, the threshold with the best balanced accuracy is chosen; on the
fifth it is scored. Prints each fold and the median threshold, which is the one to keep.

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
    from bot.index.embed import make_embedder

    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--guides", type=Path, default=REPO / "knowledge" / "guides")
    args = parser.parse_args()

    events = load_events()
    owners, asks = [], []
    for event in events:
        for ask in (event.title, *event.asks):
            owners.append(event.key)
            asks.append(ask)
    negatives = []
    for path in sorted(args.guides.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for guide in data.get("guides") or ():
            if guide.get("topic") not in TIME_TOPICS:
                negatives.extend(guide.get("asks") or ())
    embedder = make_embedder(Settings(_env_file=None))
    ask_vectors = np.asarray(embedder.embed_documents(asks), dtype=np.float32)
    neg_vectors = np.asarray(embedder.embed_documents(negatives), dtype=np.float32)
    similarity = ask_vectors @ ask_vectors.T
    np.fill_diagonal(similarity, -1.0)  # leave one out: an ask never matches itself
    pos_scores = similarity.max(axis=1)
    right = [owners[int(similarity[i].argmax())] == owners[i] for i in range(len(asks))]
    neg_scores = (neg_vectors @ ask_vectors.T).max(axis=1)

    rng = random.Random(args.seed)
    pos_idx, neg_idx = list(range(len(asks))), list(range(len(negatives)))
    rng.shuffle(pos_idx)
    rng.shuffle(neg_idx)
    candidates = np.round(np.arange(0.30, 0.90, 0.01), 2)
    chosen = []
    print(f"{len(asks)} event asks, {len(negatives)} non-time guide asks, {args.folds} folds")
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
    kept = pos_scores >= threshold
    top1 = np.mean([r for r, k in zip(right, kept, strict=True) if k]) if kept.any() else 0.0
    print(f"median threshold {threshold:.2f}; leave-one-out event accuracy above it {top1:.3f}")


if __name__ == "__main__":
    main()
