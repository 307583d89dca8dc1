"""Telegram HTML for answers and rule text, split into messages below Telegram's length limit."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from bot.app.telegram.deadline_words import deadline_words
from bot.app.telegram.language import detect_language
from bot.app.telegram.strings import note_patterns, text
from bot.core.answer_types import Answer, Sentence, Turn
from bot.core.deadline_types import Deadline
from bot.core.labels import authority_label, full_citation, safe_url, short_label
from bot.core.types import RuleMatch, SourcesSummary
from bot.render import SHORT_ANSWERS, book_version

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
    """`label_html` as a link when `url` is one whole http(s) address, else unchanged."""
    address = safe_url(url)
    if address is None:
        return label_html
    return f'<a href="{html.escape(address, quote=True)}">{label_html}</a>'


def visible_len(html_text: str) -> int:
    """Characters a reader sees (tags removed, entities counted once), as Telegram counts."""
    return utf16_len(strip_tags(html_text))


# -- answers ------------------------------------------------------------------------------

#: One phone screen (390 x 844): the first message's visible characters.
FIRST_MESSAGE_CHARS = 700
#: Sentences of the explanation the first message holds at most.
MAX_SENTENCES = 4
#: Fewer are shown only when even this many do not fit with the sources line.
MIN_SENTENCES = 2


def short_answer_word(answer: Answer, lang: str) -> str:
    """ "No." in English (the CLI's own word, one table for both front ends), else translated."""
    if lang == "en" or answer.verdict is None:
        return SHORT_ANSWERS[answer.verdict] if answer.verdict else ""
    return text("short_answers." + answer.verdict.value, lang)


def _markers(numbers: Sequence[int]) -> str:
    return f"[{','.join(str(n) for n in numbers)}]" if numbers else ""


def _sentence_text(sentence: Sentence) -> str:
    # Composers may already write the markers into the text; never print one twice.
    words = sentence.text
    if sentence.citations:
        words = " ".join(_MARKER.sub("", words).split())
    marks = _markers(sentence.citations)
    return escape(words) + (f" {marks}" if marks else "")


def _unique_sentences(answer: Answer) -> list[Sentence]:
    """The explanation without a sentence said twice (case and spacing folded)."""
    seen: set[str] = set()
    kept = []
    for sentence in answer.sentences:
        key = " ".join(_MARKER.sub("", sentence.text).lower().split())
        if key and key not in seen:
            seen.add(key)
            kept.append(sentence)
    return kept


def in_language(note: str, lang: str) -> str:
    """An answer-stage note (English) in `lang`: its Spanish pattern filled with what the
    English one quoted; unchanged in English or when no pattern says it."""
    if lang == "en":
        return note
    for pattern, spanish in note_patterns():
        found = pattern.fullmatch(note)
        if found:
            return spanish.format(**found.groupdict())
    return note


def _short_caveats(answer: Answer, lang: str = "en") -> list[str]:
    """The caveats with each source's full label replaced by its short one, said once, in
    `lang`.

    Caveats that say the same of several sources ("FRCP 5(a)(1): quoted as amended to ...")
    become one that names them all.
    """
    labels: list[str] = []
    out: list[str] = []
    for caveat in answer.caveats:
        for source in answer.sources:
            passage = source.passage
            caveat = caveat.replace(passage.citation, short_label(passage))
            caveat = caveat.replace(passage.label, short_label(passage))
            if passage.authority:
                caveat = caveat.replace(passage.authority, authority_label(passage.authority))
        labels += [short_label(s.passage) for s in answer.sources]
        if caveat not in out:
            out.append(caveat)
    shared: dict[str, list[str]] = {}
    merged: list[str] = []
    for caveat in out:
        head, sep, rest = caveat.partition(": ")
        if sep and head in labels:
            if rest not in shared:
                shared[rest] = []
                merged.append(rest)
            shared[rest].append(head)
        else:
            merged.append(caveat)
    said = [f"{', '.join(shared[c])}: {c}" if c in shared else c for c in merged]
    return [in_language(c, lang) for c in said]


def _sources_line(answer: Answer, cited: set[int], lang: str) -> str:
    """One line of short labels; sources with the same label (two pinpoints of one order)
    share it: "[1,2] Masterson v. Killen (E.D. Cal. 2014)"."""
    numbers: dict[str, list[int]] = {}
    for source in answer.sources:
        if source.n in cited:
            numbers.setdefault(short_label(source.passage), []).append(source.n)
    labels = [f"{_markers(ns)} {escape(label)}" for label, ns in numbers.items()]
    return f"<b>{text('sources', lang)}:</b> " + " · ".join(labels) if labels else ""


def _deadline_head(answer: Answer, lang: str) -> str:
    due = answer.deadline.due if answer.deadline else None
    if due is None:
        return ""
    # Weekday and month names are English; a Spanish reader gets the unambiguous ISO date.
    day = f"{due:%A, %B} {due.day}, {due.year}" if lang == "en" else due.isoformat()
    return f"<b>{text('due', lang)}: {day}</b>\n<i>{text('deadline_label', lang)}</i>"


def first_message(answer: Answer, lang: str = "en") -> str:
    """The answer on one phone screen: short answer, 2-4 cited sentences, sources, note.

    Visible characters stay within FIRST_MESSAGE_CHARS: sentences past the budget wait under
    "Exact words", and a note too long for its line is named there in full.
    """
    head = _deadline_head(answer, lang)
    verdict = ""
    if answer.verdict is not None and not answer.abstained:
        verdict = f"<b>{short_answer_word(answer, lang)}</b> "
    sentences = _unique_sentences(answer)
    caveats = _short_caveats(answer, lang)
    disclaimer = f"<i>{text('disclaimer', lang)}</i>"

    def compose(count: int, with_note: bool) -> str:
        shown = sentences[:count]
        cited = {n for s in shown for n in s.citations}
        body = verdict + " ".join(_sentence_text(s) for s in shown)
        note = f"<i>{text('note', lang)}: {escape(' '.join(caveats))}</i>" if with_note else ""
        english = f"<i>{text('english_words', lang)}</i>" if _quotes_english(shown, lang) else ""
        parts = [head, body.strip(), english, _sources_line(answer, cited, lang), note, disclaimer]
        return "\n".join(p for p in parts if p)

    for with_note in (True, False) if caveats else (False,):
        for count in range(min(MAX_SENTENCES, len(sentences)), 0, -1):
            message = compose(count, with_note)
            if count < MIN_SENTENCES and with_note:
                break  # drop the note to a later message before dropping a second sentence
            if visible_len(message) <= FIRST_MESSAGE_CHARS:
                return message
        if not sentences:
            message = compose(0, with_note)
            if visible_len(message) <= FIRST_MESSAGE_CHARS:
                return message
    return compose(1, False)


def _quotes_english(sentences: Sequence[Sentence], lang: str) -> bool:
    """Does a reply in another language show sentences in English (the court's own words,
    quoted by the passage composer)? Then the reply says so."""
    return lang != "en" and any(detect_language(s.text) == "en" for s in sentences)


def shown_sentences(answer: Answer, message: str) -> int:
    """How many of the answer's sentences `message` (from first_message) holds."""
    sentences = _unique_sentences(answer)
    count = 0
    for sentence in sentences:
        if _sentence_text(sentence) in message:
            count += 1
    return count


def exact_words_blocks(answer: Answer, lang: str = "en", first: str = "") -> list[str]:
    """What "Exact words" shows: each quote with its full citation, pinpoint and link; then the
    sentences and notes the first message had no room for."""
    blocks = [text("exact_words_head", lang)]
    # Sources with the same full citation (two passages of one order without pinpoints) are
    # one entry with each quote under it: the citation is printed once.
    entries: dict[str, tuple[list[int], list[str]]] = {}
    for source in answer.sources:
        passage = source.passage
        citation = full_citation(passage)
        head = link(escape(citation), passage.url)
        extras = [passage.version] if passage.version and passage.version not in citation else []
        if passage.provenance:
            extras.append(passage.provenance)
        if passage.excerpt:
            extras.append(text("excerpt_only", lang))
        if extras:
            head += " <i>(" + escape("; ".join(extras)) + ")</i>"
        numbers, quotes = entries.setdefault(head, ([], []))
        numbers.append(source.n)
        quote = source.quote.strip()
        if quote and quote not in quotes:
            quotes.append(quote)
    for head, (numbers, quotes) in entries.items():
        entry = f"{_markers(numbers)} {head}"
        entry += "".join(f"\n<blockquote>{escape(q)}</blockquote>" for q in quotes)
        blocks.append(entry)
    sentences = _unique_sentences(answer)
    rest = sentences[shown_sentences(answer, first) :] if first else []
    if rest:
        blocks.append(text("more_head", lang) + "\n" + " ".join(_sentence_text(s) for s in rest))
    caveats = _short_caveats(answer, lang)
    if caveats and first and escape(caveats[0]) not in first:
        blocks.append(
            f"<b>{text('note', lang)}</b>\n" + "\n".join("• " + escape(c) for c in caveats)
        )
    return blocks


def exact_words_messages(answer: Answer, lang: str = "en", first: str = "") -> list[str]:
    return split_messages(exact_words_blocks(answer, lang, first))


def deadline_message(deadline: Deadline, lang: str = "en") -> str:
    """A counted deadline on one screen: the due date, what it ran from, the rules, a note."""
    head = _deadline_head(Answer("", None, False, (), (), "", "", deadline=deadline), lang)
    rules = " · ".join(escape(authority_label(a)) for a in deadline.authorities)
    lines = [head, f"<b>{text('sources', lang)}:</b> {rules}" if rules else ""]
    lines.append(f"<i>{text('disclaimer', lang)}</i>")
    return "\n".join(line for line in lines if line)


def deadline_blocks(answer: Answer, lang: str = "en") -> list[str]:
    """The "Deadline" button's message: the due date and each counting step, cited."""
    if answer.deadline is None:
        return [text("no_deadline", lang)]
    return [escape(deadline_words(answer.deadline, lang=lang))]


def counted_answer(question: str, deadline: Deadline) -> Answer:
    """A completed time question's count, as an answer its Deadline button can show."""
    return Answer(question, None, False, (), (), "", "deadline", deadline=deadline)


def answer_plain(answer: Answer, lang: str = "en") -> str:
    """What the assistant said, as plain text, for the history and the transcript."""
    head = [short_answer_word(answer, lang)] if answer.verdict and not answer.abstained else []
    said = " ".join(head + [s.text for s in _unique_sentences(answer)])
    labels = [f"[{s.n}] {full_citation(s.passage)}" for s in answer.sources]
    return said + ("\n" + "; ".join(labels) if labels else "")


def transcript_text(turns: Sequence[Turn], lang: str = "en") -> str:
    """The chat's kept questions and answers as a plain-text file to forward."""
    lines = [text("transcript_title", lang), ""]
    for turn in turns:
        who = text("transcript_you" if turn.role == "user" else "transcript_bot", lang)
        lines += [f"{who}:", turn.text.strip(), ""]
    lines.append(text("transcript_footer", lang))
    return "\n".join(lines) + "\n"


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


def answer_messages(answer: Answer, lang: str = "en") -> list[str]:
    """The first message and the exact words after it (where no button can follow)."""
    first = first_message(answer, lang)
    return [first, *exact_words_messages(answer, lang, first)]


def sources_messages(summary: SourcesSummary, lang: str = "en") -> list[str]:
    return split_messages(sources_blocks(summary, lang))


def rule_messages(matches: Sequence[RuleMatch], lang: str = "en") -> list[str]:
    return split_messages(rule_blocks(matches, lang))
