"""Telegram HTML of an answer: its first screen, its exact words, a counted deadline, and
the plain text the history and the transcript keep of it."""

from __future__ import annotations

from collections.abc import Sequence

from bot.app.telegram.deadline_words import deadline_words
from bot.app.telegram.html import MARKER, escape, link, split_messages, visible_len
from bot.app.telegram.language import detect_language
from bot.app.telegram.strings import note_patterns, text
from bot.core.answer_types import Answer, Sentence, Turn
from bot.core.deadline_types import Deadline
from bot.core.labels import authority_label, full_citation, short_label
from bot.render import SHORT_ANSWERS

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
        words = " ".join(MARKER.sub("", words).split())
    marks = _markers(sentence.citations)
    return escape(words) + (f" {marks}" if marks else "")


def _unique_sentences(answer: Answer) -> list[Sentence]:
    """The explanation without a sentence said twice (case and spacing folded)."""
    seen: set[str] = set()
    kept = []
    for sentence in answer.sentences:
        key = " ".join(MARKER.sub("", sentence.text).lower().split())
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


def answer_messages(answer: Answer, lang: str = "en") -> list[str]:
    """The first message and the exact words after it (where no button can follow)."""
    first = first_message(answer, lang)
    return [first, *exact_words_messages(answer, lang, first)]
