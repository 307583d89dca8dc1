"""Federal rule sets (bot/core/data/rule_sets.yaml) and U.S. Code titles of bare sections."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class RuleSet:
    """One set of federal rules: its name, citation prefix, spellings and rule numbers."""

    name: str  # "Federal Rules of Appellate Procedure"
    prefix: str  # "Fed. R. App. P."
    long: str  # "Federal Rule of Appellate Procedure"
    spellings: tuple[str, ...]  # regular expressions for the prefix as written
    first: int  # lowest rule number
    last: int  # highest rule number
    bare: bool = False  # a plain "Rule 26" in a civil case means this set
    short: str | None = None  # the short label in an answer's body: "FRCP"

    def numbered(self, number: str) -> bool:
        """True when `number` ("4", "12.1", "801") is in the set's range of rules."""
        whole = number.split(".")[0]
        return whole.isdigit() and self.first <= int(whole) <= self.last


def _data(name: str) -> dict:
    return yaml.safe_load(resources.files("bot.core").joinpath(f"data/{name}").read_text())


@cache
def rule_sets() -> tuple[RuleSet, ...]:
    """Every federal rule set procbot cites, in file order (the Civil Rules first)."""
    return tuple(
        RuleSet(
            name=entry["name"],
            prefix=entry["prefix"],
            long=entry["long"],
            spellings=tuple(entry["spellings"]),
            first=int(entry["rules"][0]),
            last=int(entry["rules"][1]),
            bare=bool(entry.get("bare")),
            short=entry.get("short"),
        )
        for entry in _data("rule_sets.yaml")["rule_sets"]
    )


def rule_set(prefix: str | None) -> RuleSet | None:
    """The set whose citation prefix is `prefix`, or None."""
    return next((s for s in rule_sets() if s.prefix == prefix), None)


def civil_rules() -> RuleSet:
    """The set a plain "Rule 26" means: the Federal Rules of Civil Procedure."""
    return next(s for s in rule_sets() if s.bare)


def rule_set_named(title: str) -> RuleSet | None:
    """The set a rule book's title names ("Federal Rules of Evidence (Rules 101-1103)")."""
    for s in rule_sets():
        if re.search(rf"\b{re.escape(s.name)}\b", title, re.IGNORECASE):
            return s
    return None


@cache
def known_titles() -> dict[str, int]:
    """Sections whose U.S. Code title is certain when an order writes only "§ 1983"."""
    return {str(k): int(v) for k, v in _data("us_code_titles.yaml")["sections"].items()}
