"""Telegram HTML of the indexed sources themselves: a rule's text (/rule) and what is indexed
(/sources)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.app.telegram.html import escape, link, split_messages
from bot.app.telegram.strings import text
from bot.core.types import RuleMatch, SourcesSummary
from bot.render import book_version

# -- rule text ------------------------------------------------------------------------------


def rule_blocks(matches: Sequence[RuleMatch], lang: str = "en") -> list[str]:
    """Each match: citation with version, heading, the text, provenance and source link."""
    blocks: list[str] = []
    for match in matches:
        head = f"<b>{escape(match.label)}</b>"
        if match.heading:
            head += f"\n<i>{escape(match.heading)}</i>"
        if match.version and match.version not in match.label:
            head += f"\n<i>{text('rule_version', lang)}: {escape(match.version)}</i>"
        blocks.append(head)
        paragraphs = [p.strip() for p in match.text.split("\n") if p.strip()]
        blocks.append("\n".join(escape(p) for p in paragraphs))
        notes = []
        if match.provenance:
            notes.append(
                "<i>" + escape(match.provenance.rstrip(". ")) + f". {text('rule_quoted', lang)}</i>"
            )
        if match.url:
            notes.append(link(text("rule_source", lang), match.url))
        if notes:
            blocks.append("\n".join(notes))
    return blocks


# -- what is indexed ------------------------------------------------------------------------


def _book_version(version: str | None, lang: str) -> str:
    """The book's version in `lang`'s words."""
    return book_version(
        version,
        unstated=text("sources_list.no_version", lang),
        amended=text("sources_list.as_amended", lang, version="{version}"),
    )


def sources_blocks(summary: SourcesSummary, lang: str = "en") -> list[str]:
    """Counts by kind and court, orders (excerpts flagged) and each rule book's version."""

    def say(key: str, **fields: object) -> str:
        return text(f"sources_list.{key}", lang, **fields)

    def kind(name: str) -> str:
        try:
            return say(f"kinds.{name}")
        except KeyError:
            return escape(name)

    kinds = ", ".join(f"{count} {kind(name)}" for name, count in summary.by_kind)
    courts = ", ".join(f"{escape(court)}: {count}" for court, count in summary.by_court)
    counts = say("counts", documents=summary.documents, kinds=kinds, passages=summary.passages)
    blocks = [
        f"<b>{say('head')}</b>\n{counts}\n{say('by_court', courts=courts)}",
        f"<b>{say('orders')}</b> {summary.orders}"
        + (f"\n<i>{say('excerpts', count=summary.excerpts)}</i>" if summary.excerpts else ""),
    ]
    books = []
    for book in summary.rule_books:
        prefix = f"{book.prefix}; " if book.prefix else ""
        line = "• " + say(
            "book",
            title=escape(book.title),
            version=escape(prefix + _book_version(book.version, lang)),
            rules=book.rules,
            unit=say("rules" if book.kind == "rules" else "sections"),
            passages=book.passages,
        )
        if book.secondary:
            line += f" <i>{say('secondary')}</i>"
        books.append(line)
    blocks.append(f"<b>{say('books')}</b>\n" + ("\n".join(books) if books else say("none")))
    return blocks


def sources_messages(summary: SourcesSummary, lang: str = "en") -> list[str]:
    return split_messages(sources_blocks(summary, lang))


def rule_messages(matches: Sequence[RuleMatch], lang: str = "en") -> list[str]:
    return split_messages(rule_blocks(matches, lang))
