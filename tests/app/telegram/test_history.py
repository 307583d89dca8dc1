"""Conversation history: bounded by count and age, per chat, survives a restart, forgettable."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.app.telegram.history import History
from bot.core.answer_types import Turn

# A follow-up exchange about Masterson v. Killen (knowledge/), as a person might write it.
QUESTION = "Should I file my letter to defense counsel with the court?"
ANSWER = "No. Plaintiff's request to meet and confer should not have been filed with the court."
FOLLOW_UP = "What about settlement negotiations?"


class Clock:
    """A settable clock so the age bound is tested without sleeping."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def test_turns_come_back_oldest_first_and_per_chat(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3", max_turns=6, max_age_minutes=60)
    history.add(1, "user", QUESTION)
    history.add(1, "assistant", ANSWER)
    history.add(2, "user", FOLLOW_UP)
    assert history.recent(1) == (Turn("user", QUESTION), Turn("assistant", ANSWER))
    assert history.recent(2) == (Turn("user", FOLLOW_UP),)
    assert history.recent(3) == ()


def test_a_restart_keeps_the_conversation(tmp_path: Path) -> None:
    path = tmp_path / "data" / "history.sqlite3"
    first = History(path, max_turns=6, max_age_minutes=60)
    first.add(7, "user", QUESTION)
    first.close()
    again = History(path, max_turns=6, max_age_minutes=60)
    assert again.recent(7) == (Turn("user", QUESTION),)
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    assert path.stat().st_mode & 0o077 == 0  # only the owner may read conversations


@pytest.mark.parametrize(("max_turns", "added", "kept"), [(6, 9, 6), (2, 5, 2), (4, 3, 3)])
def test_count_bound_keeps_the_newest(tmp_path: Path, max_turns: int, added: int, kept: int):
    history = History(tmp_path / "h.sqlite3", max_turns=max_turns, max_age_minutes=60)
    for n in range(added):
        history.add(1, "user", f"{FOLLOW_UP} ({n})")
    turns = history.recent(1)
    assert [t.text for t in turns] == [f"{FOLLOW_UP} ({n})" for n in range(added - kept, added)]
    rows = sqlite3.connect(tmp_path / "h.sqlite3").execute("SELECT count(*) FROM turns")
    assert rows.fetchone()[0] == kept


def test_age_bound_drops_old_turns(tmp_path: Path) -> None:
    clock = Clock()
    history = History(tmp_path / "h.sqlite3", max_turns=6, max_age_minutes=60, clock=clock)
    history.add(1, "user", QUESTION)
    clock.now += 59 * 60
    history.add(1, "assistant", ANSWER)
    assert len(history.recent(1)) == 2
    clock.now += 2 * 60  # the question is now 61 minutes old
    assert history.recent(1) == (Turn("assistant", ANSWER),)


def test_forget_deletes_only_that_chat(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3", max_turns=6, max_age_minutes=60)
    history.add(1, "user", QUESTION)
    history.add(1, "assistant", ANSWER)
    history.add(2, "user", FOLLOW_UP)
    assert history.forget(1) == 2
    assert history.recent(1) == ()
    assert history.recent(2) == (Turn("user", FOLLOW_UP),)
    assert History(tmp_path / "h.sqlite3", 6, 60).recent(1) == ()


def test_unknown_role_is_refused(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3", max_turns=6, max_age_minutes=60)
    with pytest.raises(ValueError, match="role"):
        history.add(1, "system", QUESTION)
