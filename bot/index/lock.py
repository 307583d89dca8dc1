"""One writer per data folder: an inter-process lock around index runs and evaluation caches."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from bot.core.errors import BusyError
from bot.core.files import private_dir
from bot.core.settings import Settings

log = logging.getLogger("bot.index")

LOCK_FILE = "writer.lock"
HOLDER_FILE = "writer.pid"


def _holder(folder: Path) -> str:
    try:
        pid = (folder / HOLDER_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return ""
    return f" (process {pid})" if pid.isdigit() else ""


@contextmanager
def writer_lock(settings: Settings) -> Iterator[None]:
    """Hold the data folder's writer lock; wait up to PROCBOT_LOCK_TIMEOUT_S, then refuse.

    Re-entrant within one thread, so an eval that indexes its own cache can nest it.
    """
    folder = private_dir(settings.data_dir)
    lock = FileLock(folder / LOCK_FILE, is_singleton=True)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log.warning(
            "Another procbot run%s is writing the index in %s; waiting up to %g s for it to "
            "finish.",
            _holder(folder),
            settings.data_dir,
            settings.lock_timeout_s,
        )
        try:
            lock.acquire(timeout=settings.lock_timeout_s)
        except Timeout:
            raise BusyError(
                f"Another procbot run{_holder(folder)} is still writing the index in "
                f"{settings.data_dir} after {settings.lock_timeout_s:g} s; nothing was changed. "
                "Try again when it has finished, or raise PROCBOT_LOCK_TIMEOUT_S."
            ) from None
    try:
        if lock.lock_counter == 1:
            (folder / HOLDER_FILE).write_text(f"{os.getpid()}\n", encoding="utf-8")
        yield
    finally:
        lock.release()
