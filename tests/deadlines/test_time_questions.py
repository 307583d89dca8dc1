"""Time questions in `ask`: recognized by meaning, dated, and counted only from indexed periods."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.deadlines.compute import FEDERAL_HOLIDAYS_ONLY
from bot.deadlines.events import load_events
from bot.deadlines.questions import time_answer
from bot.deadlines.recognize import (
    QUESTION_LANGUAGES,
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


def _ask(question, embedder, matcher, book, court="E.D. Cal."):
    # The shipped knowledge is E.D. Cal.'s: its local rules' events count there only.
    vector = embedder.embed_query(question)
    return time_answer(question, vector, book, matcher, court=court, today=TODAY)


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


def test_the_cases_court_decides_which_events_and_holidays_count(
    embedder, matcher, rule_snapshot
) -> None:
    book = event_book(rule_snapshot)
    # A federal rule's period (Rule 33(b)(2), 30 days after service) counts in any court: in
    # a district procbot has no holiday list for, with federal holidays only, saying so.
    asked = "They mailed me interrogatories on February 10, 2026. When are my answers due?"
    found = _ask(asked, embedder, matcher, book, court="D. Or.")
    assert found is not None and found.event == "interrogatories" and found.deadline
    assert found.deadline.court is None and FEDERAL_HOLIDAYS_ONLY in found.deadline.caveats
    # E.D. Cal.'s local rule 230(l) opposition period is that court's alone.
    opposition = "They mailed me their motion on February 10, 2026. When is my opposition due?"
    assert _ask(opposition, embedder, matcher, book).event == "opposition-prisoner"
    other = _ask(opposition, embedder, matcher, book, court="D. Or.")
    assert other is None or other.event != "opposition-prisoner"


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
    # A question's date is read in Spanish as well: no English date reads differently.
    assert date_in(text, TODAY, languages=QUESTION_LANGUAGES) == expected


# (text, expected date) in Spanish, read as a question's date is — today is Tue 2026-12-01.
SPANISH_DATES = [
    ("le entregaron la moción el 3 de marzo de 2026", date(2026, 3, 3)),
    ("me la mandaron el 9 de octubre", date(2026, 10, 9)),  # no year: the most recent
    ("me notificaron ayer", date(2026, 11, 30)),
    ("tengo 30 días para responder", None),  # a length of time, not a date
    ("me notificaron la semana pasada", None),  # a week, not a day
    # "mi" is dateparser's miércoles and "vi" its viernes: never a date in a sentence
    ("¿cuándo vence la respuesta de mi hijo?", None),
    ("lo vi en el correo el 14/3/2026", date(2026, 3, 14)),
]


@pytest.mark.parametrize(("text", "expected"), SPANISH_DATES)
def test_spanish_trigger_dates(text, expected) -> None:
    assert date_in(text, TODAY, languages=QUESTION_LANGUAGES) == expected


def test_a_hearing_date_without_a_year_is_the_next_one() -> None:
    assert date_in("the hearing is set for January 20", TODAY, "future") == date(2027, 1, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("they mailed it to me", "mail"), ("it was e-filed", "electronic"),
     ("the officer handed it to him", "personal"), ("they served it", None),
     ("mailed, then e-filed", None),  # two ways named: ask rather than guess
     ("me la mandaron por correo", "mail"), ("se la entregaron en persona", "personal"),
     ("llegó por correo electrónico", "electronic"),  # not also "por correo": inside it
     ("el correo de la corte regresó", None)],  # mail from the court, no way of service
)  # fmt: skip
def test_service_words(text, expected) -> None:
    found = service_in(text)
    assert (found.value if found else None) == expected


# Spanish time questions: each row, the question and the event it is about (the Spanish asks of
# events.yaml, never the English ones, are what they lie close to).
SPANISH_TIME_QUESTIONS = [
    ("¿cuántos días me dan para responder a los interrogatorios?", "interrogatories"),
    ("¿hasta cuándo tengo para responder la solicitud de documentos?", "production"),
    ("¿cuánto tiempo tiene usted para contestar las peticiones de admisión?", "admissions"),
    ("¿cuándo tengo que contestar la demanda?", "answer-complaint"),
    ("¿cuántos días tiene mi hijo para responder a la moción?", "opposition-prisoner"),
    ("¿cuánto tiempo tiene mi papá para apelar la sentencia?", "notice-of-appeal"),
    ("¿cuántos días tengo para pedirle al juez que cambie la sentencia?", "alter-judgment"),
    ("¿cuándo vence el plazo para objetar la recomendación del magistrado?",
     "objections-findings"),
    ("me devolvieron las cartas de la corte porque me cambiaron de prisión, ¿cuánto tiempo "
     "tengo para dar mi nueva dirección?", "change-of-address"),
    ("¿cuántos días antes de la audiencia tengo que mandar mi moción?", "motion-before-hearing"),
]  # fmt: skip

# Spanish questions that are not time questions: most name no time, the rest name it about
# something no event counts.
SPANISH_NOT_TIME = [
    "¿cuánto cuesta presentar una demanda?",
    "¿puedo pedir que me asignen un abogado?",
    "¿qué es una moción para desestimar?",
    "¿dónde presento mi oposición?",
    "¿cómo contesto una demanda?",
    "¿mi hijo puede ganar su caso?",
    "¿cuándo abre la biblioteca de la prisión?",
    "¿cuánto tiempo dura un juicio civil?",
    "¿cuánto tiempo tarda el juez en decidir?",
]


@pytest.mark.parametrize(("question", "event"), SPANISH_TIME_QUESTIONS)
def test_spanish_time_questions_are_recognized(question, event, embedder, matcher) -> None:
    vector = embedder.embed_query(question)
    found = recognize(question, vector, matcher, today=TODAY)
    assert found is not None and found.event == event
    assert matcher.closest(vector)[2]  # by a Spanish ask, held to the Spanish threshold
    assert found.score >= threshold(spanish=True) > threshold()


@pytest.mark.parametrize("question", SPANISH_NOT_TIME)
def test_spanish_questions_not_about_time_are_not_time_questions(
    question, embedder, matcher
) -> None:
    assert recognize(question, embedder.embed_query(question), matcher, today=TODAY) is None


def test_the_english_asks_alone_leave_spanish_questions_unrecognized(embedder) -> None:
    english = EventMatcher(embedder, tuple(replace(e, asks_es=()) for e in load_events()))
    for question, _ in SPANISH_TIME_QUESTIONS[:3]:
        assert english.best(embedder.embed_query(question))[1] < threshold()


@pytest.mark.parametrize(
    ("question", "event", "due"),
    [
        # Tue 2026-03-03 + 30 = Thu 04-02; + 3 for mail = Sun 04-05 -> Mon 04-06.
        ("Me mandaron por correo los interrogatorios el 3 de marzo de 2026. ¿Cuántos días "
         "tengo para contestarlos?", "interrogatories", date(2026, 4, 6)),
        # About someone else: Tue 2026-02-10 + 21 = Tue 03-03; + 3 for mail = Fri 03-06.
        ("Mi hijo recibió por correo la moción de juicio sumario el 10 de febrero de 2026. "
         "¿Cuándo vence su oposición?", "opposition-prisoner", date(2026, 3, 6)),
    ],
)  # fmt: skip
def test_a_dated_spanish_question_gets_its_deadline(
    embedder, matcher, rule_snapshot, question: str, event: str, due: date
) -> None:
    found = _ask(question, embedder, matcher, event_book(rule_snapshot))
    assert found is not None and found.event == event
    assert found.deadline is not None and found.deadline.due == due
