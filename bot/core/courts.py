"""Court profiles (bot/core/data/courts.yaml): names, captions, local-rule citation forms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

_DIRECTIONS = {"northern": "N.D.", "eastern": "E.D.", "southern": "S.D.", "central": "C.D."}
_DIRECTIONS |= {"western": "W.D.", "middle": "M.D."}
# Bluebook state abbreviations for district names the profiles do not list.
_STATES = {
    "california": "Cal.", "nevada": "Nev.", "oregon": "Or.", "washington": "Wash.",
    "arizona": "Ariz.", "new york": "N.Y.", "texas": "Tex.", "florida": "Fla.",
    "illinois": "Ill.", "pennsylvania": "Pa.", "georgia": "Ga.", "alabama": "Ala.",
    "louisiana": "La.", "michigan": "Mich.", "ohio": "Ohio", "north carolina": "N.C.",
    "tennessee": "Tenn.", "virginia": "Va.", "wisconsin": "Wis.", "missouri": "Mo.",
    "indiana": "Ind.", "kentucky": "Ky.", "oklahoma": "Okla.", "mississippi": "Miss.",
    "arkansas": "Ark.", "iowa": "Iowa", "west virginia": "W. Va.", "south carolina": "S.C.",
}  # fmt: skip
CAPTION = re.compile(
    r"\b(NORTHERN|EASTERN|SOUTHERN|CENTRAL|WESTERN|MIDDLE)\s+DISTRICT\s+OF\s+"
    r"(NORTH\s+CAROLINA|SOUTH\s+CAROLINA|WEST\s+VIRGINIA|NEW\s+YORK|[A-Z]{4,13})\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CourtProfile:
    """One district court: its abbreviation, how its caption names it, its local-rule prefix."""

    name: str  # "E.D. Cal."
    caption: str  # "Eastern District of California"
    state: str | None = None
    circuit: str | None = None
    local_rules: str = ""  # "E.D. Cal. L.R.", "N.D. Cal. Civ. L.R."
    local_rule_spellings: tuple[str, ...] = ()  # other ways orders write the prefix

    def __post_init__(self) -> None:
        if not self.local_rules:
            object.__setattr__(self, "local_rules", f"{self.name} L.R.")


@cache
def court_profiles() -> tuple[CourtProfile, ...]:
    """Every profile in the data file, in file order."""
    data = yaml.safe_load(resources.files("bot.core").joinpath("data/courts.yaml").read_text())
    return tuple(
        CourtProfile(
            name=entry["name"],
            caption=entry["caption"],
            state=entry.get("state"),
            circuit=entry.get("circuit"),
            local_rules=entry.get("local_rules") or "",
            local_rule_spellings=tuple(entry.get("local_rule_spellings") or ()),
        )
        for entry in data["courts"]
    )


_DISTRICT = re.compile(r"(?:[NSEWCM]\.\s?)?D\.\s?[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?")


def court_profile(name: str | None) -> CourtProfile | None:
    """The profile of district court `name` ("E.D. Cal."); an unlisted district gets a plain one.

    None for names that are not one district ("U.S. district courts" in a rule book's front
    matter says where the rules apply, not whose local rules they are).
    """
    if not name:
        return None
    for profile in court_profiles():
        if profile.name == name:
            return profile
    if _DISTRICT.fullmatch(name.strip()):
        return CourtProfile(name=name.strip(), caption=name.strip())
    return None


def local_rule_prefix(court: str | None) -> str | None:
    """How court `court` cites its local rules: "E.D. Cal. L.R.", "N.D. Fla. Loc. R."."""
    profile = court_profile(court)
    return profile.local_rules if profile else None


def court_from_caption(text: str) -> str | None:
    """The court a caption names: "EASTERN DISTRICT OF CALIFORNIA" -> "E.D. Cal."."""
    for m in CAPTION.finditer(text):
        direction = _DIRECTIONS[m.group(1).lower()]
        state = " ".join(m.group(2).lower().split())
        for profile in court_profiles():
            if profile.caption.lower() == f"{m.group(1)} district of {state}".lower():
                return profile.name
        if state in _STATES:
            return f"{direction} {_STATES[state]}"
    return None


def court_caveat(label: str, court: str | None, home: str | None) -> str | None:
    """Why an order from another district does not bind: None for one from `home` or no court.

    A district court's order binds only the parties of its own case; in another district it is
    at most persuasive. The answer says so whenever it relies on an order from outside `home`
    (the district the person's case is in, or the one the knowledge base is about).
    """
    if not court or court == home:
        return None
    where = f"the {court}" if court[:1].isupper() else court
    return (
        f"{label} is an order of {where}, a different district court: it can show how a court "
        "may decide, but it is persuasive only, not binding, in your court."
    )
