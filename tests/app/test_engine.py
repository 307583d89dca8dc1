"""The engine: one core for both front ends; one answer however many ask, one input limit."""

from __future__ import annotations

import threading

import pytest

from bot.app.engine import Engine
from bot.core.answer_types import Verdict
from bot.core.errors import InputError

LETTER = "Should I file my letter to defense counsel with the court?"


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
