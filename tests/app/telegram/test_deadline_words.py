"""Counted deadlines in Spanish: every sentence the deadline stage writes has its Spanish."""

from __future__ import annotations

from datetime import date

import pytest

from bot.app.telegram.deadline_words import deadline_words, in_language, spanish, spanish_day
from bot.core.deadline_types import Service
from bot.deadlines.events import EventStatus, Source, Trigger, load_events
from bot.deadlines.service import event_deadline
from bot.render import deadline_text

EVENTS = load_events()
#: Days that make the count meet a weekend, a federal holiday and a California one (the day
#: after Thanksgiving), forward and backward.
DAYS = (date(2026, 3, 3), date(2026, 11, 20), date(2026, 12, 21), date(2026, 6, 30))


def _deadlines():
    for event in EVENTS:
        # A source with provenance: the caveat for rules known only as quoted in orders.
        source = Source(event.authority, "doc", None, "as quoted in an order")
        status = EventStatus(event, source, notes=event.notes)
        services = list(Service) if event.trigger in (Trigger.SERVED, Trigger.ENTERED) else [None]
        court = event.court or "E.D. Cal."
        for day in DAYS:
            for service in services:
                yield event, event_deadline(status, day, service, court)


DEADLINES = list(_deadlines())


def test_every_event_is_counted_here() -> None:
    assert {event.key for event, _ in DEADLINES} == {event.key for event in EVENTS}
    assert len(DEADLINES) > 100


@pytest.mark.parametrize("event", EVENTS, ids=[e.key for e in EVENTS])
def test_every_event_has_its_words_in_spanish(event) -> None:
    version = (event.version,) if event.version else ()
    for words in (event.title, event.after, *version, *(note.text for note in event.notes)):
        said = spanish(words)
        assert said and said != words, f"no Spanish for {words!r}"


def test_every_step_and_caveat_of_every_count_has_spanish() -> None:
    missing = {
        sentence
        for _, deadline in DEADLINES
        for sentence in (*(s.text for s in deadline.steps), *deadline.caveats)
        if spanish(sentence) is None
    }
    assert not missing, sorted(missing)[:5]


def test_english_is_the_clis_deadline_text() -> None:
    for event, deadline in DEADLINES[::7]:
        assert deadline_words(deadline, event.title) == deadline_text(deadline, event.title)
        assert deadline_words(deadline) == deadline_text(deadline)


def test_spanish_count_keeps_the_rules_words_in_english_and_says_so() -> None:
    event, deadline = next((e, d) for e, d in DEADLINES if e.key == "interrogatories")
    said = deadline_words(deadline, event.title, "es")
    assert said.startswith("Vence: ") and "Cómo se contó:" in said and "Tenga en cuenta:" in said
    assert "Contestar interrogatorios" in said
    assert "Las palabras del tribunal van en inglés" in said
    quote = next(s.quote for s in deadline.steps if s.quote)
    assert f'"{quote}"' in said  # the rule's own words, untranslated
    ours = "\n".join(line for line in said.splitlines() if not line.startswith('   "'))
    for english in ("How it was counted", "Keep in mind", " days after ", "Holidays counted"):
        assert english not in ours


def test_a_step_with_a_weekend_and_a_holiday_reads_in_spanish() -> None:
    # Tue 2026-10-27 + 30 = Thu 11-26 (Thanksgiving), Fri 11-27 (California), the weekend
    # -> Mon 11-30.
    event = next(e for e in EVENTS if e.key == "interrogatories")
    status = EventStatus(event, None)
    deadline = event_deadline(status, date(2026, 10, 27), Service.PERSONAL, "E.D. Cal.")
    steps = [in_language(s.text, "es") for s in deadline.steps]
    assert any(s.startswith("Jueves, 26 de noviembre de 2026 es feriado legal") for s in steps)
    assert spanish_day(deadline.due) == "lunes, 30 de noviembre de 2026"


def test_a_sentence_with_no_pattern_stays_as_written() -> None:
    assert spanish("Something the deadline stage never writes.") is None
    assert in_language("Something else.", "es") == "Something else."
