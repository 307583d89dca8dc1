"""`procbot eval`: run every retriever and the composer over question sets, score, report."""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.app.engine import Engine
from bot.core.errors import ConfigError, InputError
from bot.core.settings import Settings
from bot.core.types import Hit
from bot.evaluate.baseline import BaselineRetriever
from bot.evaluate.metrics import (
    AnswerResult,
    EvalRun,
    RetrievalResult,
    answer_metrics,
    answer_result,
    retrieval_metrics,
    retrieved_from,
)
from bot.evaluate.questions import Question, book_editions, load_question_sets
from bot.evaluate.report import metrics_document, write_report
from bot.ingest.load import read_documents

Progress = Callable[[str, int, int], None]

RETRIEVERS = ("baseline", "bm25", "dense", "hybrid", "authority")
COMPOSERS = ("extractive", "llm")
DEFAULT_COMPARE = ("baseline", "bm25", "dense", "hybrid")
#: Passages kept per question and retriever, so hit@k curves reach k = 10 whatever --k is.
CURVE_DEPTH = 10
#: metrics.json keys a floors file may bound: the headline numbers, then each retriever's.
FLOOR_METRICS = (
    "mrr", "verdict_accuracy", "wrong_firm_verdicts", "abstention_precision",
    "abstention_recall", "wrongly_abstained_rate", "not_in_sources_declined",
    "not_in_sources_declined_rate", "nugget_recall", "authority_citation_recall",
    "source_citation_recall", "citation_precision", "fabricated_citations",
    "latency_p50_ms", "latency_p95_ms", "questions",
)  # fmt: skip
RETRIEVER_FLOOR_METRICS = ("mrr", "latency_p50_ms", "latency_p95_ms")
#: authority_hit@5, source_hit@10, ...: the k is the run's --k.
_HIT_AT_K = re.compile(r"(authority|source)_hit@[1-9][0-9]*")
_FLOOR_FILE_KEYS = ("min", "max", "retrievers", "note")


def eval_settings(settings: Settings, knowledge: Sequence[Path] | None, composer: str) -> Settings:
    """Settings for the run: with `knowledge`, a cached index of its own under data_dir."""
    update: dict[str, Any] = {"composer": composer}
    if knowledge:
        resolved = sorted(str(Path(p).resolve()) for p in knowledge)
        key = hashlib.sha256("\n".join(resolved).encode()).hexdigest()[:16]
        update["data_dir"] = settings.data_dir / "eval-index" / key
        update["knowledge"] = [Path(p) for p in knowledge]
    return settings.model_copy(update=update)


def evaluate(
    settings: Settings,
    question_files: list[Path],
    knowledge: list[Path] | None = None,
    k: int = 5,
    compare: Sequence[str] = DEFAULT_COMPARE,
    composer: str = "extractive",
    out: Path | None = None,
    progress: Progress | None = None,
) -> EvalRun:
    """Score retrievers and the composer on the question sets; write the report to `out`."""

    notify: Progress = progress or (lambda stage, done, total: None)
    compare = _checked(compare, k, composer)
    for path in question_files:
        if Path(path).is_dir():
            raise InputError(
                f"{path} is a folder; give question-set files (YAML), such as {path}/dev.yaml."
            )
    if out is not None and Path(out).exists() and not Path(out).is_dir():
        raise InputError(f"--out {out} is a file; give a folder for the report.")
    questions = load_question_sets([Path(p) for p in question_files])
    run_settings = eval_settings(settings, knowledge, composer)
    engine = Engine(run_settings)
    if knowledge:
        # Exactly these paths: the cached index is the evaluated set, nothing else.
        engine.index(list(knowledge), progress=notify, replace=True)

    documents = engine.retriever.snapshot.documents
    warnings = _unknown_sources(questions, {d.doc_id for d in documents})
    questions = book_editions(questions, documents)
    depth = max(k, CURVE_DEPTH)
    retrieval: list[RetrievalResult] = []
    for name in compare:
        search = _searcher(name, engine, run_settings)
        try:
            retrieval.extend(_retrieve_all(name, search, questions, depth, notify))
        finally:
            getattr(search, "close", lambda: None)()
    answers = _answer_all(engine, questions, notify)

    scores = {name: retrieval_metrics(questions, retrieval, name, k) for name in compare}
    answered = answer_metrics(questions, answers)
    run = EvalRun(
        question_files=tuple(str(p) for p in question_files),
        questions=tuple(questions),
        k=k,
        retrievers=tuple(compare),
        composer=composer,
        retrieval=tuple(retrieval),
        answers=tuple(answers),
        retrieval_scores=scores,
        answer_scores=answered,
        metrics=metrics_document(k, composer, scores, answered),
        index_dir=str(run_settings.index_dir),
        warnings=tuple(warnings),
    )
    if out is not None:
        try:
            files = write_report(run, Path(out))
        except OSError as error:
            raise ConfigError(
                f"Cannot write the report in {out} ({error.strerror or error})."
            ) from None
        run = EvalRun(**{**run.__dict__, "files": tuple(files)})
    return run


def _checked(compare: Sequence[str], k: int, composer: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(name.strip() for name in compare if name.strip()))
    unknown = [n for n in names if n not in RETRIEVERS]
    if unknown:
        raise InputError(
            f"Unknown retriever {unknown[0]!r}; compare any of {', '.join(RETRIEVERS)}."
        )
    if composer not in COMPOSERS:
        raise InputError(f"Unknown composer {composer!r}; use extractive or llm.")
    if not 1 <= k <= 50:
        raise InputError("k must be between 1 and 50.")
    # The headline retrieval metrics are the hybrid retriever's: it is always measured.
    return names if "hybrid" in names else (*names, "hybrid")


def _unknown_sources(questions: Sequence[Question], indexed: set[str]) -> list[str]:
    return [
        f"question {q.id}: source {source!r} is not among the indexed documents"
        for q in questions
        for source in q.sources
        if source not in indexed
    ]


def forget_queries(engine: Any) -> None:
    """Drop the retriever's cache of query vectors, so each timed query pays for its embedding.

    Every retriever and the composer see the same questions; without this the first dense run
    would fill the cache and later runs would report latencies no real question gets.
    """
    engine.retriever.forget_queries()


class _EngineSearch:
    def __init__(self, engine: Any, mode: str) -> None:
        self.engine, self.mode = engine, mode

    def __call__(self, query: str, k: int) -> list[Hit]:
        forget_queries(self.engine)
        return self.engine.search(query, k=k, mode=self.mode)


class _BaselineSearch:
    def __init__(self, engine: Any, settings: Settings) -> None:

        documents, _ = read_documents(list(settings.knowledge))
        # Same rule as the index: the first file of a name wins, later namesakes are skipped.
        unique = list({d.doc_id: d for d in reversed(documents)}.values())[::-1]
        self.retriever = BaselineRetriever(unique, engine.embedder)

    def __call__(self, query: str, k: int) -> list[Hit]:
        return self.retriever.search(query, k)

    def close(self) -> None:
        self.retriever.close()


def _searcher(name: str, engine: Any, settings: Settings) -> Callable[[str, int], list[Hit]]:
    if name == "baseline":
        return _BaselineSearch(engine, settings)
    return _EngineSearch(engine, name)


def _retrieve_all(
    name: str,
    search: Callable[[str, int], list[Hit]],
    questions: Sequence[Question],
    depth: int,
    notify: Progress,
) -> list[RetrievalResult]:
    search(questions[0].question, depth)  # warm-up: loads the model and caches, untimed
    results: list[RetrievalResult] = []
    for done, question in enumerate(questions, 1):
        started = time.perf_counter()
        hits = search(question.question, depth)
        elapsed = (time.perf_counter() - started) * 1000
        passages = tuple(retrieved_from(hit) for hit in hits)
        results.append(RetrievalResult(question.id, name, passages, elapsed))
        notify(f"retrieve:{name}", done, len(questions))
    return results


def _answer_all(engine: Any, questions: Sequence[Question], notify: Progress) -> list[AnswerResult]:
    results: list[AnswerResult] = []
    for done, question in enumerate(questions, 1):
        given: list[Hit] = []

        def retrieve(query: str, k: int, given: list[Hit] = given) -> list[Hit]:
            hits = engine.search(query, k=k, mode="hybrid")
            given.extend(hits)
            return hits

        forget_queries(engine)
        started = time.perf_counter()
        try:
            # The engine's own path, screens and deadline counting included, so the figures are
            # those of the answers people get; only the retrieval is recorded.
            answer = engine.ask(question.question, retrieve=retrieve)
        except InputError as error:
            # A question the answer stage refuses outright is scored as an abstention.
            results.append(AnswerResult(question.id, None, True, (), 0.0, str(error), "input"))
            notify("answer", done, len(questions))
            continue
        elapsed = (time.perf_counter() - started) * 1000
        if answer.guide_id is not None:
            # A guide's composer is handed the passages its anchors were verified in.
            verified = engine.guides.by_id[answer.guide_id]
            anchored = [engine.guides.passages[a.passage_id] for a in verified.anchors]
            given.extend(Hit(p, 0.0, rank) for rank, p in enumerate(anchored, 1))
        results.append(answer_result(question.id, answer, given, elapsed))
        notify("answer", done, len(questions))
    return results


# -- floors ---------------------------------------------------------------------------------


def check_floors(metrics: dict[str, Any], floors_path: Path) -> list[str]:
    """Messages for every metric below its floor (or above its ceiling); empty when all pass.

    floors.json: {"min": {key: value}, "max": {key: value},
                  "retrievers": {name: {"min": {...}, "max": {...}}}}
    """
    try:
        floors = json.loads(Path(floors_path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{floors_path}: floors file not found.") from None
    except json.JSONDecodeError as error:
        raise ConfigError(f"{floors_path}: not valid JSON (line {error.lineno}).") from None
    if not isinstance(floors, dict):
        raise ConfigError(f"{floors_path}: expected an object with 'min' and 'max'.")
    _check_floor_keys(floors, floors_path)
    failures = _bounds(metrics, floors, "")
    for name, bounds in (floors.get("retrievers") or {}).items():
        scores = (metrics.get("retrievers") or {}).get(name)
        if scores is None:
            continue  # a run may compare fewer retrievers; their floors do not apply
        failures.extend(_bounds(scores, bounds, f"{name} "))
    return failures


def _check_floor_keys(floors: dict[str, Any], path: Path) -> None:
    """A misspelled key would silently bound nothing: every key must be one procbot measures."""
    unknown = [key for key in floors if key not in _FLOOR_FILE_KEYS]
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r}; use {', '.join(_FLOOR_FILE_KEYS)}.")
    _check_sides(floors, FLOOR_METRICS, path, "")
    retrievers = floors.get("retrievers") or {}
    if not isinstance(retrievers, dict):
        raise ConfigError(f"{path}: 'retrievers' must map retriever names to their floors.")
    for name, bounds in retrievers.items():
        if name not in RETRIEVERS:
            raise ConfigError(
                f"{path}: unknown retriever {name!r}; use any of {', '.join(RETRIEVERS)}."
            )
        if not isinstance(bounds, dict) or set(bounds) - {"min", "max"}:
            raise ConfigError(f"{path}: retrievers.{name} takes only 'min' and 'max'.")
        _check_sides(bounds, RETRIEVER_FLOOR_METRICS, path, f"retrievers.{name}.")


def _check_sides(bounds: dict[str, Any], known: Sequence[str], path: Path, where: str) -> None:
    for side in ("min", "max"):
        limits = bounds.get(side) or {}
        if not isinstance(limits, dict):
            raise ConfigError(f"{path}: {where}{side} must map metric names to numbers.")
        for key, limit in limits.items():
            if key not in known and not _HIT_AT_K.fullmatch(key):
                raise ConfigError(
                    f"{path}: {where}{side} names {key!r}, which procbot does not measure; "
                    f"known: {', '.join(known)}, authority_hit@K, source_hit@K."
                )
            if isinstance(limit, bool) or not isinstance(limit, int | float):
                raise ConfigError(f"{path}: {where}{side}.{key} must be a number, not {limit!r}.")


def _bounds(values: dict[str, Any], bounds: dict[str, Any], prefix: str) -> list[str]:
    failures: list[str] = []
    for side in ("min", "max"):
        for key, limit in (bounds.get(side) or {}).items():
            value = values.get(key)
            if value is None:
                failures.append(f"{prefix}{key}: not measured (floor {side} {limit})")
            elif side == "min" and value < limit:
                failures.append(f"{prefix}{key} = {value:.3f} is below the floor {limit}")
            elif side == "max" and value > limit:
                failures.append(f"{prefix}{key} = {value:.3f} is above the ceiling {limit}")
    return failures
