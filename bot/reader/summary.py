"""A read order in plain words (what the court did, what to do by when, what if not), and JSON."""

from __future__ import annotations

from datetime import date

from bot.reader.read import ReadOrder

DISCLAIMER = (
    "This is legal information from your order, not legal advice. Check each date against the "
    "order itself; if you are unsure, ask the court clerk."
)
QUOTE_CHARS = 260
_ACTORS = {
    "plaintiff": "Plaintiff",
    "defendant": "Defendant",
    "clerk": "The Clerk",
    "counsel": "Counsel",
    "parties": "Each party",
}


def spoken_date(iso: str) -> str:
    """'2020-07-09' -> 'Thursday, July 9, 2020'."""
    day = date.fromisoformat(iso)
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"


def _cite(pinpoint: str | None) -> str:
    return f" (order at {pinpoint})" if pinpoint else ""


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"


def heading(order: ReadOrder) -> str:
    parts = [order.case or "Your order"]
    if order.court:
        parts.append(order.court)
    if order.docket:
        parts.append(f"No. {order.docket}")
    if order.date:
        parts.append(f"dated {spoken_date(order.date)}")
    return ", ".join(parts)


def summary_lines(order: ReadOrder) -> list[tuple[str, list[str]]]:
    """The summary as (section title, points); every point cites the order's page:line."""
    sections: list[tuple[str, list[str]]] = []
    kind = (
        "Findings and recommendations (not yet a final decision)"
        if order.findings_and_recommendations
        else "An order of the court"
    )
    did = [f"{_decided(d.outcome, d.what)}{_cite(d.pinpoint)}" for d in order.decided]
    sections.append(
        (f"What the court did — {kind}", did or ["I found no ruling on a motion in it."])
    )
    todo = []
    for d in order.directives:
        who = _ACTORS.get(d.actor or "", "")
        line = f"{who + ': ' if who else ''}“{_quote(d.text)}”{_cite(d.pinpoint)}"
        if d.deadline and d.deadline.due:
            line += f" — due {spoken_date(d.deadline.due)}"
            if d.deadline.days:
                line += (
                    f" ({d.deadline.days} days from {d.deadline.trigger}; {d.deadline.authority})"
                )
            else:
                line += f" ({d.deadline.authority})"
        elif d.deadline and d.deadline.days:
            line += f" — within {d.deadline.days} days"
            line += f" from {d.deadline.trigger}" if d.deadline.trigger else ""
            line += "; " + (
                d.deadline.note
                or "the order does not say from what day to count, so I give no date"
            )
        todo.append(line)
    sections.append(
        ("What it tells you (and others) to do", todo or ["It gives no instructions to anyone."])
    )
    ifnot = [f"“{_quote(c.text)}”{_cite(c.pinpoint)}" for c in order.consequences]
    if ifnot:
        sections.append(("What happens if it is not done", ifnot))
    notes = list(order.notes)
    notes.extend(
        d.deadline.note
        for d in order.directives
        if d.deadline and d.deadline.note and d.deadline.due
    )
    if notes:
        sections.append(("Good to know", list(dict.fromkeys(notes))))
    return sections


def _decided(outcome: str, what: str) -> str:
    what = what.strip() or "the request"
    if outcome.startswith("recommended: "):
        return f"Recommends that {what} be {outcome.split(': ', 1)[1]}"
    return f"{outcome.capitalize()}: {what}"


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
