"""Fuzzing the front matter and question entry points: a message or a result, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app.engine import Engine
from bot.core.errors import ProcbotError
from bot.core.settings import Settings
from bot.index.build import build_index
from bot.ingest.load import read_document

#: Examples per run: 150 front matters and 50 questions in CI; `FUZZ_SCALE=20` (for
#: one long run, not CI) multiplies both.
SCALE = max(1, int(os.environ.get("FUZZ_SCALE", "1")))
FUZZ = settings(
    max_examples=150 * SCALE,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Pieces YAML treats specially, so the fuzzer reaches anchors, tags, flows and documents.
YAML_PIECES = st.sampled_from(
    [
        "type: order\n", "type: rules\n", "type: [order]\n", "date: 2020-13-45\n",
        "&a x\n", "*a\n", "a: &a [1,2]\nb: [*a,*a]\n", "!!python/object:os.system\n",
        "? complex key\n: value\n", "---\n", "...\n", "{", "}", "[", "]", ": ", "- ", "|\n",
        ">\n", "'", '"', "\t", "%YAML 1.1\n", "!!binary aGVsbG8=\n", "order_ecf: 99999999999\n",
        "completeness: excerpt\n", "court: \x00\n", "\ud800", "\x1b[31m",
    ]
)  # fmt: skip
FRONT_MATTER = st.lists(st.one_of(YAML_PIECES, st.text(max_size=30)), max_size=12).map("".join)
BODY = st.sampled_from(
    [
        "IT IS ORDERED that the motion is denied.\n",
        "# Rule 1. Scope\n\nThese rules govern.\n",
        "# § 1915. Proceedings\n\n(a) Text.\n",
        "",
        "\x00",
    ]
)


@FUZZ
@given(front=FRONT_MATTER, body=BODY)
def test_front_matter_gives_a_document_or_a_named_error(tmp_path: Path, front, body) -> None:
    path = tmp_path / "fuzzed.md"
    path.write_bytes(f"---\n{front}\n---\n{body}".encode("utf-8", "surrogatepass"))
    try:
        document = read_document(path)
    except ProcbotError as error:
        assert str(path) in str(error)
    else:
        assert document.body.strip()


QUESTIONS = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "Co"])),
    st.binary(max_size=200).map(lambda b: b.decode("utf-8", "surrogateescape")),
    st.builds(
        lambda a, b: f"{a} discovery letters {b}",
        st.text(max_size=40),
        st.sampled_from(["\x1b[2J", "\ud800", "\x00", "‮", "26(b)(1)", "§§§", "((((("]),
    ),
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory, embedder) -> Engine:
    from bot.core.settings import SHIPPED_KNOWLEDGE

    settings = Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("fuzz") / "data")
    build_index(settings, [SHIPPED_KNOWLEDGE], embedder)
    return Engine(settings)


# Each example asks, searches and looks up: kept modest for CI.
@settings(FUZZ, max_examples=50 * SCALE)
@given(question=QUESTIONS)
def test_questions_give_an_answer_or_a_message(engine: Engine, question: str) -> None:
    for call in (engine.ask, engine.search, engine.lookup_rule):
        try:
            call(question)
        except ProcbotError as error:
            assert str(error)
            str(error).encode("utf-8")  # the message itself can be printed
