"""No evaluation question appears in the project's code, tests, prompts, benchmarks or guides."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
#: Where an evaluation question must never be written: what the product runs, what tests pin,
#: the prompts an LLM gets and the guides' asks (which the matcher compares questions with).
SCANNED = ("bot", "tests", "benchmarks", "prompts", "knowledge")
SUFFIXES = {".py", ".yaml", ".yml", ".md", ".txt", ".json", ".js"}
#: Shorter questions ("is it due?") can occur in ordinary prose without being copied.
MIN_WORDS = 5
#: Files allowed to quote evaluation questions: none. (A file listed here would be a strict
#: expected failure, so a cleaned file must leave the list.)
KNOWN_COPIES: set[str] = set()


def normalized(text: str) -> str:
    """Lower case, each run of non-word characters one space: quoting does not hide a copy."""
    return re.sub(r"\W+", " ", text.lower()).strip()


@cache
def evaluation_questions() -> tuple[tuple[str, str], ...]:
    found = []
    for path in sorted((ROOT / "evals").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        # Question sets hold "questions"; the reader's directive set holds orders, not questions.
        for entry in data.get("questions", []) if isinstance(data, dict) else []:
            text = normalized(entry["question"])
            if len(text.split()) >= MIN_WORDS:
                found.append((f"{path.name}:{entry['id']}", text))
    return tuple(found)


def scanned_files() -> list[Path]:
    files = []
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file() and "node_modules" not in path.parts:
                files.append(path)
    return files


def test_the_scan_sees_the_question_sets_and_the_code() -> None:
    # Guards the guard: an empty scan would pass whatever the files hold.
    assert len(evaluation_questions()) > 100
    assert ROOT / "bot" / "evaluate" / "questions.py" in scanned_files()


def _scan_case(path: Path):
    name = str(path.relative_to(ROOT))
    if name in KNOWN_COPIES:
        mark = pytest.mark.xfail(strict=True, reason="quotes evaluation questions (known)")
        return pytest.param(path, id=name, marks=mark)
    return pytest.param(path, id=name)


@pytest.mark.parametrize("path", [_scan_case(path) for path in scanned_files()])
def test_no_evaluation_question_is_written_into(path: Path) -> None:
    if path == Path(__file__):
        return
    text = normalized(path.read_text(encoding="utf-8", errors="replace"))
    copied = [where for where, question in evaluation_questions() if question in text]
    assert not copied, f"{path.relative_to(ROOT)} holds evaluation questions {copied}"


def test_normalizing_ignores_case_quotes_and_punctuation() -> None:
    text = '  "Can the Clerk\'s office\n   help me?"'
    assert normalized(text) == "can the clerk s office help me"
