"""A read order in plain words (what the court did, what to do by when, what if not), and JSON."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from bot.reader.read import ReadOrder

DISCLAIMER = (
    "This is legal information from your order, not legal advice. Check each date against the "
    "order itself; if you are unsure, ask the court clerk."
)
QUOTE_CHARS = 260
#: procbot's own words in a summary, in English; the Telegram app passes its Spanish ones
#: (bot/app/telegram/data/strings.yaml, order_summary, which holds these same English words).
ENGLISH = MappingProxyType(
    {
        "your_order": "Your order",
        "docket": "No. {docket}",
        "dated": "dated {day}",
        "cite": "order at {pinpoint}",
        "kind_findings": "Findings and recommendations (not yet a final decision)",
        "kind_order": "An order of the court",
        "did": "What the court did — {kind}",
        "no_ruling": "I found no ruling on a motion in it.",
        "todo": "What it tells you (and others) to do",
        "no_instructions": "It gives no instructions to anyone.",
        "if_not": "What happens if it is not done",
        "good_to_know": "Good to know",
        "due": "due {day}",
        "counted": "{days} days from {trigger}",
        "within": "within {days} days",
        "from": "from {trigger}",
        "no_start": "the order does not say from what day to count, so I give no date",
        "the_request": "the request",
        "actor_plaintiff": "Plaintiff",
        "actor_defendant": "Defendant",
        "actor_clerk": "The Clerk",
        "actor_counsel": "Counsel",
        "actor_parties": "Each party",
        "disclaimer": DISCLAIMER,
    }
)


def spoken_date(iso: str) -> str:
    """'2020-07-09' -> 'Thursday, July 9, 2020'."""
    day = date.fromisoformat(iso)
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"


def _as_written(sentence: str) -> str:
    return sentence


def decided_english(outcome: str, what: str) -> str:
    """'denied', 'the motion' -> 'Denied: the motion'; a recommendation says so."""
    if outcome.startswith("recommended: "):
        return f"Recommends that {what} be {outcome.split(': ', 1)[1]}"
    return f"{outcome.capitalize()}: {what}"


@dataclass(frozen=True)
class Words:
    """How a summary says procbot's own words: `text` by key (as ENGLISH), a day (from its ISO
    date), the reader's own English sentences (its notes, what a period runs from) and a
    decision. The order's quoted words are never passed through any of them."""

    text: Mapping[str, str] = field(default_factory=lambda: ENGLISH)
    day: Callable[[str], str] = spoken_date
    sentence: Callable[[str], str] = _as_written
    decided: Callable[[str, str], str] = decided_english

    def __call__(self, key: str, **fields: object) -> str:
        return self.text[key].format(**fields) if fields else self.text[key]


def _cite(pinpoint: str | None, say: Words) -> str:
    return f" ({say('cite', pinpoint=pinpoint)})" if pinpoint else ""


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"


def heading(order: ReadOrder, say: Words | None = None) -> str:
    say = say or Words()
    parts = [order.case or say("your_order")]
    if order.court:
        parts.append(order.court)
    if order.docket:
        parts.append(say("docket", docket=order.docket))
    if order.date:
        parts.append(say("dated", day=say.day(order.date)))
    return ", ".join(parts)


def summary_lines(order: ReadOrder, say: Words | None = None) -> list[tuple[str, list[str]]]:
    """The summary as (section title, points); every point cites the order's page:line."""
    say = say or Words()
    sections: list[tuple[str, list[str]]] = []
    kind = say("kind_findings" if order.findings_and_recommendations else "kind_order")
    did = [
        f"{say.decided(d.outcome, d.what.strip() or say('the_request'))}{_cite(d.pinpoint, say)}"
        for d in order.decided
    ]
    sections.append((say("did", kind=kind), did or [say("no_ruling")]))
    todo = []
    for d in order.directives:
        who = say(f"actor_{d.actor}") if f"actor_{d.actor}" in say.text else ""
        line = f"{who + ': ' if who else ''}“{_quote(d.text)}”{_cite(d.pinpoint, say)}"
        deadline = d.deadline
        if deadline and deadline.due:
            line += f" — {say('due', day=say.day(deadline.due))}"
            authority = say.sentence(deadline.authority)
            if deadline.days:
                trigger = say.sentence(deadline.trigger or "")
                line += f" ({say('counted', days=deadline.days, trigger=trigger)}; {authority})"
            else:
                line += f" ({authority})"
        elif deadline and deadline.days:
            line += f" — {say('within', days=deadline.days)}"
            if deadline.trigger:
                line += f" {say('from', trigger=say.sentence(deadline.trigger))}"
            line += "; " + (say.sentence(deadline.note) if deadline.note else say("no_start"))
        todo.append(line)
    sections.append((say("todo"), todo or [say("no_instructions")]))
    ifnot = [f"“{_quote(c.text)}”{_cite(c.pinpoint, say)}" for c in order.consequences]
    if ifnot:
        sections.append((say("if_not"), ifnot))
    notes = list(order.notes)
    notes.extend(
        d.deadline.note
        for d in order.directives
        if d.deadline and d.deadline.note and d.deadline.due
    )
    if notes:
        sections.append((say("good_to_know"), [say.sentence(n) for n in dict.fromkeys(notes)]))
    return sections


def summary_text(order: ReadOrder) -> str:
    lines = [heading(order), ""]
    for title, points in summary_lines(order):
        lines.append(title)
        lines.extend(f"• {p}" for p in points)
        lines.append("")
    lines.append(DISCLAIMER)
    return "\n".join(lines)


def order_json(order: ReadOrder) -> dict:
    """The fields `procbot read --json` prints."""
    return {
        "court": order.court,
        "case": order.case,
        "docket": order.docket,
        "date": order.date,
        "judge": order.judge,
        "kind": "findings_and_recommendations" if order.findings_and_recommendations else "order",
        "pages": order.pages,
        "source": order.source,
        "decided": [
            {"outcome": d.outcome, "what": d.what, "text": d.text, "pinpoint": d.pinpoint}
            for d in order.decided
        ],
        "directives": [
            {
                "text": d.text,
                "pinpoint": d.pinpoint,
                "actor": d.actor,
                "deadline": None
                if d.deadline is None
                else {
                    "days": d.deadline.days,
                    "from": d.deadline.trigger,
                    "due": d.deadline.due,
                    "authority": d.deadline.authority,
                },
            }
            for d in order.directives
        ],
        "consequences": [{"text": c.text, "pinpoint": c.pinpoint} for c in order.consequences],
        "notes": list(order.notes),
    }
