"""Each chat's uploaded order, in memory only: never on disk, gone on /forget or when it expires."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from bot.reader.read import ReadOrder


class UploadStore:
    """The last order each chat sent, kept `retention_hours` for follow-up questions.

    Nothing here is written to disk or logged: a person's court paper is theirs, and the
    shared index never sees it. A restart forgets every upload, which is the point.
    """

    def __init__(self, retention_hours: float, clock: Callable[[], float] = time.monotonic):
        self.retention_s = retention_hours * 3600
        self._clock = clock
        self._lock = threading.Lock()
        self._orders: dict[int, tuple[float, ReadOrder]] = {}

    def put(self, chat_id: int, order: ReadOrder) -> None:
        self.purge()
        with self._lock:
            self._orders[chat_id] = (self._clock() + self.retention_s, order)

    def get(self, chat_id: int) -> ReadOrder | None:
        self.purge()
        with self._lock:
            kept = self._orders.get(chat_id)
        return kept[1] if kept else None

    def forget(self, chat_id: int) -> bool:
        """Delete the chat's order; True when there was one."""
        with self._lock:
            return self._orders.pop(chat_id, None) is not None

    def purge(self) -> int:
        """Drop every expired order; how many went."""
        now = self._clock()
        with self._lock:
            expired = [c for c, (until, _) in self._orders.items() if until <= now]
            for chat_id in expired:
                del self._orders[chat_id]
        return len(expired)

    def __len__(self) -> int:
        with self._lock:
            return len(self._orders)
