"""Events are served only when their period's words are found in the indexed text."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.core.errors import ConfigError, InputError
from bot.deadlines.events import EVENTS_FILE, Event, Trigger, check_events, load_events
from bot.deadlines.recognize import asks_about_time


def _event(key: str):
    return next(e for e in load_events() if e.key == key)


def test_the_data_file_has_the_required_events() -> None:
    keys = {e.key for e in load_events()}
    assert {
        "answer-complaint", "answer-after-waiver", "interrogatories", "production",
        "admissions", "serve-complaint", "amend-once", "opposition-prisoner",
        "objections-findings", "notice-of-appeal", "alter-judgment", "change-of-address",
    } <= keys  # fmt: skip
    for event in load_events():
        assert str(event.days) in event.words or event.trigger  # checked for real below
        assert len(event.asks) >= 3, event.key
        # Spanish asks: a Spanish question is matched against these (the English asks score
        # far below the threshold against it), each naming time as a question must.
        assert 2 <= len(event.asks_es) <= 4, event.key
        assert all(asks_about_time(a) for a in event.asks_es), event.key


def test_events_whose_words_are_indexed_are_enabled(rule_snapshot) -> None:
    book = check_events(rule_snapshot)
    enabled = {s.event.key for s in book.enabled}
    # Indexed above: 12(a)(1)(A)(i), 33(b)(2), 59(e), L.R. 230(l). Nothing else.
    assert enabled == {"answer-complaint", "interrogatories", "alter-judgment",
                       "opposition-prisoner"}  # fmt: skip
    appeal = book.statuses[[s.event.key for s in book.statuses].index("notice-of-appeal")]
    assert not appeal.enabled and "Fed. R. App. P. 4(a)(1)(A)" in (appeal.problem or "")


def test_the_quoted_local_rule_is_its_current_wording(rule_snapshot) -> None:
    status = check_events(rule_snapshot).get("opposition-prisoner")
    assert status.source is not None
    assert "Warner v. Cate" in (status.source.provenance or "")  # not Walker's 18 + 3 days


def test_the_newest_rule_book_is_quoted_and_its_version_named(snapshot_of, rule_rows) -> None:
    # 12(a)(1)(A)(i) in both books: the 2024 text is the one cited.
    rows = [*rule_rows, ("frcp-2022-12-01", "as amended to Dec. 1, 2022",
            "Fed. R. Civ. P. 12(a)(1)(A)(i)", None,
            "within 21 days after being served with the summons and complaint; or")]  # fmt: skip
    status = check_events(snapshot_of(rows)).get("answer-complaint")
    assert status.source is not None and status.source.doc_id == "frcp-2024-12-01"


def test_a_note_whose_words_are_not_indexed_is_left_out(rule_snapshot) -> None:
    # 59(e) is indexed, Rule 6(b)(2) is not: the "cannot extend" note waits for its source.
    status = check_events(rule_snapshot).get("alter-judgment")
    assert status.notes == ()
    assert status.missing_notes == ("Fed. R. Civ. P. 6(b)(2): its words are not in the index",)


def test_a_number_not_in_the_words_disables_the_event(rule_snapshot) -> None:
    wrong = replace(_event("interrogatories"), days=28)
    [status] = check_events(rule_snapshot, (wrong,)).statuses
    assert not status.enabled and "do not state 28 days" in (status.problem or "")


def test_words_that_differ_from_the_index_disable_the_event(rule_snapshot) -> None:
    # A judge's "within thirty days" is not the rule's words.
    wrong = replace(_event("interrogatories"), words="within thirty days", days=30)
    [status] = check_events(rule_snapshot, (wrong,)).statuses
    assert not status.enabled


def test_a_disabled_event_is_refused_with_its_reason(rule_snapshot) -> None:
    book = check_events(rule_snapshot)
    with pytest.raises(InputError, match="does not count a period its sources do not state"):
        book.get("notice-of-appeal")
    with pytest.raises(InputError, match="not an event procbot knows"):
        book.get("no-such-event")


def test_an_empty_index_disables_every_event(snapshot_of) -> None:
    book = check_events(snapshot_of([]))
    assert book.enabled == ()
    assert "Fed. R. Civ. P. 6(d)" in book.unverified_rules


def test_a_malformed_events_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "events.yaml"
    bad.write_text("events:\n  - key: x\n    title: y\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"events\.yaml, event x: missing or wrong field"):
        load_events(bad)


@pytest.mark.parametrize("asks", ["asks: when is it due", "asks_es: ¿cuándo vence?",
                                  'asks_es: ["¿cuándo vence?", 3]'])  # fmt: skip
def test_asks_that_are_not_a_list_of_phrases_are_named(tmp_path: Path, asks: str) -> None:
    bad = tmp_path / "events.yaml"
    fields = ["key: x", "title: y", "authority: z", "words: 3 days", "days: 3", "trigger: filed",
              "after: w", asks]  # fmt: skip
    bad.write_text("events:\n  - " + "\n    ".join(fields) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="event x: missing or wrong field"):
        load_events(bad)
    good = bad.with_name("good.yaml")
    good.write_text("events:\n  - " + "\n    ".join(fields[:-1]) + "\n", encoding="utf-8")
    assert load_events(good)[0].asks_es == ()  # the field is optional


def test_event_fields_are_typed() -> None:
    event = _event("notice-of-appeal")
    assert isinstance(event, Event) and event.trigger is Trigger.ENTERED
    assert event.rules == "frap"


def test_the_events_file_is_parsed_again_only_when_it_changes(tmp_path: Path) -> None:
    # `ask` reads the events on every question; parsing the YAML each time cost more than the
    # rest of the answer.
    path = tmp_path / "events.yaml"
    path.write_text(EVENTS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    first = load_events(path)
    assert load_events(path) is first
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    edited = load_events(path)
    assert edited is not first and edited == first
    path.write_text("events:\n  - key: x\n    title: y\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="event x: missing or wrong field"):
        load_events(path)
