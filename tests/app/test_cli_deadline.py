"""`procbot deadline` over real indexes: shipped knowledge only, and the reference corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.app.cli import app
from bot.app.engine import Engine
from bot.core.settings import Settings


def _runner(monkeypatch: pytest.MonkeyPatch, data_dir: Path):
    monkeypatch.setenv("PROCBOT_DATA_DIR", str(data_dir))
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, list(args))
        return result.exit_code, result.stdout, result.stderr

    return invoke


@pytest.fixture(scope="module")
def knowledge_data(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    """The shipped knowledge folder indexed once for this module."""
    data_dir = tmp_path_factory.mktemp("deadline-knowledge")
    Engine(Settings(_env_file=None, data_dir=data_dir), embedder=embedder).index()
    return data_dir


@pytest.fixture
def knowledge_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, knowledge_data: Path):
    monkeypatch.chdir(tmp_path)
    return _runner(monkeypatch, knowledge_data)


@pytest.fixture
def over_corpus(monkeypatch: pytest.MonkeyPatch, corpus_index):
    settings, _ = corpus_index
    return _runner(monkeypatch, settings.data_dir)


def test_knowledge_only_reports_every_event_disabled(knowledge_only) -> None:
    code, stdout, _ = knowledge_only("deadline", "--list", "--json")
    assert code == 0
    listed = json.loads(stdout)
    assert listed["events"] and not any(e["enabled"] for e in listed["events"])
    assert all("not in the index" in e["problem"] for e in listed["events"])
    assert "Fed. R. Civ. P. 6(d)" in listed["time_rules_not_indexed"]


def test_a_disabled_event_is_refused_not_computed(knowledge_only) -> None:
    code, stdout, stderr = knowledge_only(
        "deadline", "--event", "interrogatories", "--date", "2026-03-03", "--service", "mail"
    )
    assert code == 1 and stdout == ""
    assert "does not count a period its sources do not state" in stderr


def test_a_given_period_is_counted_without_an_event(knowledge_only) -> None:
    # Tue 2026-03-03 + 14 = Tue 03-17; + 3 for mail = Fri 03-20.
    code, stdout, _ = knowledge_only(
        "deadline", "--days", "14", "--after", "served", "--date", "2026-03-03",
        "--service", "mail", "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(stdout)["due"] == "2026-03-20"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--event", "interrogatories"), "--date"),
        (("--date", "2026-03-03"), "either --event"),
        (("--days", "14", "--after", "noticed", "--date", "2026-03-03"), "--after must be"),
        (("--days", "14", "--after", "served", "--date", "2026-03-03", "--service", "fax"),
         "not a way of service"),
        (("--days", "14", "--after", "filed", "--date", "March 3"), "not a date"),
    ],
)  # fmt: skip
def test_bad_input_gets_one_clear_error(knowledge_only, args, message) -> None:
    code, _, stderr = knowledge_only("deadline", *args)
    assert code == 1 and stderr.startswith("Error: ") and message in stderr
    assert "Traceback" not in stderr


def test_deadline_reads_the_snapshot_without_the_embedding_model(knowledge_only) -> None:
    engine = Engine(Settings())
    engine.deadline_events()
    assert engine._embedder is None  # the model never loaded


@pytest.mark.corpus
def test_corpus_enables_the_frcp_and_local_rule_events(over_corpus) -> None:
    code, stdout, _ = over_corpus("deadline", "--list", "--json")
    assert code == 0
    events = {e["key"]: e for e in json.loads(stdout)["events"]}
    # The 2022 print and the quoted local rules state these periods.
    for key in ("interrogatories", "production", "admissions", "serve-complaint",
                "opposition-prisoner", "objections-findings", "alter-judgment",
                "change-of-address"):  # fmt: skip
        assert events[key]["enabled"], (key, events[key]["problem"])
    # FRAP is not in ../shared/corpus: the appeal event waits for its text.
    assert not events["notice-of-appeal"]["enabled"]
    assert "Warner v. Cate" in events["opposition-prisoner"]["provenance"]


@pytest.mark.corpus
def test_opposition_by_mail_over_the_corpus(over_corpus) -> None:
    code, stdout, _ = over_corpus(
        "deadline", "--event", "opposition-prisoner", "--date", "2026-03-03",
        "--service", "mail", "--json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(stdout)
    # Tue 2026-03-03 + 21 = Tue 03-24; + 3 = Fri 03-27.
    assert data["due"] == "2026-03-27"
    assert [s["authority"] for s in data["steps"]] == [
        "Fed. R. Civ. P. 6(a)(1)(A)", "E.D. Cal. L.R. 230(l)", "Fed. R. Civ. P. 6(d)",
    ]  # fmt: skip
