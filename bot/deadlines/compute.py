"""Rule 6(a), 6(d) and FRAP 26(a), 26(c) day counting: a due date and every cited step."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from bot.core.errors import ConfigError, InputError
from bot.deadlines.calendar import DATA, Holiday, HolidayCalendar, HolidayKind
from bot.deadlines.model import (
    ADDS_THREE_DAYS,
    Counting,
    CourtProfile,
    Deadline,
    DeadlineStep,
    RuleSet,
    Service,
)

MAX_DAYS = 3650  # longer periods are years, which these rules do not count day by day
SERVICE_WORDS = {
    Service.MAIL: "by mail",
    Service.PERSONAL: "by hand",
    Service.ELECTRONIC: "electronically",
    Service.CLERK: "by leaving it with the clerk",
    Service.OTHER: "by another means you agreed to in writing",
}
GIVEN_PERIOD = "the period you gave"  # what a step cites when no rule states the period
CAVEAT_ORDER = "If an order in your case sets a different date, the order's date controls."
FEDERAL_HOLIDAYS_ONLY = (
    "Only federal holidays were counted, not the court's state holidays (procbot does not know "
    "the court's state): a state holiday could make the real date later."
)
CAVEAT_LABEL = (
    "This date is a calculation from the rules, not legal advice. Check it against any order "
    "in your case."
)


@dataclass(frozen=True)
class TimeRule:
    authority: str
    quote: str


@cache
def time_rules(rules: RuleSet) -> dict[str, TimeRule]:
    """The cited words of Rule 6 or FRAP 26, by role ("exclude", "last_day", ...)."""
    raw = tomllib.loads((DATA / "time_rules.toml").read_text(encoding="utf-8"))
    return {role: TimeRule(**entry) for role, entry in raw[str(rules)].items()}


@cache
def courts() -> tuple[CourtProfile, ...]:
    raw = tomllib.loads((DATA / "courts.toml").read_text(encoding="utf-8"))
    try:
        return tuple(
            CourtProfile(**{**entry, "aliases": tuple(entry.get("aliases", ()))})
            for entry in raw["court"]
        )
    except TypeError as error:
        raise ConfigError(f"{DATA / 'courts.toml'}: a court entry is wrong ({error}).") from None


def known_court(court: str) -> CourtProfile | None:
    """The profile of `court` ("E.D. Cal.", "Eastern District of California"), None when
    procbot has none: its state's holidays are then unknown."""
    wanted = " ".join((court or "").lower().replace(".", ". ").split()).replace(". ", ".")
    for profile in courts():
        names = {profile.name.lower(), profile.full_name.lower(), *profile.aliases}
        if wanted in {n.replace(". ", ".") for n in names} or wanted.rstrip(".") in names:
            return profile
    return None


def court_profile(court: CourtProfile | str) -> CourtProfile:
    """The profile of a court a person named, or InputError listing the ones procbot knows."""
    if isinstance(court, CourtProfile):
        return court
    found = known_court(court)
    if found is None:
        known = ", ".join(p.name for p in courts())
        raise InputError(
            f"{court!r} is not a court procbot counts deadlines for (it knows {known})."
        )
    return found


def spoken(day: date) -> str:
    """`Tuesday, March 24, 2026`: the way the steps write a date."""
    return f"{day:%A, %B} {day.day}, {day.year}"


def _closure(
    day: date, calendar: HolidayCalendar, forward: bool
) -> tuple[date, list[Holiday], list[date]]:
    """The first day from `day` (moving forward or backward) that is not closed, and why."""
    holidays_met: list[Holiday] = []
    skipped: list[date] = []
    step = timedelta(days=1 if forward else -1)
    while calendar.is_closed(day, forward):
        holiday = calendar.holiday(day, forward)
        if holiday is not None:
            holidays_met.append(holiday)
        skipped.append(day)
        day += step
    return day, holidays_met, skipped


def _why(day: date, holiday: Holiday | None) -> str:
    if holiday is None:
        return f"{spoken(day)} is a {day:%A}"
    return f"{spoken(day)} is a legal holiday ({holiday.name})"


def _roll(
    day: date,
    calendar: HolidayCalendar,
    forward: bool,
    cited: dict[str, TimeRule],
    steps: list[DeadlineStep],
) -> date:
    """Rule 6(a)(1)(C) and 6(a)(5): move a last day off weekends and holidays, citing each."""
    landed, met, skipped = _closure(day, calendar, forward)
    if not skipped:
        return day
    kinds = {
        HolidayKind.FEDERAL: "federal_holiday",
        HolidayKind.DECLARED: "declared_holiday",
        HolidayKind.STATE: "state_holiday",
    }
    for holiday in met:
        rule = cited[kinds[holiday.kind]]
        where = f" (source: {holiday.source})" if holiday.kind is HolidayKind.STATE else ""
        steps.append(
            DeadlineStep(
                f"{spoken(holiday.day)} is a legal holiday: {holiday.name}{where}.",
                holiday.day,
                rule.authority,
                rule.quote,
            )
        )
    first = calendar.holiday(skipped[0], forward)
    if forward:
        rule = cited["last_day"]
        text = (
            f"{_why(skipped[0], first)}, so the period runs to the next day that is not a "
            f"Saturday, Sunday or legal holiday: {spoken(landed)}."
        )
    else:
        rule = cited["next_day"]
        text = (
            f"{_why(skipped[0], first)}; counting backward, the last day is the day before it "
            f"that is not a Saturday, Sunday or legal holiday: {spoken(landed)}."
        )
    steps.append(DeadlineStep(text, landed, rule.authority, rule.quote))
    return landed


def compute(
    trigger: date,
    days: int,
    service: Service | None = None,
    counting: Counting = Counting.AFTER,
    court: CourtProfile | str | None = None,
    from_judgment: bool = False,
    *,
    rules: RuleSet = RuleSet.FRCP,
    authority: str | None = None,
    quote: str = "",
    after: str | None = None,
    event: str | None = None,
    caveats: tuple[str, ...] = (),
) -> Deadline:
    """The last day to act, `days` days after (or before) `trigger`, with every step cited.

    `authority` is None for a period the user or an order gives (no rule states it).
    `service` is how the paper that starts the period was served, or None when the period
    does not run from service (a filing, a hearing); `from_judgment` marks periods that run
    from entry of a judgment or order, to which the service days never apply. `authority`,
    `quote` and `after` say where the period is stated and what it runs from. With no `court`
    only federal holidays are counted, and the deadline says so: a court's state is never
    assumed.
    """
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_DAYS:
        raise InputError(f"The number of days must be a whole number from 1 to {MAX_DAYS}.")
    profile = court_profile(court) if court is not None else None
    forward = counting is Counting.AFTER
    if profile is None:
        states: tuple[str, ...] = ()
    elif rules is RuleSet.FRCP:
        states = (profile.state,)
    else:
        states = (profile.state, profile.circuit_clerk_state)
    calendar = HolidayCalendar(states)
    cited = time_rules(rules)
    origin = after or ("service" if service else "the event")
    sign = 1 if forward else -1
    steps: list[DeadlineStep] = []
    exclude = cited["exclude"]
    steps.append(
        DeadlineStep(
            f"The day of {origin}, {spoken(trigger)}, is not counted; every other day counts, "
            "Saturdays, Sundays and holidays included.",
            trigger,
            exclude.authority,
            exclude.quote,
        )
    )
    end = trigger + timedelta(days=sign * days)
    word = "after" if forward else "before"
    steps.append(
        DeadlineStep(
            f"{days} days {word} {origin}: {spoken(end)}.", end, authority or GIVEN_PERIOD, quote
        )
    )
    due = _roll(end, calendar, forward, cited, steps)
    notes = list(caveats)
    service_rule = cited["service_days"]
    if service is not None:
        how = SERVICE_WORDS[service]
        adds = service in ADDS_THREE_DAYS or (rules is RuleSet.FRAP and service is Service.OTHER)
        if not forward:
            notes.append(
                f"No days are added for service {how}: {service_rule.authority} adds days only "
                "to periods that run after being served."
            )
        elif from_judgment:
            notes.append(
                f"No days are added for service {how}: this period runs from entry of the "
                f"judgment or order, not from being served ({service_rule.authority})."
            )
        elif adds:
            due = due + timedelta(days=3)
            steps.append(
                DeadlineStep(
                    f"3 days are added because it was served {how}: {spoken(due)}.",
                    due,
                    service_rule.authority,
                    service_rule.quote,
                )
            )
            due = _roll(due, calendar, forward, cited, steps)
        else:
            notes.append(
                f"No days are added for service {how} ({service_rule.authority} adds 3 days "
                "only for service by mail, by leaving it with the clerk, or by other means "
                "consented to)."
            )
    extend = cited["extend"]
    notes.extend(
        (
            CAVEAT_ORDER,
            f"If you need more time, ask the court before this date passes ({extend.authority}).",
            CAVEAT_LABEL,
        )
    )
    if profile is None and forward:
        notes.append(FEDERAL_HOLIDAYS_ONLY)
    missing = calendar.missing_states() if forward else ()
    if missing:
        notes.append(
            f"No reviewed list of state holidays for {', '.join(missing)}: only federal "
            "holidays were counted, and a state holiday could make the real date later."
        )
    holiday_list = calendar.description(forward)
    notes.append(f"Holidays counted: {holiday_list}.")
    cited_ids = [s.authority for s in steps if s.authority != GIVEN_PERIOD]
    authorities = tuple(dict.fromkeys([*([authority] if authority else []), *cited_ids]))
    return Deadline(
        event=event,
        trigger_date=trigger,
        service=service,
        due=due,
        days=days,
        counting=counting,
        rules=rules,
        court=profile.name if profile else None,
        steps=tuple(steps),
        authorities=authorities,
        caveats=tuple(notes),
        holiday_list=holiday_list,
    )
