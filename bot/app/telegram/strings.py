"""procbot's interface words on Telegram, in English and Spanish, from data/strings.yaml."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml

LANGUAGES = ("en", "es")
DEFAULT = "en"
#: Spanish-only tables of strings.yaml that say other layers' English in Spanish, not strings.
TABLES = ("notes_es", "deadline_es", "terms_es", "dates_es", "reader_es", "summary_es")


@cache
def _table() -> dict[str, dict]:
    text = resources.files("bot.app.telegram").joinpath("data/strings.yaml").read_text("utf-8")
    table = yaml.safe_load(text)
    missing = {
        lang: sorted(_keys(table[DEFAULT]) - _keys(table[lang]))
        for lang in LANGUAGES
        if lang != DEFAULT
    }
    if any(missing.values()):
        raise ValueError(f"strings.yaml lacks translations: {missing}")
    return table


def _keys(tree: dict, prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for key, value in tree.items():
        name = f"{prefix}{key}"
        keys |= _keys(value, name + ".") if isinstance(value, dict) else {name}
    return keys


def text(key: str, lang: str = DEFAULT, **fields: object) -> str:
    """The string `key` ("buttons.exact_words") in `lang`, with `{fields}` filled in."""
    node: object = _table()[lang if lang in LANGUAGES else DEFAULT]
    for part in key.split("."):
        node = node[part]  # type: ignore[index]
    if not isinstance(node, str):
        raise KeyError(f"{key} is a group of strings, not one")
    return node.format(**fields) if fields else node


def table(name: str, lang: str) -> dict | list:
    """A table of `lang` that is data, not one string: "deadline_es", "summary_es", ..."""
    return _table()[lang][name]


def all_strings(lang: str) -> list[str]:
    """Every string of one language (for the reading-level test)."""
    out: list[str] = []

    def walk(tree: dict) -> None:
        for value in tree.values():
            if isinstance(value, dict):
                walk(value)
            else:
                out.append(value)

    walk({k: v for k, v in _table()[lang].items() if k not in TABLES})
    return out


@cache
def patterns(table: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """A Spanish-only table of English sentences (with {field}s) as patterns, each with its
    Spanish wording."""
    rows = []
    for row in _table()["es"].get(table) or ():
        english = re.escape(row["en"])
        english = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", english)
        rows.append((re.compile(english, re.DOTALL), str(row["es"])))
    return tuple(rows)


def note_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """The answer stage's English notes as patterns, each with its Spanish wording."""
    return patterns("notes_es")
