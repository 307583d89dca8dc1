"""Counting's own types: courts as counting needs them; the rest live in bot.core.deadline_types."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.deadline_types import Counting, Deadline, DeadlineStep, RuleSet, Service

__all__ = [
    "ADDS_THREE_DAYS",
    "Counting",
    "CourtProfile",
    "Deadline",
    "DeadlineStep",
    "RuleSet",
    "Service",
]

#: Ways of service after which Rule 6(d) adds 3 days.
ADDS_THREE_DAYS = frozenset({Service.MAIL, Service.CLERK, Service.OTHER})


@dataclass(frozen=True)
class CourtProfile:
    """A district court as deadline counting needs it: whose state holidays count."""

    name: str  # "E.D. Cal."
    full_name: str
    state: str  # two-letter code of the state where the court sits
    circuit: str  # "9th Cir."
    circuit_clerk_state: str  # state of the circuit clerk's principal office (FRAP 26(a)(6)(C))
    aliases: tuple[str, ...] = ()
