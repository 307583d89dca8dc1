"""A counted deadline in the reader's language: headings from strings.yaml, steps by pattern."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from functools import cache

from bot.app.telegram.strings import table, text
from bot.core.deadline_types import Deadline

#: "Tuesday, March 24, 2026", as the deadline stage writes a day (bot/deadlines/compute.py).
_SPOKEN = "%A, %B %d, %Y"
_FIELD_EN = re.compile(r"\{(\w+)\}")


@cache
def _patterns() -> tuple[tuple[tuple[str, ...], str], ...]:
    """Each English pattern as its pieces (literal words and {field} names) and its Spanish."""
    # The most specific pattern first: the one with the most words of its own.
    rows = sorted(table("deadline_es", "es"), key=lambda r: -len(_FIELD_EN.sub("", r["en"])))
    return tuple((tuple(_FIELD_EN.split(row["en"])), row["es"]) for row in rows)


def _matches(pieces: tuple[str, ...], sentence: str, start: int = 0) -> Iterator[dict[str, str]]:
    """Every way `sentence[start:]` fills the pattern's fields (pieces: literal, field, ...)."""
    literal, rest = pieces[0], pieces[1:]
    if not sentence.startswith(literal, start):
        return
    start += len(literal)
    if not rest:
        if start == len(sentence):
            yield {}
        return
    name, after = rest[0], rest[1]
    end = start + 1
    while end <= len(sentence):
        end = sentence.find(after, end) if after else len(sentence)
        if end == -1:
            return
        for found in _matches(rest[1:], sentence, end):
            yield {name: sentence[start:end], **found}
        end += 1


def _terms() -> dict[str, str]:
    return table("terms_es", "es")


def spanish_day(day: date) -> str:
    """'lunes, 6 de abril de 2026'."""
    words = table("dates_es", "es")
    return words["spoken"].format(
        weekday=words["weekdays"][day.weekday()],
        day=day.day,
        month=words["months"][day.month - 1],
        year=day.year,
    )


def _as_day(words: str) -> date | None:
    try:
        return datetime.strptime(words, _SPOKEN).date()
    except ValueError:
        return None


def spanish(sentence: str) -> str | None:
    """`sentence` from the deadline stage in Spanish, or None when no pattern says it.

    A field named `..._es` must itself be said in Spanish for its pattern to apply.
    """
    if sentence in _terms():
        return _terms()[sentence]
    day = _as_day(sentence)
    if day is not None:
        return spanish_day(day)
    for pieces, words in _patterns():
        for found in _matches(pieces, sentence):
            fields = _fields(found)
            if fields is not None:
                return re.sub(r"\bde el\b", "del", words.format(**fields))
    return None


def _fields(found: dict[str, str]) -> dict[str, str] | None:
    fields = {name: _field(value, name.endswith("_es")) for name, value in found.items()}
    return None if None in fields.values() else fields  # type: ignore[return-value]


def _field(value: str, required: bool) -> str | None:
    """What a pattern filled in, in Spanish when it can be said so, else as written."""
    if "; " in value:
        # A list ("federal holidays ...; California state holidays: ..."), said part by part.
        parts = [spanish(part) for part in value.split("; ")]
        if None not in parts:
            return "; ".join(parts)  # type: ignore[arg-type]
    said = spanish(value)
    if said is None:
        return None if required else value
    return said


def in_language(sentence: str, lang: str) -> str:
    """The sentence in `lang` (English sentences with no Spanish pattern stay as written)."""
    if lang == "en":
        return sentence
    said = spanish(sentence) or sentence
    return said[:1].upper() + said[1:]


def spoken_day(day: date, lang: str) -> str:
    return f"{day:%A, %B} {day.day}, {day.year}" if lang == "en" else spanish_day(day)


def deadline_words(deadline: Deadline, title: str | None = None, lang: str = "en") -> str:
    """The due date, each step with its rule and the rule's own words, and the caveats.

    In English this is the CLI's deadline_text; in Spanish the rules' quoted words stay
    English, with the line that says so.
    """
    day = spoken_day(deadline.due, lang)
    title = in_language(title, lang) if title else None
    head = text("deadline.due_for", lang, day=day, title=title) if title else None
    lines = [head or text("deadline.due", lang, day=day), text("deadline.label", lang)]
    if lang != "en" and any(step.quote for step in deadline.steps):
        lines.append(text("english_words", lang))
    lines += ["", text("deadline.counted", lang)]
    for n, step in enumerate(deadline.steps, 1):
        where = step.authority if lang == "en" else _terms().get(step.authority, step.authority)
        lines.append(f"{n}. {in_language(step.text, lang)} ({where})")
        if step.quote:
            lines.append(f'   "{step.quote}"')
    lines += ["", text("deadline.keep_in_mind", lang)]
    lines += [f"- {in_language(caveat, lang)}" for caveat in deadline.caveats]
    return "\n".join(lines)
