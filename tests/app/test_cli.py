"""The procbot command line over the real engine and the shipped knowledge (Masterson v. Killen)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.app.cli import app

LETTER = "Should I file my letter to defense counsel with the court?"


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Run `procbot ...` with its data folder in tmp_path; gives (exit code, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PROCBOT_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, list(args))
        return result.exit_code, result.stdout, result.stderr

    return invoke


@pytest.fixture
def indexed(run):
    code, stdout, _ = run("index")
    assert code == 0, stdout
    assert "Indexed 1 documents" in stdout
    return run


def test_ask_answers_no_citing_masterson(indexed):
    code, stdout, _ = indexed("ask", LETTER)
    assert code == 0
    assert stdout.startswith("**No.**")
    assert "Masterson v. Killen, No. 1:11-cv-01179-LJO-GSA-PC (E.D. Cal. Nov. 24, 2014)" in stdout
    assert "legal information, not legal advice" in stdout


def test_ask_json_follows_the_documented_shape(indexed):
    code, stdout, _ = indexed("ask", LETTER, "--json")
    assert code == 0
    answer = json.loads(stdout)
    assert set(answer) >= {
        "question", "verdict", "abstained", "answer_text", "sentences", "sources",
        "disclaimer", "composer", "latency_ms",
    }  # fmt: skip
    assert answer["verdict"] == "no"
    assert answer["abstained"] is False
    # knowledge/ ships the guide resting on Masterson v. Killen: it answers
    assert answer["composer"] == "guide" and answer["guide_id"]
    cited = {n for sentence in answer["sentences"] for n in sentence["citations"]}
    assert cited and cited <= {source["n"] for source in answer["sources"]}
    assert {source["doc_id"] for source in answer["sources"]} == {"masterson-v-killen-2014-11-24"}


def test_search_json_lists_ranked_passages(indexed):
    code, stdout, _ = indexed("search", "correspondence between the parties", "--json", "--k", "2")
    assert code == 0
    hits = json.loads(stdout)
    assert [hit["rank"] for hit in hits] == [1, 2]
    assert set(hits[0]) == {"rank", "doc_id", "label", "pinpoint", "authorities", "score", "text"}
    assert any("Correspondence between the parties" in hit["text"] for hit in hits)


def test_second_index_run_embeds_nothing(indexed):
    code, stdout, _ = indexed("index")
    assert code == 0
    assert "(0 embedded, 5 reused, 0 removed)" in stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ask", "   "), "Error: "),  # whitespace question
        (("search", ""), "Error: "),  # empty query
        (("rule", "Rule 99(z)"), "Error: "),  # a rule above 86 is not a federal rule
        (("rule", "26(b)(1)"), "not in the knowledge base"),  # only Masterson is shipped
    ],
)
def test_bad_input_is_one_clean_error_line(indexed, args, message):
    code, stdout, stderr = indexed(*args)
    assert code == 1
    assert message in stderr
    assert "Traceback" not in stdout + stderr


def test_asking_before_indexing_says_what_to_do(run):
    code, _, stderr = run("ask", LETTER)
    assert code == 1
    assert "procbot index" in stderr


def test_bad_setting_is_reported_by_name(run, monkeypatch):
    monkeypatch.setenv("PROCBOT_K", "many")
    code, _, stderr = run("search", "letter")
    assert code == 1
    assert "PROCBOT_K" in stderr


def test_sources_lists_the_indexed_order(indexed):
    code, stdout, _ = indexed("sources", "--json")
    assert code == 0
    summary = json.loads(stdout)
    assert summary["documents"] == 1
    assert summary["orders"] == 1


def test_read_prints_the_order_as_json(run, tmp_path: Path):
    from bot.reader.pleading import pleading_pdf

    order = [
        "UNITED STATES DISTRICT COURT",
        "EASTERN DISTRICT OF CALIFORNIA",
        "ANA LOPEZ, Plaintiff, v. C. SMITH, Defendant.",
        "Case No. 2:19-cv-00077-XYZ-P ORDER",
        "Plaintiff shall file a notice of change of address within fourteen (14) days from the "
        "date of service of this order.",
        "Dated: March 2, 2021",
    ]
    data, _ = pleading_pdf(order)
    path = tmp_path / "order.pdf"
    path.write_bytes(data)
    code, out, _ = run("read", str(path), "--json")
    assert code == 0
    got = json.loads(out)
    assert (got["court"], got["docket"], got["date"]) == (
        "E.D. Cal.",
        "2:19-cv-00077-XYZ-P",
        "2021-03-02",
    )
    (directive,) = got["directives"]
    assert directive["deadline"]["days"] == 14 and directive["pinpoint"] == "1:5-6"


def test_read_refuses_what_it_cannot_read(run, tmp_path: Path):
    path = tmp_path / "archive.zip"
    path.write_bytes(b"PK\x03\x04" + bytes(64))
    code, _, err = run("read", str(path))
    assert code == 1 and err.startswith("Error: ") and "archive" in err
    code, _, err = run("read", str(tmp_path / "missing.pdf"))
    assert code == 1 and "does not exist" in err
