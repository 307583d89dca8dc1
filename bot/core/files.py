"""Owner-only folders and files for everything procbot keeps: history, uploads, indexes."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from bot.core.errors import ConfigError

DIR_MODE = 0o700
FILE_MODE = 0o600
#: What procbot creates from here on gets no group or other bits (the WAL/SHM files of
#: SQLite and Chroma's files are created later, by libraries).
UMASK = 0o077


def private_umask() -> None:
    """Make every file this process creates owner-only; the CLI and the bot call it first."""
    os.umask(UMASK)


def private_dir(path: Path) -> Path:
    """`path` as an owner-only folder, created with its parents when missing."""
    path = Path(path)
    try:
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        if (path.stat().st_mode & 0o777) != DIR_MODE:
            path.chmod(DIR_MODE)
    except OSError as error:
        raise ConfigError(
            f"Cannot use the folder {path} ({error.strerror or error}); check PROCBOT_DATA_DIR."
        ) from None
    return path


def private_file(path: Path) -> Path:
    """Create `path` (empty) owner-only when missing, and tighten it when it exists."""
    fd = os.open(path, os.O_CREAT | os.O_RDWR, FILE_MODE)
    os.close(fd)
    os.chmod(path, FILE_MODE)
    return path


def keep_cache_file(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write a cache file whole or not at all (beside it first, then renamed), in an owner-only
    folder. A folder that cannot be written is not an error: only the next start pays for
    computing the same again."""
    try:
        private_dir(path.parent)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        with open(partial, "wb") as out:
            write(out)
        os.replace(partial, path)
    except (OSError, ConfigError):
        pass


def private_tree(root: Path) -> None:
    """Tighten every folder and file under `root` that is still open to others."""
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            _tighten(Path(folder) / name, DIR_MODE)
        for name in files:
            _tighten(Path(folder) / name, FILE_MODE)
    _tighten(Path(root), DIR_MODE)


def _tighten(path: Path, mode: int) -> None:
    try:
        if path.is_symlink():
            return
        current = path.stat().st_mode & 0o777
        if current & 0o077:
            path.chmod(current & ~0o077 | (mode & 0o700))
    except OSError:
        pass  # a file another process just removed


def free_mb(path: Path) -> float:
    """Megabytes free on the file system that holds `path` (or its nearest existing parent)."""
    probe = Path(path)
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return shutil.disk_usage(probe).free / (1024 * 1024)
