"""Telegram HTML: escaping, links, lengths as Telegram counts them, and splitting into messages."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from bot.core.labels import safe_url

#: Telegram rejects messages longer than 4096 UTF-16 code units.
MESSAGE_LIMIT = 4096
#: Parts are measured with their tags (Telegram counts only the visible text), and kept a
#: little below the limit, so a part that fits here always fits there.
PART_BUDGET = MESSAGE_LIMIT - 96

BLOCK_SEPARATOR = "\n\n"

_TAG = re.compile(r"(<[^>]*>)")
_PIECE = re.compile(r"[^\s]+\s*|\s+")
_TAG_NAME = re.compile(r"</?([a-z]+)")
#: A citation marker, "[1]": a good place to cut after, never printed twice.
MARKER = re.compile(r"\[\d+\]")


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: characters outside the BMP take two code units."""
    return len(text.encode("utf-16-le")) // 2


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def link(label_html: str, url: str | None) -> str:
    """`label_html` as a link when `url` is one whole http(s) address, else unchanged."""
    address = safe_url(url)
    if address is None:
        return label_html
    return f'<a href="{html.escape(address, quote=True)}">{label_html}</a>'


def visible_len(html_text: str) -> int:
    """Characters a reader sees (tags removed, entities counted once), as Telegram counts."""
    return utf16_len(strip_tags(html_text))


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
    if piece != word and (word.endswith((".", ".)", ":", ";")) or MARKER.search(word)):
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
