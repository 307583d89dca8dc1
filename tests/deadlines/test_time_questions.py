"""Time questions in `ask`: recognized by meaning, dated, and counted only from indexed periods."""

from __future__ import annotations

from datetime import date

import pytest

from bot.deadlines.events import load_events
from bot.deadlines.questions import time_answer
from bot.deadlines.recognize import (
    EventMatcher,
    asks_about_time,
    date_in,
    first_person,
    recognize,
    service_in,
    threshold,
)
from bot.deadlines.service import event_book

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def matcher(embedder) -> EventMatcher:
    return EventMatcher(embedder, load_events())


def _ask(question, embedder, matcher, book):
    return time_answer(question, embedder.embed_query(question), book, matcher, today=TODAY)


def test_a_dated_served_question_gets_its_deadline(embedder, matcher, rule_snapshot) -> None:
    found = _ask(
        "The defendants mailed me their motion for summary judgment on February 10, 2026. "
        "What is the last day for my opposition?",
        embedder, matcher, event_book(rule_snapshot),
    )  # fmt: skip
    assert found is not None and found.event == "opposition-prisoner"
    # Tue 2026-02-10 + 21 = Tue 03-03; + 3 for mail = Fri 03-06.
    assert found.deadline is not None and found.deadline.due == date(2026, 3, 6)
    assert found.deadline.caveats[0].startswith("Counted as: Oppose a motion")


def test_a_question_without_date_or_service_says_what_it_needs(
    embedder, matcher, rule_snapshot
) -> None:
    found = _ask("how many days do i get to answer interrogatories", embedder, matcher,
                 event_book(rule_snapshot))  # fmt: skip
    assert found is not None and found.deadline is None
    assert found.needs == ("trigger_date", "service")


def test_a_question_not_about_time_gets_nothing(embedder, matcher, rule_snapshot) -> None:
    found = _ask("Can I ask the judge to appoint me a lawyer?", embedder, matcher,
                 event_book(rule_snapshot))  # fmt: skip
    assert found is None


def test_an_event_whose_period_is_not_indexed_is_never_counted(
    embedder, matcher, snapshot_of
) -> None:
    found = _ask("how many days do i get to answer interrogatories", embedder, matcher,
                 event_book(snapshot_of([])))  # fmt: skip
    assert found is None


# A family member asks about the person in the case; each row: the question, the event it is
# about (None: not a time question).
ABOUT_SOMEONE_ELSE = [
    # the closest first-person ask is below the threshold as written (Rule 33(b)(2))
    ("when does my son have to answer the interrogatories", "interrogatories"),
    # Rule 12(a)(1)(A)(i)
    ("my brother got served with the complaint, when is his answer due", "answer-complaint"),
    # L.R. 230(l)
    ("when is my daughter's opposition to their motion due", "opposition-prisoner"),
    ("how long does my husband have to oppose their motion", "opposition-prisoner"),
    # Rule 59(e)
    ("how long does she have to ask the judge to change the judgment", "alter-judgment"),
    # someone else, but not about time
    ("will my husband win his case", None),
    ("can my son get a lawyer appointed", None),
]


# Close in topic to an event's asks (the embedder puts them within the threshold), but asking
# nothing about time: never a time question.
SAME_TOPIC_NO_TIME = [
    "should i file letters with the court",  # the court's letters came back: change-of-address
    "what is a request for admission",  # admissions
    "can i amend my complaint",  # amend-once
]


@pytest.mark.parametrize("question", SAME_TOPIC_NO_TIME)
def test_a_question_on_an_events_topic_that_names_no_time_is_not_a_time_question(
    question, embedder, matcher, rule_snapshot
) -> None:
    vector = embedder.embed_query(question)
    assert matcher.best(vector)[1] >= threshold()  # by meaning alone it would be counted
    assert recognize(question, vector, matcher) is None


@pytest.mark.parametrize(
    ("question", "timed"),
    [("when is my answer due", True), ("how long does he have", True),
     ("can i still appeal", True), ("is it too late to object", True),
     ("¿cuándo vence el plazo?", True), ("¿cuántos días tengo?", True),
     ("should i file letters with the court", False), ("what is a waiver of service", False),
     ("the timeline of my case", False)],  # a word that holds "time" is not the word
)  # fmt: skip
def test_time_words(question, timed) -> None:
    assert asks_about_time(question) is timed


@pytest.mark.parametrize(("question", "event"), ABOUT_SOMEONE_ELSE)
def test_time_questions_about_someone_else(
    question, event, embedder, matcher, rule_snapshot
) -> None:
    found = _ask(question, embedder, matcher, event_book(rule_snapshot))
    assert (found.event if found else None) == event


@pytest.mark.parametrize(
    ("question", "own"),
    [("when does my son have to answer?", "when do i have to answer?"),
     ("How long does she have?", "how long do i have?"),
     ("my brother's answer is late, is he in trouble?", "my answer is late, am i in trouble?"),
     ("they mailed him their motion", "i mailed me my motion"),  # word by word, never parsed
     ("when do I have to answer?", "when do i have to answer?")],  # already the person's own
)  # fmt: skip
def test_first_person_reading(question, own) -> None:
    assert first_person(question) == own


# (text, expected date) — today is Tue 2026-12-01.
DATES = [
    ("it was served on 3/14/2026", date(2026, 3, 14)),
    ("they mailed it on March 3", date(2026, 3, 3)),  # no year: the most recent March 3
    ("the order was entered yesterday", date(2026, 11, 30)),
    ("I have 30 days to respond", None),  # a length of time, not a date
    ("I was served last week", None),  # a week, not a day
]


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_trigger_dates(text, expected) -> None:
    assert date_in(text, TODAY) == expected


def test_a_hearing_date_without_a_year_is_the_next_one() -> None:
    assert date_in("the hearing is set for January 20", TODAY, "future") == date(2027, 1, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("they mailed it to me", "mail"), ("it was e-filed", "electronic"),
     ("the officer handed it to him", "personal"), ("they served it", None),
     ("mailed, then e-filed", None)],  # two ways named: ask rather than guess
)  # fmt: skip
def test_service_words(text, expected) -> None:
    found = service_in(text)
    assert (found.value if found else None) == expected
