"""Privacy on disk: owner-only modes, `/forget` leaves no copy, PTB never logs what people wrote."""

from __future__ import annotations

import logging
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

from bot.core.settings import Settings
from bot.index.build import build_index

# Root ignores permission bits, so these tests check the modes themselves, not access.
MARKER = "Jane Roe-Q7731 CDCR T-48213"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_folder_is_owner_only_and_every_file_in_it_too(
    settings: Settings, knowledge: Path, embedder
) -> None:
    build_index(settings, [knowledge], embedder)
    from bot.app.telegram.history import History

    history = History(settings.history_path, 6, 60)
    history.add(1, "user", "a question")
    history.close()
    assert _mode(settings.data_dir) == 0o700
    for path in settings.data_dir.rglob("*"):
        expected = 0o700 if path.is_dir() else 0o600
        assert _mode(path) & 0o077 == 0, (path, oct(_mode(path)))
        assert _mode(path) & 0o700 == expected & 0o700 or path.is_dir(), path


def test_history_journal_files_are_owner_only(settings: Settings) -> None:
    from bot.app.telegram.history import History

    history = History(settings.history_path, 6, 60)
    history.add(1, "user", MARKER)
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{settings.history_path}{suffix}")
        if path.exists():
            assert _mode(path) == 0o600, (suffix, oct(_mode(path)))
    history.close()


def test_forget_leaves_no_copy_even_after_kill_9(tmp_path: Path) -> None:
    # A real process adds the message, forgets it, then dies without closing anything.
    path = tmp_path / "data" / "history.sqlite3"
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        from bot.app.telegram.history import History
        history = History({str(path)!r}, 6, 60)
        history.add(7, "user", {MARKER!r})
        history.add(7, "assistant", "an answer about " + {MARKER!r})
        history.add(8, "user", "another chat")
        assert history.forget(7) == 2
        sys.stdout.write("forgotten\\n"); sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    repo = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=repo, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert "forgotten" in done.stdout
    leftovers = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
    assert leftovers
    needle = MARKER.encode()
    for file in leftovers:
        assert needle not in file.read_bytes(), file.name
    from bot.app.telegram.history import History

    history = History(path, 6, 60)  # the other chat's message survived
    assert [t.text for t in history.recent(8)] == ["another chat"]
    assert history.recent(7) == ()
    history.close()


def test_ptb_never_logs_update_contents(caplog) -> None:
    from bot.app.telegram.app import keep_text_out_of_logs

    keep_text_out_of_logs()
    updater = logging.getLogger("telegram.ext.Updater")
    with caplog.at_level(logging.DEBUG):
        # What PTB logs when it cannot parse an update: the raw data, at CRITICAL.
        updater.critical(
            "Something went wrong processing the data received from Telegram. "
            "Received data was *not* processed! Received data was: %r",
            {"message": {"text": MARKER}},
            exc_info=ValueError(f"bad update {MARKER}"),
        )
        logging.getLogger("telegram.ext.Application").debug("Processing update %s", MARKER)
        logging.getLogger("telegram.Bot").info("Calling with %s", MARKER)
    assert MARKER not in caplog.text
    assert "Received data was *not* processed" in caplog.text  # the event itself is kept


def test_private_dir_tightens_a_folder_that_exists(tmp_path: Path) -> None:
    from bot.core.files import private_dir

    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    (loose / "history.sqlite3").write_text("x")
    (loose / "history.sqlite3").chmod(0o644)
    assert _mode(private_dir(loose)) == 0o700
    assert _mode(private_dir(tmp_path / "new" / "data")) == 0o700
