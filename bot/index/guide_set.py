"""Which guides an index run verifies: those read from its paths and those the live generation
kept, so an incremental run checks every guide against the passages it will serve."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from bot.core.errors import GuideError, IndexDamagedError
from bot.core.guide_types import Guide
from bot.index.guide_check import GuideCheck
from bot.index.guide_store import GUIDES_FILE, read_verified

#: Guides a generation read but does not serve (waiting for a source, or failing verification):
#: kept so that a later incremental run verifies them again.
UNSERVED_FILE = "guides_unserved.jsonl"
#: Guides files and guides that could not be read: [path, guide id or null, problem].
UNREAD_FILE = "guides_unread.json"


@dataclass(frozen=True)
class GuideSet:
    """Every guide one index run verifies, and the guides that could not even be read."""

    guides: tuple[Guide, ...] = ()
    errors: tuple[GuideError, ...] = ()


def read(paths: Iterable[Path]) -> GuideSet:
    """The guides files under `paths`, read (bad files and guides reported, never raised)."""
    from bot.ingest.guides import read_guides

    guides, errors = read_guides(paths)
    return GuideSet(tuple(guides), tuple(errors))


def stored(folder: Path) -> GuideSet:
    """Every guide generation `folder` read: served, waiting or failed, and its read errors.

    Generations written before this file existed give back their served guides only."""
    try:
        guides = [v.guide for v in _records(folder / GUIDES_FILE)]
        guides += [v.guide for v in _records(folder / UNSERVED_FILE)]
        unread = folder / UNREAD_FILE
        rows = json.loads(unread.read_text(encoding="utf-8")) if unread.is_file() else []
        errors = tuple(GuideError(path, problem, guide_id) for path, guide_id, problem in rows)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise IndexDamagedError(
            str(folder), f"its guides cannot be read back ({type(error).__name__})"
        ) from None
    return GuideSet(tuple(guides), errors)


def _records(path: Path):
    return read_verified(path) if path.is_file() else ()


def updated(previous: GuideSet, paths: Iterable[Path], given: GuideSet) -> GuideSet:
    """`previous` with the guides files under `paths` read again as `given`."""
    from bot.ingest.guides import guide_files

    files = {path.resolve() for path in guide_files(paths)}
    fresh = {guide.id for guide in given.guides}
    kept = [g for g in previous.guides if _file(g.path) not in files and g.id not in fresh]
    kept_errors = [e for e in previous.errors if _file(e.path) not in files]
    return GuideSet((*kept, *given.guides), (*kept_errors, *given.errors))


def without(guides: GuideSet, path: Path) -> GuideSet:
    """`guides` less those `path` names: a guide id, its guides file or a folder holding it."""

    def named(where: str, guide_id: str | None) -> bool:
        if guide_id is not None and str(path) == guide_id:
            return True
        wanted, recorded = Path(path).resolve(), _file(where)
        return recorded == wanted or wanted in recorded.parents

    return GuideSet(
        tuple(g for g in guides.guides if not named(g.path, g.id)),
        tuple(e for e in guides.errors if not named(e.path, None)),
    )


def write_unserved(folder: Path, guides: GuideSet, check: GuideCheck) -> None:
    """Write what `check` did not serve, beside guides.jsonl, for the next incremental run."""
    served = {verified.guide.id for verified in check.served}
    with open(folder / UNSERVED_FILE, "w", encoding="utf-8") as out:
        for guide in guides.guides:
            if guide.id not in served:
                record = {"guide": asdict(guide), "anchors": []}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    rows = [[error.path, error.guide_id, error.problem] for error in guides.errors]
    (folder / UNREAD_FILE).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")


def _file(where: str) -> Path:
    return Path(where).resolve()
