"""Report files: metrics.json keys, one results line per question, Markdown, real PNG charts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from bot.core.errors import ConfigError
from bot.evaluate.metrics import (
    AnswerResult,
    Citation,
    RetrievalResult,
    Retrieved,
    answer_metrics,
    retrieval_metrics,
)
from bot.evaluate.questions import Question
from bot.evaluate.report import CHARTS, metrics_document, summary_table, write_report
from bot.evaluate.run import FLOOR_METRICS, EvalRun, check_floors

MASTERSON = "masterson-v-killen-2014-11-24"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

QUESTIONS = (
    Question(
        id="q1",
        question="Should I file my letter to defense counsel with the court?",
        verdict="no",
        authorities=("E.D. Cal. L.R. 250.2",),
        sources=(MASTERSON,),
        topic="correspondence with defense counsel",
    ),
    Question(
        id="q2",
        question="show me the text of rule 26(b)(1)",
        authorities=("Fed. R. Civ. P. 26(b)(1)",),
        sources=("frcp-2022-12-01",),
        topic="motions to compel",
    ),
    Question(
        id="x1", question="How long to bake a pound cake?", verdict="abstain", topic="out of scope"
    ),
)
ORDER = Retrieved(f"{MASTERSON}#3", MASTERSON, ("E.D. Cal. L.R. 250.2",))
RULE = Retrieved("frcp#26b1", "frcp-2022-12-01", ("Fed. R. Civ. P. 26(b)(1)",))


def make_run(k: int = 2, questions: tuple[Question, ...] = QUESTIONS) -> EvalRun:
    retrieval = []
    for name, latency in (("baseline", 30.0), ("hybrid", 12.0)):
        retrieval += [
            RetrievalResult("q1", name, (ORDER, RULE), latency),
            RetrievalResult("q2", name, (ORDER, RULE) if name == "hybrid" else (ORDER,), latency),
            RetrievalResult("x1", name, (ORDER,), latency),
        ]
    answers = (
        AnswerResult(
            "q1",
            "no",
            False,
            (
                Citation(
                    ORDER.passage_id,
                    MASTERSON,
                    ORDER.authorities,
                    "should not be filed",
                    True,
                    True,
                ),
            ),
            80.0,
            "No.",
        ),
        AnswerResult("q2", None, False, (), 90.0, "Parties may obtain discovery"),
        AnswerResult("x1", None, True, (), 2.0, "", "out_of_scope"),
    )
    scores = {n: retrieval_metrics(questions, retrieval, n, k) for n in ("baseline", "hybrid")}
    answered = answer_metrics(questions, answers)
    return EvalRun(
        question_files=("dev.yaml",),
        questions=questions,
        k=k,
        retrievers=("baseline", "hybrid"),
        composer="extractive",
        retrieval=tuple(retrieval),
        answers=answers,
        retrieval_scores=scores,
        answer_scores=answered,
        metrics=metrics_document(k, "extractive", scores, answered),
        index_dir="/tmp/index",
    )


def test_metrics_document_has_the_contract_keys() -> None:
    m = make_run(k=2).metrics
    for key in (
        "authority_hit@2",
        "source_hit@2",
        "mrr",
        "verdict_accuracy",
        "abstention_precision",
        "abstention_recall",
        "authority_citation_recall",
        "source_citation_recall",
        "citation_precision",
        "fabricated_citations",
        "latency_p50_ms",
        "latency_p95_ms",
        "questions",
    ):
        assert key in m, key
    assert m["questions"] == 3
    # hybrid finds q1's authority (rank 1) and q2's (rank 2): 2/2; MRR (1 + 1/2) / 2
    assert m["authority_hit@2"] == 1.0 and m["mrr"] == 0.75
    # baseline misses q2's rule: 1/2
    assert m["retrievers"]["baseline"]["authority_hit@2"] == 0.5
    assert set(m["retrievers"]["hybrid"]) >= {"authority_hit@2", "source_hit@2", "mrr"}
    # q1 "no" right, x1 abstain right -> 2/2
    assert m["verdict_accuracy"] == 1.0


def test_write_report_writes_every_file(tmp_path: Path) -> None:
    run = make_run()
    files = write_report(run, tmp_path / "out")
    names = {f.name for f in files}
    assert names == {"metrics.json", "results.jsonl", "report.md", *CHARTS}
    assert json.loads((tmp_path / "out" / "metrics.json").read_text()) == run.metrics
    lines = (tmp_path / "out" / "results.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == ["q1", "q2", "x1"]
    q2 = records[1]
    assert q2["retrieval"]["baseline"]["authority_hit@2"] == 0.0
    assert q2["retrieval"]["hybrid"]["reciprocal_rank"] == 0.5
    assert records[0]["answer"]["verdict_correct"] is True
    assert records[0]["answer"]["citations"][0]["quote_verbatim"] is True
    assert records[1]["answer"]["cites_authority"] is False
    report = (tmp_path / "out" / "report.md").read_text()
    assert "| hybrid | 100.0% |" in report and "hit_at_k.png" in report
    for chart in CHARTS:
        data = (tmp_path / "out" / chart).read_bytes()
        assert data.startswith(PNG_SIGNATURE), chart
        assert len(data) > 5_000, chart  # axes, labels and data, not an empty canvas


def test_summary_table_renders_every_retriever() -> None:
    console = Console(record=True, width=140)
    console.print(summary_table(make_run()))
    text = console.export_text()
    assert "retriever: baseline" in text and "retriever: hybrid" in text
    assert "verdict accuracy" in text and "100.0%" in text


def test_check_floors(tmp_path: Path) -> None:
    metrics = make_run(k=2).metrics
    floors = tmp_path / "floors.json"
    floors.write_text(
        json.dumps(
            {
                "min": {"authority_hit@2": 0.9, "verdict_accuracy": 0.5, "abstention_recall": 0.9},
                "max": {"fabricated_citations": 0},
                "retrievers": {"baseline": {"min": {"authority_hit@2": 0.8}}, "dense": {"min": {}}},
            }
        )
    )
    failures = check_floors(metrics, floors)
    # baseline 0.5 < 0.8; dense was not compared in this run, so its floors do not apply
    assert failures == ["baseline authority_hit@2 = 0.500 is below the floor 0.8"]
    del metrics["verdict_accuracy"]
    assert "verdict_accuracy: not measured (floor min 0.5)" in check_floors(metrics, floors)


# q2 again, with facts its answer must state: one it states, one it does not.
WITH_FACTS = (
    QUESTIONS[0],
    QUESTIONS[1].model_copy(
        update={"nuggets": (("obtain discovery",), ("proportional to the needs",))}
    ),
    QUESTIONS[2],
)


def test_new_answer_metrics_reach_metrics_json_results_and_the_table(tmp_path: Path) -> None:
    run = make_run(questions=WITH_FACTS)
    m = run.metrics
    assert m["nugget_recall"] == 0.5  # "Parties may obtain discovery": 1 of 2 facts
    assert m["wrong_firm_verdicts"] == 0
    assert m["not_in_sources_declined"] == 0 and m["not_in_sources_declined_rate"] is None
    write_report(run, tmp_path / "out")
    records = [
        json.loads(line) for line in (tmp_path / "out" / "results.jsonl").read_text().splitlines()
    ]
    assert records[1]["answer"]["nuggets_stated"] == [True, False]
    assert records[0]["answer"]["nuggets_stated"] is None  # q1 lists no facts
    report = (tmp_path / "out" / "report.md").read_text()
    assert "| nugget_recall | 50.0% |" in report
    assert "| not_in_sources_declined | 0 of 0 (n/a) |" in report
    console = Console(record=True, width=140)
    console.print(summary_table(run))
    text = console.export_text()
    for row in ("nugget recall", "wrong firm Yes/No", "not in sources declined", "in-scope"):
        assert row in text, row


def test_every_headline_number_can_carry_a_floor() -> None:
    m = make_run(k=2).metrics
    numeric = {key for key, value in m.items() if isinstance(value, int | float | None)}
    numeric -= {"k"}  # the run's setting, not a measure
    assert numeric - {"authority_hit@2", "source_hit@2"} == set(FLOOR_METRICS)


def floors_file(tmp_path: Path, floors: dict) -> Path:
    path = tmp_path / "floors.json"
    path.write_text(json.dumps(floors))
    return path


def test_floors_for_the_new_metrics_are_enforced(tmp_path: Path) -> None:
    metrics = make_run(questions=WITH_FACTS).metrics
    path = floors_file(
        tmp_path,
        {"min": {"nugget_recall": 0.75}, "max": {"wrong_firm_verdicts": 0}, "note": "why"},
    )
    assert check_floors(metrics, path) == ["nugget_recall = 0.500 is below the floor 0.75"]
    path = floors_file(tmp_path, {"min": {"not_in_sources_declined_rate": 0.8}})
    assert check_floors(metrics, path) == [
        "not_in_sources_declined_rate: not measured (floor min 0.8)"
    ]


@pytest.mark.parametrize(
    ("floors", "words"),
    [
        ({"min": {"verdict_acuracy": 0.8}}, "min names 'verdict_acuracy'"),  # misspelled
        ({"max": {"fabricated": 0}}, "max names 'fabricated'"),
        ({"minimum": {"mrr": 0.5}}, "unknown key 'minimum'"),
        ({"retrievers": {"hybird": {"min": {"mrr": 0.5}}}}, "unknown retriever 'hybird'"),
        ({"retrievers": {"bm25": {"min": {"verdict_accuracy": 0.5}}}}, "retrievers.bm25.min"),
        ({"retrievers": {"bm25": {"floor": {}}}}, "only 'min' and 'max'"),
        ({"min": {"mrr": "0.5"}}, "must be a number"),
        ({"min": ["mrr"]}, "must map metric names"),
    ],
)
def test_a_floor_procbot_does_not_measure_is_an_error(
    tmp_path: Path, floors: dict, words: str
) -> None:
    path = floors_file(tmp_path, floors)
    with pytest.raises(ConfigError) as caught:
        check_floors(make_run().metrics, path)
    assert words in str(caught.value) and str(path) in str(caught.value)
