"""The engine: one core for both front ends, serving whatever generation is live."""

from __future__ import annotations

import threading

import pytest

from bot.app.engine import Engine
from bot.core.answer_types import Verdict
from bot.core.errors import ConfigError, IndexMissingError, InputError
from bot.core.settings import SHIPPED_KNOWLEDGE, Settings

LETTER = "Should I file my letter to defense counsel with the court?"
MASTERSON = SHIPPED_KNOWLEDGE / "masterson-v-killen-2014-11-24.txt"
RULING = "settlement negotiations are considered confidential"


def test_a_serving_engine_follows_a_reindex_done_elsewhere(settings, knowledge):
    # The bot's engine and a `procbot index` run are two engines on one data folder.
    bot, cli = Engine(settings), Engine(settings)
    cli.index([knowledge])
    assert any(RULING in hit.passage.text for hit in bot.search(RULING, k=5))

    order = knowledge / MASTERSON.name
    order.write_text(order.read_text("utf-8").replace(RULING, "settlement talks stay private"))
    report = cli.index([knowledge])
    assert report.removed == 1

    texts = [hit.passage.text for hit in bot.search("settlement talks stay private", k=5)]
    assert any("settlement talks stay private" in text for text in texts)
    assert not any(RULING in text for text in texts)
    # Every passage of the live generation still has its vector: dense search is whole.
    assert len(bot.search("settlement", k=5, mode="dense")) == report.passages


def test_concurrent_questions_get_the_same_answer_as_one_at_a_time(settings, knowledge):
    engine = Engine(settings)
    engine.index([knowledge])
    alone = engine.ask(LETTER)
    assert alone.verdict is Verdict.NO
    answers = []

    def ask() -> None:
        answers.append(engine.ask(LETTER))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 8
    assert {(a.verdict, tuple(s.text for s in a.sentences)) for a in answers} == {
        (alone.verdict, tuple(s.text for s in alone.sentences))
    }


def test_nothing_indexed_says_what_to_do(settings):
    with pytest.raises(IndexMissingError, match="procbot index"):
        Engine(settings).ask(LETTER)


def test_a_data_folder_that_is_a_file_is_a_config_error(tmp_path):
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("oops")
    settings = Settings(_env_file=None, data_dir=not_a_folder)
    with pytest.raises(ConfigError, match="PROCBOT_DATA_DIR"):
        Engine(settings).search("letter")


@pytest.mark.parametrize(
    "query",
    [
        "",  # empty
        "   \n\t",  # whitespace only
        "x" * 20_000,  # far longer than any question
    ],
)
def test_search_refuses_what_ask_refuses(settings, knowledge, query):
    engine = Engine(settings)
    engine.index([knowledge])
    with pytest.raises(InputError):
        engine.search(query)


def test_a_question_at_the_length_limit_is_still_answered(settings, knowledge):
    from bot.answer.assemble import MAX_QUESTION_CHARS

    engine = Engine(settings)
    engine.index([knowledge])
    padded = LETTER + " " + "Please explain the rule about letters. " * 60
    question = padded[:MAX_QUESTION_CHARS]
    answer = engine.ask(question)  # expansions of the query must not trip the limit
    assert answer.question
