"""Drafting and advice requests recognized by meaning: a classifier over example questions."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import yaml

from bot.answer.scope import ADVICE, DRAFTING
from bot.core.files import keep_cache_file
from bot.index.embed import fixed_vectors

#: The kinds of example in data/requests.yaml; "procedure" is answered.
PROCEDURE = "procedure"
KINDS = (DRAFTING, ADVICE, PROCEDURE)
#: Inverse regularization of the classifier; chosen by 5-fold cross-validation over the
#: examples and the guides' asks (benchmarks/request_screen.py; the folds are in its output).
C = 4.0
#: A question is declined only when its kind is this likely; below it, procbot answers (a
#: wrong refusal costs a person the answer, a missed one is still answered from sources).
#: benchmarks/request_screen.py prints the held-out recall of each kind at this floor.
FLOOR = 0.7


@cache
def examples() -> dict[str, tuple[str, ...]]:
    """The examples of each kind, from data/requests.yaml."""
    raw = yaml.safe_load(
        resources.files("bot.answer").joinpath("data/requests.yaml").read_text("utf-8")
    )
    found = {kind: tuple(str(q) for q in raw.get(kind) or ()) for kind in KINDS}
    empty = [kind for kind, asks in found.items() if not asks]
    if empty:
        raise ValueError(f"data/requests.yaml has no examples of: {', '.join(empty)}")
    return found


def _unit(rows: Sequence[Sequence[float]]) -> np.ndarray:
    vectors = np.asarray(rows, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


class RequestScreen:
    """A linear classifier over the examples' vectors; the guides' asks count as procedure.

    The embedder puts questions about one topic close together whatever they ask ("how do I
    write a motion?" and "write a motion for me"); a classifier learns the direction that
    separates asking for procedure from asking procbot to write or to predict. Fitting needs
    scikit-learn; a fitted screen is only its weights, so serving reads them with numpy.
    """

    def __init__(
        self, kinds: Sequence[str], coef: np.ndarray, intercept: np.ndarray, floor: float = FLOOR
    ) -> None:
        self.kinds = [str(k) for k in kinds]
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.floor = floor

    @classmethod
    def fit(
        cls,
        examples_by_kind: dict[str, np.ndarray],
        asks: np.ndarray | None = None,
        c: float = C,
        floor: float = FLOOR,
    ) -> RequestScreen:
        """Fit the classifier (multinomial logistic regression, balanced classes)."""
        from sklearn.linear_model import LogisticRegression

        rows = [examples_by_kind[kind] for kind in KINDS]
        labels = [kind for kind in KINDS for _ in range(len(examples_by_kind[kind]))]
        if asks is not None and len(asks) and asks.shape[1] == rows[0].shape[1]:
            rows.append(_unit(asks))
            labels += [PROCEDURE] * len(asks)
        model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
        model.fit(np.vstack(rows), np.array(labels))
        return cls(model.classes_, model.coef_, model.intercept_, floor)

    def likelihood(self, vector: Sequence[float]) -> dict[str, float]:
        """How likely the question is each kind of request (the multinomial model's softmax,
        as scikit-learn's predict_proba computes it)."""
        scores = _unit(vector)[0].astype(np.float64) @ self.coef.T + self.intercept
        found = np.exp(scores - scores.max())
        found /= found.sum()
        return {kind: float(p) for kind, p in zip(self.kinds, found, strict=True)}

    def reason(self, vector: Sequence[float]) -> str | None:
        """ "drafting" or "advice" when the question asks for that; None to answer it."""
        likely = self.likelihood(vector)
        kind = max(likely, key=lambda k: likely[k])
        return kind if kind != PROCEDURE and likely[kind] >= self.floor else None


def fitted_screen(
    vectors: dict[str, np.ndarray], asks: np.ndarray | None, cache_dir: Path | None
) -> RequestScreen:
    """The screen fitted on these vectors, read from `cache_dir` when an earlier start fitted
    the same ones (a cold start then neither imports scikit-learn nor fits)."""
    digest = hashlib.sha256(f"C={C}".encode())
    for kind in KINDS:
        digest.update(kind.encode() + np.ascontiguousarray(vectors[kind], np.float32).tobytes())
    if asks is not None:
        digest.update(b"asks" + np.ascontiguousarray(asks, np.float32).tobytes())
    path = cache_dir / f"screen-{digest.hexdigest()[:24]}.npz" if cache_dir else None
    if path is not None:
        try:
            with np.load(path, allow_pickle=False) as kept:
                return RequestScreen(kept["kinds"], kept["coef"], kept["intercept"])
        except (OSError, ValueError, KeyError):
            pass  # fitted again below
    screen = RequestScreen.fit(vectors, asks)
    if path is not None:
        keep_cache_file(
            path,
            lambda out: np.savez(
                out, kinds=np.array(screen.kinds), coef=screen.coef, intercept=screen.intercept
            ),
        )
    return screen


_screens: dict[tuple[str, Path | None], tuple[object, RequestScreen]] = {}
_lock = threading.Lock()


def screen_for(
    embedder, asks: np.ndarray | None = None, cache_dir: Path | None = None
) -> RequestScreen:
    """One screen per embedder, data folder and set of guide asks: examples are embedded once
    a process (and kept in each folder's `cache_dir`, so that folder's next start reads them),
    and the classifier is fitted again only when a new index generation brings other asks."""
    with _lock:
        kept = _screens.get((embedder.name, cache_dir))
        if kept is None or kept[0] is not asks:
            vectors = {
                kind: fixed_vectors(embedder, texts, cache_dir)
                for kind, texts in examples().items()
            }
            screen = fitted_screen(vectors, asks, cache_dir)
            kept = _screens[(embedder.name, cache_dir)] = (asks, screen)
        return kept[1]
