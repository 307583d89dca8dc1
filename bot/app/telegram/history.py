"""Each chat's recent turns in a SQLite file, so follow-up questions survive a restart."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bot.core.answer_types import Turn
from bot.core.errors import ConfigError
from bot.core.files import private_dir, private_file

ROLES = ("user", "assistant")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS turns (
    chat_id INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    text TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS turns_by_chat ON turns (chat_id, created_at);
CREATE TABLE IF NOT EXISTS chat_language (
    chat_id INTEGER PRIMARY KEY,
    language TEXT NOT NULL,
    fixed INTEGER NOT NULL DEFAULT 0
);
"""
#: The language of a chat that has not written or chosen one.
DEFAULT_LANGUAGE = "en"


class History:
    """The last `max_turns` messages of each chat, none older than `max_age_minutes`.

    Rows are ordered by rowid (insertion order). Storing the conversation is the feature;
    nothing here logs it. The file is readable by its owner only.
    """

    def __init__(
        self,
        path: Path,
        max_turns: int,
        max_age_minutes: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = Path(path)
        self.max_turns = max_turns
        self.max_age_s = max_age_minutes * 60.0
        self._clock = clock
        self._lock = threading.Lock()
        try:
            private_dir(self.path.parent)
            # Created owner-only before SQLite opens it: SQLite gives the -wal and -shm files
            # the database file's permissions.
            private_file(self.path)
            # The handlers run on one event loop but the engine's threads may share this
            # object; the lock serialises every use of the one connection.
            self._db = sqlite3.connect(self.path, check_same_thread=False)
            # Deleted rows are overwritten with zeros, not just unlinked from the b-tree.
            self._db.execute("PRAGMA secure_delete=ON")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
            self._tighten()
        except (OSError, sqlite3.Error) as error:
            raise ConfigError(
                f"Cannot open the conversation history at {self.path}: {error}"
            ) from error

    def _tighten(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            journal = Path(f"{self.path}{suffix}")
            if journal.exists():
                os.chmod(journal, 0o600)

    def add(self, chat_id: int, role: str, text: str) -> None:
        """Append one message and drop what is past the count or age bound."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, not {role!r}")
        now = self._clock()
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO turns (chat_id, role, text, created_at) VALUES (?, ?, ?, ?)",
                (chat_id, role, text, now),
            )
            self._db.execute("DELETE FROM turns WHERE created_at < ?", (now - self.max_age_s,))
            self._db.execute(
                "DELETE FROM turns WHERE chat_id = ? AND rowid NOT IN "
                "(SELECT rowid FROM turns WHERE chat_id = ? ORDER BY rowid DESC LIMIT ?)",
                (chat_id, chat_id, self.max_turns),
            )

    def recent(self, chat_id: int) -> tuple[Turn, ...]:
        """The chat's kept messages, oldest first."""
        if self.max_turns <= 0:
            return ()
        cutoff = self._clock() - self.max_age_s
        with self._lock:
            rows = self._db.execute(
                "SELECT role, text FROM turns WHERE chat_id = ? AND created_at >= ? "
                "ORDER BY rowid DESC LIMIT ?",
                (chat_id, cutoff, self.max_turns),
            ).fetchall()
        return tuple(Turn(role=role, text=text) for role, text in reversed(rows))

    def forget(self, chat_id: int) -> int:
        """Delete every stored message of the chat, and its language; returns how many
        messages were deleted."""
        with self._lock:
            with self._db:
                self._db.execute("DELETE FROM chat_language WHERE chat_id = ?", (chat_id,))
                deleted = self._db.execute(
                    "DELETE FROM turns WHERE chat_id = ?", (chat_id,)
                ).rowcount
            # The write-ahead log still holds the deleted messages as they were written: fold
            # it into the (zeroed) database and truncate it, so no copy outlives /forget, not
            # even after a crash.
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return deleted

    def language(self, chat_id: int) -> tuple[str, bool]:
        """The chat's language and whether the person chose it (/language) or it was seen."""
        with self._lock:
            row = self._db.execute(
                "SELECT language, fixed FROM chat_language WHERE chat_id = ?", (chat_id,)
            ).fetchone()
        return (row[0], bool(row[1])) if row else (DEFAULT_LANGUAGE, False)

    def set_language(self, chat_id: int, language: str, fixed: bool) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO chat_language (chat_id, language, fixed) VALUES (?, ?, ?) "
                "ON CONFLICT (chat_id) DO UPDATE SET language = excluded.language, "
                "fixed = excluded.fixed",
                (chat_id, language, int(fixed)),
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()
