"""Cross-validate the drafting/advice screen's classifier (bot/answer/requests.py).

Rows: the examples of bot/answer/data/requests.yaml and the guides' asks in knowledge/guides/
(procedure). Five stratified outer folds: on four, an inner 4-fold search picks C (the
regularization) with the best balanced accuracy; the fifth is scored at the decline floor.
Prints each fold's C and held-out recall per kind; the median C is the one to keep.

    python benchmarks/request_screen.py [--folds 5] [--seed 7] [--guides knowledge/guides]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

import numpy as np
import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # this tree's `bot`, not the installed one


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sklearn.model_selection import StratifiedKFold

    from bot.answer.requests import FLOOR, KINDS, PROCEDURE, RequestScreen, examples
    from bot.core.settings import Settings
    from bot.index.embed import make_embedder

    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--guides", type=Path, default=REPO / "knowledge" / "guides")
    args = parser.parse_args()

    kinds, texts = [], []
    for kind in KINDS:
        for text in examples()[kind]:
            kinds.append(kind)
            texts.append(text)
    for path in sorted(args.guides.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for guide in data.get("guides") or ():
            for ask in guide.get("asks") or ():
                kinds.append(PROCEDURE)
                texts.append(str(ask))
    embedder = make_embedder(Settings(_env_file=None))
    vectors = np.asarray(embedder.embed_documents(texts), dtype=np.float32)
    labels = np.array(kinds)

    def fitted(rows: np.ndarray, c: float) -> RequestScreen:
        by_kind = {k: vectors[rows][labels[rows] == k] for k in KINDS}
        return RequestScreen.fit(by_kind, None, c=c)

    def recall(screen: RequestScreen, rows: np.ndarray) -> dict[str, float]:
        said = [screen.reason(vectors[i]) or PROCEDURE for i in rows]
        return {
            k: float(np.mean([s == k for s, i in zip(said, rows, strict=True) if kinds[i] == k]))
            for k in KINDS
        }

    outer = StratifiedKFold(args.folds, shuffle=True, random_state=args.seed)
    candidates = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
    chosen = []
    print(f"rows per kind (procedure includes guide asks): { {k: kinds.count(k) for k in KINDS} }")
    print(f"decline floor {FLOOR}; {args.folds} outer folds, C from an inner 4-fold search")
    print("| fold | C | drafting recall | advice recall | procedure answered |")
    print("|---|---|---|---|---|")
    for n, (train, test) in enumerate(outer.split(vectors, labels), 1):
        inner = StratifiedKFold(4, shuffle=True, random_state=args.seed)

        def balanced(c: float, train: np.ndarray = train, inner=inner) -> float:
            scores = []
            for fit_rows, held in inner.split(vectors[train], labels[train]):
                got = recall(fitted(train[fit_rows], c), train[held])
                scores.append(np.mean(list(got.values())))
            return float(np.mean(scores))

        best = max(candidates, key=lambda c: (balanced(c), -c))
        chosen.append(best)
        got = recall(fitted(train, best), test)
        print(
            f"| {n} | {best:g} | {got[KINDS[0]]:.3f} | {got[KINDS[1]]:.3f} | {got[PROCEDURE]:.3f} |"
        )
    print(f"median C {statistics.median(chosen):g}")


if __name__ == "__main__":
    main()
