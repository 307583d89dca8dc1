"""Telegram HTML for answers and rule text, split into messages below Telegram's length limit."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from urllib.parse import urlparse

from bot.core.types import Answer, RuleMatch, Sentence, Source, SourcesSummary
from bot.render import SHORT_ANSWERS, book_version, deadline_text, needs_text

#: Telegram rejects messages longer than 4096 UTF-16 code units.
MESSAGE_LIMIT = 4096
#: Parts are measured with their tags (Telegram counts only the visible text), and kept a
#: little below the limit, so a part that fits here always fits there.
PART_BUDGET = MESSAGE_LIMIT - 96

BLOCK_SEPARATOR = "\n\n"

_TAG = re.compile(r"(<[^>]*>)")
_PIECE = re.compile(r"[^\s]+\s*|\s+")
_TAG_NAME = re.compile(r"</?([a-z]+)")
_MARKER = re.compile(r"\[\d+\]")


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: characters outside the BMP take two code units."""
    return len(text.encode("utf-16-le")) // 2


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def link(label_html: str, url: str | None) -> str:
    """`label_html` as a link when `url` is an http(s) address, else unchanged."""
    if not url or urlparse(url).scheme not in {"http", "https"}:
        return label_html
    return f'<a href="{html.escape(url, quote=True)}">{label_html}</a>'


# -- answers ------------------------------------------------------------------------------


def _sentence_html(sentence: Sentence) -> str:
    # Composers may already write the markers into the text; never print one twice.
    markers = "".join(f"[{n}]" for n in sentence.citations if f"[{n}]" not in sentence.text)
    return escape(sentence.text) + (f" {markers}" if markers else "")


def _source_html(source: Source) -> str:
    passage = source.passage
    entry = f"[{source.n}] " + link(escape(passage.citation), passage.url)
    extras = [passage.version] if passage.version else []
    if passage.provenance:
        extras.append(passage.provenance)
    if passage.excerpt:
        extras.append("excerpt only")
    if extras:
        entry += " <i>(" + escape("; ".join(extras)) + ")</i>"
    if source.quote.strip():
        entry += "\n<blockquote>" + escape(source.quote.strip()) + "</blockquote>"
    return entry


def answer_blocks(answer: Answer) -> list[str]:
    """The answer as self-contained HTML blocks: short answer, sentences, sources, caveats."""
    blocks: list[str] = []
    if answer.deadline:  # a time question: the date first, with its count (each step cited)
        head, _, rest = deadline_text(answer.deadline).partition("\n")
        blocks += [f"<b>{escape(head)}</b>", escape(rest.strip())]
    elif answer.needs:
        blocks.append(f"<b>{escape(needs_text(answer.needs))}</b>")
    sentences = list(answer.sentences)
    if answer.verdict is not None and not answer.abstained:
        blocks.append(f"<b>Short answer: {SHORT_ANSWERS[answer.verdict]}</b>")
    elif sentences:
        blocks.append(f"<b>{_sentence_html(sentences.pop(0))}</b>")
    if sentences:
        blocks.append(" ".join(_sentence_html(s) for s in sentences))
    if not blocks:
        blocks.append("<b>I can't answer that from my sources.</b>")
    if answer.sources:
        blocks.append("<b>Sources</b>")
        blocks.extend(_source_html(source) for source in answer.sources)
    if answer.caveats:
        blocks.append(
            "<b>Caveats</b>\n" + "\n".join("• " + escape(caveat) for caveat in answer.caveats)
        )
    if answer.disclaimer.strip():
        blocks.append(f"<i>{escape(answer.disclaimer.strip())}</i>")
    return blocks


def answer_plain(answer: Answer) -> str:
    """What the assistant said, as plain text, for the conversation history."""
    head = [SHORT_ANSWERS[answer.verdict]] if answer.verdict and not answer.abstained else []
    return " ".join(head + [s.text for s in answer.sentences])


# -- rule text ------------------------------------------------------------------------------


def rule_blocks(matches: Sequence[RuleMatch]) -> list[str]:
    """Each match: citation with version, heading, the text, provenance and source link."""
    blocks: list[str] = []
    for match in matches:
        head = f"<b>{escape(match.label)}</b>"
        if match.heading:
            head += f"\n<i>{escape(match.heading)}</i>"
        if match.version and match.version not in match.label:
            head += f"\n<i>Version: {escape(match.version)}</i>"
        blocks.append(head)
        paragraphs = [p.strip() for p in match.text.split("\n") if p.strip()]
        blocks.append("\n".join(escape(p) for p in paragraphs))
        notes = []
        if match.provenance:
            notes.append(
                "<i>"
                + escape(match.provenance.rstrip(". "))
                + ". Known only as quoted by a court, not the official text.</i>"
            )
        if match.url:
            notes.append(link("Source", match.url))
        if notes:
            blocks.append("\n".join(notes))
    return blocks


# -- what is indexed ------------------------------------------------------------------------


def sources_blocks(summary: SourcesSummary) -> list[str]:
    """Counts by kind and court, orders (excerpts flagged) and each rule book's version."""
    kinds = ", ".join(f"{count} {escape(kind)}" for kind, count in summary.by_kind)
    courts = ", ".join(f"{escape(court)}: {count}" for court, count in summary.by_court)
    blocks = [
        "<b>What I can cite</b>\n"
        f"{summary.documents} documents ({kinds}), {summary.passages} passages.\n"
        f"By court: {courts}.",
        f"<b>Court orders:</b> {summary.orders}"
        + (
            f"\n<i>{summary.excerpts} of them are excerpts only: an answer citing one never "
            "covers the whole ruling.</i>"
            if summary.excerpts
            else ""
        ),
    ]
    books = []
    for book in summary.rule_books:
        version = book_version(book.version)
        prefix = f"{book.prefix}; " if book.prefix else ""
        unit = "rules" if book.kind == "rules" else "sections"
        line = (
            f"• {escape(book.title)} ({escape(prefix + version)}; {book.rules} {unit}, "
            f"{book.passages} passages)"
        )
        if book.secondary:
            line += " <i>known only as quoted in court orders, not the official text</i>"
        books.append(line)
    blocks.append(
        "<b>Rule books and statutes</b>\n" + ("\n".join(books) if books else "none indexed")
    )
    return blocks


# -- splitting ------------------------------------------------------------------------------


def split_messages(blocks: Sequence[str], budget: int = PART_BUDGET) -> list[str]:
    """Pack HTML blocks into messages of at most `budget` UTF-16 units each.

    Messages break between blocks; a block longer than the budget breaks at a line end, a
    sentence end or a word boundary, with its open tags closed and reopened around the cut.
    """
    parts: list[str] = []
    current = ""
    for block in (b for b in blocks if b.strip()):
        if utf16_len(block) > budget:
            if current:
                parts.append(current)
                current = ""
            parts.extend(_split_block(block, budget))
            continue
        joined = current + BLOCK_SEPARATOR + block if current else block
        if utf16_len(joined) <= budget:
            current = joined
        else:
            parts.append(current)
            current = block
    if current:
        parts.append(current)
    return parts


def _pieces(block: str, budget: int) -> list[str]:
    """Tags and words (each word with its trailing space); giant words are cut to fit."""
    pieces: list[str] = []
    for chunk in _TAG.split(block):
        if not chunk:
            continue
        if _TAG.fullmatch(chunk):
            pieces.append(chunk)
            continue
        for word in _PIECE.findall(chunk):
            pieces.extend(_cut_word(word, max(budget // 4, 16)))
    return pieces


def _cut_word(word: str, size: int) -> list[str]:
    """A word longer than `size` cut into pieces, never inside an `&...;` entity."""
    cuts: list[str] = []
    while utf16_len(word) > size:
        cut = size // 2  # utf16 may count up to two units per character
        entity = word.rfind("&", 0, cut)
        if entity != -1 and word.find(";", entity) >= cut:
            cut = entity or word.find(";", entity) + 1
        cuts.append(word[:cut])
        word = word[cut:]
    return [*cuts, word] if word else cuts


def _apply(stack: tuple[str, ...], piece: str) -> tuple[str, ...]:
    if not _TAG.fullmatch(piece):
        return stack
    if piece.startswith("</"):
        return stack[:-1]
    return (*stack, piece)


def _closers(stack: tuple[str, ...]) -> str:
    return "".join(f"</{_TAG_NAME.match(tag).group(1)}>" for tag in reversed(stack))


def _break_rank(piece: str) -> int:
    """How good a place the end of `piece` is for a cut: line > sentence > word."""
    if _TAG.fullmatch(piece):
        return 0
    if "\n" in piece:
        return 3
    word = piece.rstrip()
    if piece != word and (word.endswith((".", ".)", ":", ";")) or _MARKER.search(word)):
        return 2
    return 1


def _split_block(block: str, budget: int) -> list[str]:
    pieces = _pieces(block, budget)
    parts: list[str] = []
    start, carried = 0, ()
    while start < len(pieces):
        stack = carried
        size = sum(utf16_len(tag) for tag in carried)
        cuts: list[tuple[int, int, int, tuple[str, ...]]] = []  # (rank, index, size, stack)
        index = start
        while index < len(pieces):
            piece = pieces[index]
            after = _apply(stack, piece)
            if size + utf16_len(piece) + utf16_len(_closers(after)) > budget:
                break
            size, stack = size + utf16_len(piece), after
            rank = _break_rank(piece)
            if rank:
                cuts.append((rank, index, size, stack))
            index += 1
        if index == len(pieces):
            parts.append("".join(carried) + "".join(pieces[start:]) + _closers(stack))
            break
        late = [cut for cut in cuts if cut[2] >= budget // 2]
        if late:
            _, end, _, stack = max(late, key=lambda cut: (cut[0], cut[1]))
        elif cuts:
            _, end, _, stack = cuts[-1]
        else:  # only tags fit: take one piece regardless so the loop advances
            end, stack = index, _apply(stack, pieces[index])
        # Closing tags right after the cut belong to this part, not as empty pairs in the next.
        while end + 1 < len(pieces) and pieces[end + 1].startswith("</"):
            end += 1
            stack = _apply(stack, pieces[end])
        parts.append("".join(carried) + "".join(pieces[start : end + 1]) + _closers(stack))
        start, carried = end + 1, stack
    return [part for part in parts if strip_tags(part).strip()]


def strip_tags(text: str) -> str:
    """The visible text of an HTML part (entities unescaped)."""
    return html.unescape(_TAG.sub("", text))


def answer_messages(answer: Answer) -> list[str]:
    return split_messages(answer_blocks(answer))


def sources_messages(summary: SourcesSummary) -> list[str]:
    return split_messages(sources_blocks(summary))


def rule_messages(matches: Sequence[RuleMatch]) -> list[str]:
    return split_messages(rule_blocks(matches))
