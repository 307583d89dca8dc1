"""Rendering: plain text and JSON for answers, search hits and rule matches."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from bot.core.answer_types import Answer, Verdict
from bot.core.deadline_types import Deadline
from bot.core.types import Hit, RuleMatch, SourcesSummary

SHORT_ANSWERS = {Verdict.YES: "Yes.", Verdict.NO: "No.", Verdict.DEPENDS: "It depends."}
#: Search results show this much of each passage in text form; JSON carries the full text.
SNIPPET_CHARS = 300


def short_answer(answer: Answer) -> str | None:
    """The one-line short answer ("**No.**"), or None when the question asked for no decision."""
    return f"**{SHORT_ANSWERS[answer.verdict]}**" if answer.verdict else None


def explanation(answer: Answer) -> str:
    """The sentences with their citation markers: "... with the court. [1]"."""
    parts = []
    for sentence in answer.sentences:
        marks = "".join(f"[{n}]" for n in sentence.citations)
        parts.append(f"{sentence.text} {marks}".rstrip())
    return " ".join(parts)


def source_line(n: int, citation: str, url: str | None) -> str:
    return f"[{n}] {citation}" + (f" <{url}>" if url else "")


def answer_text(answer: Answer) -> str:
    """Plain text for the CLI: short answer, explanation, sources, caveats, disclaimer."""
    blocks = []
    head = short_answer(answer)
    if head:
        blocks.append(head)
    blocks.append(explanation(answer))
    if answer.sources:
        lines = ["Sources:"]
        for source in answer.sources:
            lines.append(source_line(source.n, source.passage.citation, source.passage.url))
            quoted = source.quote.startswith(('"', "“"))  # rule text quoted by a court
            lines.append(f"    {source.quote}" if quoted else f'    "{source.quote}"')
        blocks.append("\n".join(lines))
    if answer.caveats:
        blocks.append("\n".join(["Caveats:", *(f"- {c}" for c in answer.caveats)]))
    if answer.related:
        blocks.append("\n".join(["Related questions:", *(f"- {q}" for q in answer.related)]))
    if answer.deadline:
        blocks.append(deadline_text(answer.deadline))
    if answer.needs:
        blocks.append(needs_text(answer.needs))
    blocks.append(answer.disclaimer)
    return "\n\n".join(b for b in blocks if b)


def answer_json(answer: Answer) -> dict:
    """The answer as a JSON-ready dict (the shape `procbot ask --json` prints)."""
    return {
        "question": answer.question,
        "verdict": answer.verdict.value if answer.verdict else None,
        "abstained": answer.abstained,
        "answer_text": explanation(answer),
        "sentences": [{"text": s.text, "citations": list(s.citations)} for s in answer.sentences],
        "sources": [
            {
                "n": s.n,
                "doc_id": s.passage.doc_id,
                "label": s.passage.label,
                "pinpoint": s.passage.pinpoint,
                "authorities": list(s.passage.authorities),
                "url": s.passage.url,
            }
            for s in answer.sources
        ],
        "caveats": list(answer.caveats),
        "disclaimer": answer.disclaimer,
        "composer": answer.composer,
        "abstain_reason": answer.abstain_reason,
        "guide_id": answer.guide_id,
        "related": list(answer.related),
        "latency_ms": round(answer.latency_ms, 1),
        "deadline": deadline_json(answer.deadline) if answer.deadline else None,
        "needs": list(answer.needs),
    }


def deadline_json(deadline: Deadline) -> dict[str, object]:
    """The JSON shape of `procbot deadline --json`."""
    return {
        "event": deadline.event,
        "trigger_date": deadline.trigger_date.isoformat(),
        "service": deadline.service.value if deadline.service else None,
        "due": deadline.due.isoformat(),
        "steps": [
            {
                "text": step.text,
                "date": step.date.isoformat(),
                "authority": step.authority,
                "quote": step.quote,
            }
            for step in deadline.steps
        ],
        "authorities": list(deadline.authorities),
        "caveats": list(deadline.caveats),
    }


def hits_json(hits: Sequence[Hit]) -> list[dict]:
    """Search results as JSON-ready dicts."""
    return [
        {
            "rank": hit.rank,
            "doc_id": hit.passage.doc_id,
            "label": hit.passage.label,
            "pinpoint": hit.passage.pinpoint,
            "authorities": list(hit.passage.authorities),
            "score": round(hit.score, 6),
            "text": hit.passage.text,
        }
        for hit in hits
    ]


def hits_text(hits: Sequence[Hit]) -> str:
    """Search results for the terminal: rank, citation, score, and the start of the text."""
    if not hits:
        return "No passages matched."
    blocks = []
    for hit in hits:
        text = " ".join(hit.passage.text.split())
        if len(text) > SNIPPET_CHARS:
            text = text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " ..."
        blocks.append(f"{hit.rank}. {hit.passage.citation}  (score {hit.score:.3f})\n   {text}")
    return "\n\n".join(blocks)


def rule_matches_json(query: str, matches: Sequence[RuleMatch]) -> dict:
    """Rule lookups as a JSON-ready dict."""
    return {
        "query": query,
        "matches": [
            {
                "authority": m.authority,
                "label": m.label,
                "text": m.text,
                "doc_id": m.doc_id,
                "version": m.version,
                "other_versions": list(m.other_versions),
                "provenance": m.provenance,
            }
            for m in matches
        ],
    }


def rule_matches_text(matches: Sequence[RuleMatch]) -> str:
    """Rule lookups for the terminal: label, heading, the text, and where it was quoted."""
    blocks = []
    for m in matches:
        lines = [m.label + (f" — {m.heading}" if m.heading else ""), m.text]
        if m.provenance:
            lines.append(m.provenance)
        if m.other_versions:
            older = ", ".join(m.other_versions)
            lines.append(f"Also indexed: the version of {older} (rule ... --version {older}).")
        if m.url:
            lines.append(m.url)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def sources_json(summary: SourcesSummary) -> dict:
    """What is indexed, as a JSON-ready dict (`procbot sources --json`)."""
    return {
        "generation": summary.generation,
        "dense": summary.dense,
        "documents": summary.documents,
        "passages": summary.passages,
        "by_kind": dict(summary.by_kind),
        "by_court": dict(summary.by_court),
        "orders": summary.orders,
        "excerpts": summary.excerpts,
        "guides": {
            "served": summary.guides,
            "waiting": [{"guide": g, "source": source} for g, source in summary.guides_waiting],
            "failed": list(summary.guides_failed),
        },
        "rule_books": [
            {
                "doc_id": b.doc_id,
                "title": b.title,
                "kind": b.kind,
                "prefix": b.prefix,
                "version": b.version,
                "secondary": b.secondary,
                "rules": b.rules,
                "passages": b.passages,
            }
            for b in summary.rule_books
        ],
    }


def sources_text(summary: SourcesSummary) -> str:
    """What is indexed, for the terminal; says which orders are excerpts and rule versions."""
    kinds = ", ".join(f"{n} {kind}" for kind, n in summary.by_kind) or "none"
    lines = [
        f"{summary.documents} documents ({kinds}), {summary.passages} passages.",
        f"Orders: {summary.orders}, of which {summary.excerpts} known only as excerpts.",
    ]
    for b in summary.rule_books:
        quoted = "; known only as quoted in orders" if b.secondary else ""
        prefix = f"{b.prefix}; " if b.prefix else ""
        unit = "rules" if b.kind == "rules" else "sections"
        lines.append(
            f"- {b.title} ({prefix}{book_version(b.version)}{quoted}): {b.rules} {unit}, "
            f"{b.passages} passages"
        )
    waiting = len(summary.guides_waiting)
    lines.append(
        f"Guides: {summary.guides} served, {waiting} waiting for sources, "
        f"{len(summary.guides_failed)} failed verification."
    )
    if waiting:
        counts = Counter(source for _, source in summary.guides_waiting)
        lines.append("- waiting for: " + ", ".join(f"{s} ({n})" for s, n in sorted(counts.items())))
    lines.extend(f"- not served: {problem}" for problem in summary.guides_failed)
    if summary.dense:
        lines.append(
            f"Dense retrieval: {summary.dense}. Answers use word search (BM25) and exact "
            "citations meanwhile."
        )
    return "\n".join(lines)


DEADLINE_LABEL = "Calculated from the rules, not legal advice."
#: What to ask for when a time question lacks it (Answer.needs).
NEEDS = {
    "trigger_date": "the date the paper was served, filed or entered (for example March 3, 2026)",
    "service": "how it was served: by mail, by hand, electronically, or left with the clerk",
}


def _day(day) -> str:
    return f"{day:%A, %B} {day.day}, {day.year}"


def deadline_text(deadline: Deadline, title: str | None = None) -> str:
    """The due date, each counting step with its rule and words, and the caveats."""
    head = f"Due: {_day(deadline.due)}"
    lines = [f"{head} — {title}" if title else head, DEADLINE_LABEL, "", "How it was counted:"]
    for n, step in enumerate(deadline.steps, 1):
        lines.append(f"{n}. {step.text} ({step.authority})")
        if step.quote:
            lines.append(f'   "{step.quote}"')
    lines += ["", "Keep in mind:"]
    lines += [f"- {caveat}" for caveat in deadline.caveats]
    return "\n".join(lines)


def needs_text(needs) -> str:
    """The question for what a time question lacks."""
    wanted = [NEEDS.get(need, need) for need in needs]
    return "To count your deadline, tell me " + "; and ".join(wanted) + "."


def book_version(
    version: str | None,
    unstated: str = "version not stated",
    amended: str = "as amended to {version}",
) -> str:
    """'2024-12-01' -> 'as amended to 2024-12-01'; a version in words is kept as written. The
    words can be another language's (the bot's /sources)."""
    if not version:
        return unstated
    if re.fullmatch(r"\d{4}-\d\d-\d\d", version):
        return amended.format(version=version)
    return version
