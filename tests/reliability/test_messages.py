"""Every entry point answers bad input with one clear `Error:` line naming the problem."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.errors import DocumentError, ProcbotError
from bot.core.settings import load_settings
from bot.ingest.load import read_documents

REPO = Path(__file__).resolve().parents[2]

# Front matter whose aliases would expand to about 9^9 strings (gigabytes) if followed.
ALIAS_BOMB = (
    "---\ntype: order\n"
    'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    + "".join(
        f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "---\nIT IS ORDERED that the motion is denied.\n"
)


def test_an_alias_bomb_in_front_matter_is_refused_by_name(tmp_path: Path, knowledge: Path):
    bomb = knowledge / "bomb.md"
    bomb.write_text(ALIAS_BOMB, encoding="utf-8")
    documents, errors = read_documents([knowledge])
    assert [d.doc_id for d in documents] == ["masterson-v-killen-2014-11-24"]
    assert len(errors) == 1 and errors[0].path == str(bomb)
    assert "alias" in errors[0].reason


def test_oversized_front_matter_is_refused(knowledge: Path) -> None:
    big = knowledge / "big.md"
    big.write_text("---\ntype: order\nnote: " + "x" * 200_000 + "\n---\nIT IS ORDERED.\n")
    _, errors = read_documents([big])
    assert errors and "front matter" in errors[0].reason


def test_a_non_utf8_file_name_is_reported_and_skipped(cli, knowledge: Path) -> None:
    raw = os.fsencode(knowledge) + b"/bad-\xff-name.txt"
    with open(raw, "wb") as out:
        out.write((knowledge / "masterson-v-killen-2014-11-24.txt").read_bytes())
    documents, errors = read_documents([knowledge])
    assert [d.doc_id for d in documents] == ["masterson-v-killen-2014-11-24"]
    assert len(errors) == 1 and "UTF-8" in errors[0].reason
    code, output = cli("index")
    assert code == 0, output
    assert "Indexed 1 documents" in output and "UTF-8" in output


@pytest.mark.parametrize(
    "question",
    [
        "can I file \udcff\udcfe discovery letters",  # undecodable argv bytes (surrogateescape)
        "\ud800 lone surrogate about discovery",
        "discovery \x1b[2J\x1b]0;title\x07 letters",  # terminal escapes
        "\x00\x01\x02",
    ],
    ids=["argv-bytes", "surrogate", "escapes", "only-controls"],
)
def test_odd_characters_in_a_question_get_a_message_or_an_answer(cli, question: str) -> None:
    assert cli("index")[0] == 0
    for command in ("ask", "search", "rule"):
        code, output = cli(command, question)
        assert code in (0, 1), output
        assert "Traceback" not in output
        if code == 1:
            assert output.startswith("Error: ")
        assert "\x1b" not in output


def test_argv_bytes_through_a_real_process() -> None:
    env = {**os.environ, "PROCBOT_DATA_DIR": "/nonexistent-procbot-data"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "rule", b"26(b)\xff(1)"],
        cwd=REPO,
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1
    assert b"Traceback" not in done.stderr
    assert done.stderr.startswith(b"Error: ")


def test_eval_on_a_folder_and_out_that_is_a_file(cli, tmp_path: Path) -> None:
    code, output = cli("eval", str(REPO / "evals"))
    output = output.strip()
    assert code == 1 and output.startswith("Error: ") and "folder" in output
    (tmp_path / "report.txt").write_text("x")
    code, output = cli("eval", str(REPO / "evals" / "dev.yaml"), "--out", "report.txt")
    output = output.strip()
    assert code == 1 and output.startswith("Error: ") and "report.txt" in output


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("PROCBOT_LOG_LEVEL", "LOUD", "PROCBOT_LOG_LEVEL"),
        ("PROCBOT_K", "many", "PROCBOT_K"),
        ("PROCBOT_LOCK_TIMEOUT_S", "-1", "PROCBOT_LOCK_TIMEOUT_S"),
        ("PROCBOT_CHROMA_TIMEOUT_S", "0", "PROCBOT_CHROMA_TIMEOUT_S"),
    ],
)
def test_bad_settings_name_their_variable(monkeypatch, variable, value, named) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ProcbotError) as refused:
        load_settings()
    assert named in str(refused.value)


def test_a_binary_env_file_is_refused_by_name(monkeypatch, tmp_path: Path, cli) -> None:
    (tmp_path / ".env").write_bytes(b"\xff\xfe\x00PROCBOT_K=\x9c\x00")
    code, output = cli("sources")
    assert code == 1
    assert output.startswith("Error: ") and ".env" in output


@pytest.mark.parametrize(
    ("floors", "problem"),
    [
        ('{"min": {"verdict_acuracy": 0.8}}', "verdict_acuracy"),
        ('{"min": {"verdict_accuracy": "high"}}', "number"),
        ('{"minimum": {}}', "minimum"),
        ("[1, 2]", "object"),
    ],
)
def test_a_bad_floors_file_is_an_error(tmp_path: Path, floors: str, problem: str) -> None:
    from bot.evaluate.run import check_floors

    path = tmp_path / "floors.json"
    path.write_text(floors)
    metrics = {"verdict_accuracy": 0.9, "retrievers": {}}
    with pytest.raises(ProcbotError) as refused:
        check_floors(metrics, path)
    assert problem in str(refused.value)


def test_document_errors_are_reported_not_raised(tmp_path: Path) -> None:
    control = tmp_path / "ctl.txt"
    control.write_bytes(b"\xef\xbb\xbf")
    documents, errors = read_documents([control])
    assert documents == [] and all(isinstance(e, DocumentError) for e in errors)


def test_serve_with_the_bot_api_unreachable_says_so_and_exits(tmp_path: Path, knowledge) -> None:
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PROCBOT_", "TELEGRAM_"))},
        "PROCBOT_DATA_DIR": str(tmp_path / "data"),
        "PROCBOT_KNOWLEDGE": str(knowledge),
        "TELEGRAM_BOT_TOKEN": "123456:TEST-reliability-token",
        "TELEGRAM_BASE_URL": f"http://127.0.0.1:{dead}/bot",
        "PROCBOT_TELEGRAM_START_RETRIES": "1",
        "PYTHONPATH": str(REPO),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "serve"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith(f"Error: Cannot reach http://127.0.0.1:{dead}/bot after 2 tries")
    assert "123456:TEST" not in done.stderr  # the token is never logged
