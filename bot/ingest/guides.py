"""Guides files (`type: guides` YAML in the knowledge folders) read into Guide objects."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.core.answer_types import Verdict
from bot.core.errors import GuideError
from bot.core.guide_types import Guide, GuideCondition, GuidePoint

SUFFIXES = (".yaml", ".yml")
#: A guides file is a few hundred short entries; anything this big is not one.
MAX_BYTES = 2 * 1024 * 1024
MIN_ASKS = 6
MIN_POINTS, MAX_POINTS = 2, 4
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TOP_LEVEL = {"type", "court", "guides", "description"}

ShortAnswer = Literal["yes", "no", "depends", "none"]


def _yaml_word(value: Any) -> Any:
    # YAML 1.1 reads a bare `no` / `yes` as a boolean; the writer meant the word.
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value.strip().lower() if isinstance(value, str) else value


def _texts(value: Any) -> Any:
    if value is None:
        return ()
    if isinstance(value, str):
        raise ValueError("must be a list of strings")
    return tuple(v.strip() if isinstance(v, str) else v for v in value)


class _Text(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Point(_Text):
    text: str = Field(min_length=1)
    text_es: str | None = None
    cite: str = Field(min_length=1)
    anchor: str = Field(min_length=12)

    @field_validator("text", "cite", "anchor", "text_es", mode="before")
    @classmethod
    def _strip(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value


class _Condition(_Text):
    when: str = Field(min_length=1)
    cues: tuple[str, ...] = Field(min_length=1)
    short_answer: ShortAnswer
    point: int | None = Field(None, ge=0)

    _answer = field_validator("short_answer", mode="before")(_yaml_word)
    _cues = field_validator("cues", mode="before")(_texts)


class _Guide(_Text):
    id: str
    topic: str = Field(min_length=1)
    asks: tuple[str, ...] = Field(min_length=MIN_ASKS)
    asks_es: tuple[str, ...] = ()
    short_answer: ShortAnswer
    conditions: tuple[_Condition, ...] = ()
    points: tuple[_Point, ...] = Field(min_length=MIN_POINTS, max_length=MAX_POINTS)
    related: tuple[str, ...] = ()

    _answer = field_validator("short_answer", mode="before")(_yaml_word)
    _lists = field_validator("asks", "asks_es", "related", mode="before")(_texts)

    @field_validator("id")
    @classmethod
    def _id_form(cls, value: str) -> str:
        if not _ID.fullmatch(value):
            raise ValueError("must be lowercase words joined by dashes, e.g. discovery-not-filed")
        return value

    @field_validator("asks", "asks_es")
    @classmethod
    def _no_blank_asks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not ask for ask in value):
            raise ValueError("must not hold an empty ask")
        return value


def _verdict(word: str) -> Verdict | None:
    return None if word == "none" else Verdict(word)


def _problem(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]


def _guide(path: str, raw: _Guide, court: str | None) -> Guide:
    for condition in raw.conditions:
        if condition.point is not None and condition.point >= len(raw.points):
            raise GuideError(
                path,
                f"condition {condition.when!r} names point {condition.point}, "
                f"but the guide has {len(raw.points)} points (numbered from 0)",
                raw.id,
            )
    return Guide(
        id=raw.id,
        topic=raw.topic,
        asks=raw.asks,
        short_answer=_verdict(raw.short_answer),
        points=tuple(GuidePoint(p.text, p.cite, p.anchor, p.text_es) for p in raw.points),
        path=path,
        asks_es=raw.asks_es,
        conditions=tuple(
            GuideCondition(c.when, c.cues, _verdict(c.short_answer), c.point)
            for c in raw.conditions
        ),
        related=tuple(r for r in raw.related if r != raw.id),
        court=court,
    )


def _load_yaml(path: Path) -> Any:
    where = str(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise GuideError(
            where, f"is {size / 1024:.0f} KB; a guides file may be at most {MAX_BYTES // 1024} KB"
        )
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise GuideError(where, f"is not UTF-8 text (undecodable byte at {error.start})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "syntax error"
        raise GuideError(where, f"is not valid YAML{at}: {problem}") from None


def read_guides_file(path: Path) -> tuple[list[Guide], list[GuideError]]:
    """The guides of one file; a bad guide is reported by id and the others are kept."""
    where = str(path)
    data = _load_yaml(path)
    if not isinstance(data, dict) or data.get("type") != "guides":
        raise GuideError(
            where, "is a YAML file without `type: guides`; YAML knowledge files must be guides"
        )
    unknown = sorted(set(data) - _TOP_LEVEL)
    if unknown:
        raise GuideError(where, f"has unknown top-level keys: {', '.join(map(str, unknown))}")
    court = data.get("court")
    if court is not None and (not isinstance(court, str) or not court.strip()):
        raise GuideError(where, "court must be a court's abbreviation such as 'E.D. Cal.'")
    entries = data.get("guides")
    if not isinstance(entries, list) or not entries:
        raise GuideError(where, "has no `guides:` list")
    guides: list[Guide] = []
    errors: list[GuideError] = []
    for n, entry in enumerate(entries, 1):
        named = entry.get("id") if isinstance(entry, dict) else None
        label = named if isinstance(named, str) and named else f"#{n}"
        try:
            if not isinstance(entry, dict):
                raise GuideError(where, "must be a mapping of fields", label)
            guides.append(_guide(where, _Guide.model_validate(entry), court and court.strip()))
        except ValidationError as error:
            errors.append(GuideError(where, _problem(error), label))
        except GuideError as error:
            errors.append(error)
    return guides, errors


def guide_files(paths: Iterable[Path | str]) -> list[Path]:
    """Every .yaml/.yml file under `paths` (sorted, hidden ones skipped)."""
    found: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden and child.suffix.lower() in SUFFIXES:
                    found.append(child)
        elif path.is_file() and path.suffix.lower() in SUFFIXES:
            found.append(path)
    # A folder named twice (or a file and its folder) is read once.
    unique = []
    for path in found:
        if path.resolve() not in seen:
            seen.add(path.resolve())
            unique.append(path)
    return unique


def read_guides(paths: Iterable[Path | str]) -> tuple[list[Guide], list[GuideError]]:
    """Every guide under `paths`; bad files and guides are reported, never raised.

    An id used twice is an error on the second use: the first file (in sorted order) keeps it.
    """
    guides: list[Guide] = []
    errors: list[GuideError] = []
    seen: dict[str, str] = {}
    for path in guide_files(paths):
        try:
            found, problems = read_guides_file(path)
        except GuideError as error:
            errors.append(error)
            continue
        except OSError as error:
            errors.append(GuideError(str(path), f"cannot be read ({error.strerror or error})"))
            continue
        errors.extend(problems)
        for guide in found:
            if guide.id in seen:
                used = f"the id is already used in {seen[guide.id]}"
                errors.append(GuideError(guide.path, used, guide.id))
                continue
            seen[guide.id] = guide.path
            guides.append(guide)
    return guides, errors
