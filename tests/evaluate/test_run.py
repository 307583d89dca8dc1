"""The evaluation runner over the shipped knowledge (Masterson v. Killen) with real retrievers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.core.errors import InputError, QuestionSetError
from bot.core.settings import SHIPPED_KNOWLEDGE, Settings
from bot.evaluate.run import check_floors, eval_settings, evaluate

REPO = Path(__file__).resolve().parents[2]

# Expected answers from knowledge/masterson-v-killen-2014-11-24.txt, quoted in `origin`.
QUESTIONS = """
questions:
  - id: m1
    question: "Should I file my letter to defense counsel with the court?"
    verdict: "no"
    authorities: ["L.R. 250.2"]
    sources: ["masterson-v-killen-2014-11-24"]
    origin: "Correspondence between the parties during discovery should not be filed with the court"
    topic: "correspondence with defense counsel"
  - id: m2
    question: "Are settlement negotiations supposed to be filed with the court?"
    sources: ["masterson-v-killen-2014-11-24"]
    origin: "settlement negotiations are considered confidential and ordinarily should not be filed"
    topic: "correspondence with defense counsel"
  - id: x1
    question: "How long to bake a pound cake?"
    verdict: "abstain"
    topic: "out of scope"
  - id: g1
    question: "does my fiance have a winning case"
    verdict: "abstain"
    topic: "advice"
    origin: "a forecast no regular expression of the screen catches; the meaning screen does"
"""


@pytest.fixture
def question_file(tmp_path: Path) -> Path:
    path = tmp_path / "masterson.yaml"
    path.write_text(QUESTIONS, encoding="utf-8")
    return path


def test_evaluate_over_the_shipped_knowledge(
    settings: Settings, question_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    run = evaluate(settings, [question_file], knowledge=[SHIPPED_KNOWLEDGE], k=5, out=out)

    m = run.metrics
    assert m["questions"] == 4
    assert set(m["retrievers"]) == {"baseline", "bm25", "dense", "hybrid"}
    # One order is indexed, so every retriever finds it for both questions that name it.
    for name, scores in m["retrievers"].items():
        assert scores["source_hit@5"] == 1.0, name
    # The ruling paragraph cites L.R. 250.2-250.4 and the hybrid retriever must surface it.
    assert m["authority_hit@5"] == 1.0
    assert m["abstention_recall"] == 1.0  # the chili recipe is refused
    assert m["fabricated_citations"] == 0
    assert m["latency_p95_ms"] is not None
    answers = {a.qid: a for a in run.answers}
    assert answers["x1"].abstained and not answers["m1"].abstained
    # Answered through the engine, as people are: its meaning screen declines the forecast
    # (without it the question fell through to "not in my sources").
    assert answers["g1"].predicted == "abstain"
    assert all(c.doc_id == "masterson-v-killen-2014-11-24" for c in answers["m1"].citations)

    assert {f.name for f in run.files} >= {"metrics.json", "results.jsonl", "report.md"}
    assert json.loads((out / "metrics.json").read_text())["questions"] == 4
    lines = (out / "results.jsonl").read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["m1", "m2", "x1", "g1"]

    # The evaluation index lives apart from the one the bot serves, which stays untouched.
    assert Path(run.index_dir).is_relative_to(settings.data_dir / "eval-index")
    assert not settings.index_dir.exists()


def test_evaluate_uses_the_served_index_without_knowledge(
    settings: Settings, question_file: Path
) -> None:
    from bot.app.engine import Engine

    Engine(settings).index()
    run = evaluate(settings, [question_file], compare=["bm25"], out=None)
    # hybrid is always measured: the headline numbers are its own
    assert run.retrievers == ("bm25", "hybrid")
    assert run.metrics["source_hit@5"] == 1.0
    assert run.index_dir == str(settings.index_dir) and run.files == ()


def test_eval_index_folder_depends_only_on_the_knowledge_paths(settings: Settings) -> None:
    one = eval_settings(settings, [SHIPPED_KNOWLEDGE], "extractive")
    again = eval_settings(settings, [SHIPPED_KNOWLEDGE / "."], "llm")
    other = eval_settings(settings, [REPO / "evals"], "extractive")
    assert one.data_dir == again.data_dir != other.data_dir
    assert again.composer == "llm" and settings.composer == "extractive"


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"compare": ["baseline", "tfidf"]}, "Unknown retriever 'tfidf'"),
        ({"composer": "gpt"}, "Unknown composer 'gpt'"),
        ({"k": 0}, "k must be between 1 and 50"),
    ],
)
def test_bad_options_are_input_errors(
    settings: Settings, question_file: Path, options: dict, words: str
) -> None:
    with pytest.raises(InputError, match=words):
        evaluate(settings, [question_file], **options)


def test_a_bad_question_file_is_reported_before_any_indexing(
    settings: Settings, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("questions:\n  - id: q1\n    question: x\n    verdict: maybe\n")
    with pytest.raises(QuestionSetError, match="question q1, field 'verdict'"):
        evaluate(settings, [bad], knowledge=[SHIPPED_KNOWLEDGE])
    assert not (settings.data_dir / "eval-index").exists()


def test_shipped_floors_file_is_well_formed() -> None:
    floors = json.loads((REPO / "evals" / "floors.json").read_text())
    assert set(floors) <= {"min", "max", "retrievers", "note"}
    # Every floor names a key metrics.json actually has.
    keys = {
        "authority_hit@5", "source_hit@5", "mrr", "verdict_accuracy", "abstention_precision",
        "abstention_recall", "authority_citation_recall", "source_citation_recall",
        "citation_precision", "fabricated_citations", "latency_p50_ms", "latency_p95_ms",
        "questions", "wrongly_abstained_rate", "nugget_recall", "wrong_firm_verdicts",
        "not_in_sources_declined", "not_in_sources_declined_rate",
    }  # fmt: skip
    assert set(floors.get("min", {})) | set(floors.get("max", {})) <= keys
    # A perfect run passes every floor; an empty one fails each.
    perfect = {key: 1.0 for key in keys} | {
        "fabricated_citations": 0,
        "wrongly_abstained_rate": 0.0,
        "wrong_firm_verdicts": 0,
    }
    perfect["retrievers"] = {
        name: {"authority_hit@5": 1.0, "source_hit@5": 1.0, "mrr": 1.0}
        for name in floors.get("retrievers", {})
    }
    assert check_floors(perfect, REPO / "evals" / "floors.json") == []
    assert len(check_floors({}, REPO / "evals" / "floors.json")) >= len(floors.get("min", {}))
