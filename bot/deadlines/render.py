"""The deadline events and whether each is enabled, as JSON and as text."""

from __future__ import annotations

from bot.deadlines.events import EventBook


def events_json(book: EventBook) -> dict[str, object]:
    return {
        "generation": book.generation,
        "events": [
            {
                "key": s.event.key,
                "title": s.event.title,
                "authority": s.event.authority,
                "days": s.event.days,
                "enabled": s.enabled,
                "source": s.source.label if s.source else None,
                "provenance": s.source.provenance if s.source else None,
                "problem": s.problem,
                "notes_missing": list(s.missing_notes),
            }
            for s in book.statuses
        ],
        "time_rules_not_indexed": list(book.unverified_rules),
    }


def events_text(book: EventBook) -> str:
    lines = [f"Enabled ({len(book.enabled)} of {len(book.statuses)}):"]
    for s in book.enabled:
        where = s.source.label if s.source else s.event.authority
        if s.source and s.source.provenance:
            where += f"; {s.source.provenance}"
        lines.append(f"  {s.event.key:<26} {s.event.days:>3} days  {where}")
        lines += [f"  {'':<26} note left out: {m}" for m in s.missing_notes]
    disabled = [s for s in book.statuses if not s.enabled]
    if disabled:
        lines.append(f"Disabled ({len(disabled)}), not served until their text is indexed:")
        lines += [f"  {s.event.key:<26} {s.problem}" for s in disabled]
    if book.unverified_rules:
        lines.append(
            "Time-computation rules whose words are not indexed (steps quote procbot's copy): "
            + ", ".join(book.unverified_rules)
        )
    return "\n".join(lines)
