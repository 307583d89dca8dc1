"""Each passage's filter fields and byte span, written beside passages.jsonl so serving starts
without parsing every passage's text."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any, NamedTuple

from bot.core.types import DocKind, Passage

KEYS_FILE = "keys.json"
#: Bumped when the columns change; a file of another format is read the slow way, not misread.
KEYS_FORMAT = 1


class PassageKey(NamedTuple):
    """What search and lookup filter on, kept in memory for every passage (no text)."""

    passage_id: str
    doc_id: str
    kind: DocKind
    authority: str | None
    mentions: tuple[str, ...]
    court: str | None
    version: str | None
    version_date: str | None
    provenance: str | None


#: The columns of the keys file besides the vector id: PassageKey's fields, in order.
_COLUMNS = PassageKey._fields


@dataclass(frozen=True)
class KeyColumns:
    """A generation's keys as read: one key and one vector id per passage, and the byte
    offsets of passages.jsonl's lines (one more than passages: the file's length)."""

    keys: tuple[PassageKey, ...]
    vector_ids: tuple[str, ...]
    offsets: tuple[int, ...]


class KeysUnreadable(Exception):
    """The keys file is absent, of another format, or does not match passages.jsonl."""


def key_of(record: dict[str, Any] | Passage, strings: dict[str, str]) -> PassageKey:
    """The key of one passage (a Passage, or its record as stored in passages.jsonl)."""
    get = record.get if isinstance(record, dict) else lambda name: getattr(record, name, None)

    def shared(value: str | None) -> str | None:
        # Many passages share a doc id, court, version or authority: one string object each.
        return None if value is None else strings.setdefault(value, value)

    return PassageKey(
        passage_id=get("passage_id"),
        doc_id=shared(get("doc_id")) or "",
        kind=DocKind(get("kind")),
        authority=shared(get("authority")),
        mentions=tuple(shared(m) or "" for m in get("mentions") or ()),
        court=shared(get("court")),
        version=shared(get("version")),
        version_date=shared(get("version_date")),
        provenance=shared(get("provenance")),
    )


def write_keys(
    folder: Path, entries: Iterable[tuple[str, Passage]], line_lengths: Sequence[int]
) -> None:
    """Write the keys of `entries` (vector id, passage), whose passages.jsonl lines are
    `line_lengths` bytes long, as columns: one JSON array per field."""
    strings: dict[str, str] = {}
    columns: dict[str, list[Any]] = {name: [] for name in ("vector_id", *_COLUMNS)}
    for vector_id, passage in entries:
        columns["vector_id"].append(vector_id)
        for name, value in zip(_COLUMNS, key_of(passage, strings), strict=True):
            columns[name].append(str(value) if name == "kind" else value)
    document = {"format": KEYS_FORMAT, "line_bytes": list(line_lengths), **columns}
    (folder / KEYS_FILE).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def read_keys(folder: Path, passages_bytes: int) -> KeyColumns:
    """The keys written by `write_keys`; KeysUnreadable when the file is missing, of another
    format, or does not describe a passages.jsonl of `passages_bytes` bytes."""
    try:
        document = json.loads((folder / KEYS_FILE).read_bytes())
    except FileNotFoundError:
        raise KeysUnreadable(f"no {KEYS_FILE}") from None
    except (OSError, ValueError) as error:
        raise KeysUnreadable(f"{KEYS_FILE} cannot be read ({error})") from None
    if not isinstance(document, dict) or document.get("format") != KEYS_FORMAT:
        raise KeysUnreadable(f"{KEYS_FILE} is of another format")
    try:
        lengths = document["line_bytes"]
        vector_ids = tuple(document["vector_id"])
        columns = {name: document[name] for name in _COLUMNS}
        if any(len(column) != len(lengths) for column in (vector_ids, *columns.values())):
            raise KeysUnreadable(f"{KEYS_FILE} has columns of different lengths")
        strings: dict[str, str] = {}

        def shared(column: list[Any]) -> list[Any]:
            # Many passages share a doc id, court, version or authority: one string object each.
            return [None if v is None else strings.setdefault(v, v) for v in column]

        for name in ("doc_id", "authority", "court", "version", "version_date", "provenance"):
            columns[name] = shared(columns[name])
        kinds = {value: DocKind(value) for value in set(columns["kind"])}
        columns["kind"] = [kinds[value] for value in columns["kind"]]
        columns["mentions"] = [tuple(shared(m)) for m in columns["mentions"]]
        keys = tuple(map(PassageKey._make, zip(*columns.values(), strict=True)))
    except (KeyError, TypeError, ValueError) as error:
        raise KeysUnreadable(f"{KEYS_FILE} cannot be read ({type(error).__name__})") from None
    offsets = (0, *accumulate(int(length) for length in lengths))
    if offsets[-1] != passages_bytes:
        # passages.jsonl was cut or replaced after the keys were written: spans would be wrong.
        raise KeysUnreadable(f"{KEYS_FILE} does not match passages.jsonl")
    return KeyColumns(keys, vector_ids, offsets)
