"""Telegram HTML of answers: a first screen, the exact words after it, the notes in Spanish."""

from __future__ import annotations

import pytest
from emulator import check_telegram_html  # tests/telegram/emulator.py, the harness
from html_samples import (
    MASTERSON_CORRESPONDENCE,
    MASTERSON_DISCOVERY,
    MASTERSON_HOLDING,
    RULE_26_B_1,
)

from bot.app.telegram.answer_html import (
    FIRST_MESSAGE_CHARS,
    answer_messages,
    exact_words_blocks,
    first_message,
    in_language,
)
from bot.app.telegram.html import visible_len
from bot.core.answer_types import Answer, Sentence, Source, Verdict
from bot.core.types import DocKind, Passage


def masterson_passage(text: str = MASTERSON_HOLDING) -> Passage:
    return Passage(
        passage_id="p1",
        doc_id="masterson-v-killen-2014-11-24",
        kind=DocKind.ORDER,
        text=text,
        label="Masterson v. Killen, No. 1:11-cv-01179-LJO-GSA-PC (E.D. Cal. Nov. 24, 2014)",
        position=1,
        pinpoint="2:1-3",
        court="E.D. Cal.",
    )


def masterson_answer(repeat: int = 1) -> Answer:
    sentences = (
        Sentence(MASTERSON_HOLDING, (1,)),
        Sentence(MASTERSON_DISCOVERY, (1,)),
        Sentence(MASTERSON_CORRESPONDENCE, (1,)),
    ) * repeat
    return Answer(
        question="Should I file my letter to defense counsel with the court?",
        verdict=Verdict.NO,
        abstained=False,
        sentences=sentences,
        sources=(Source(1, masterson_passage(), MASTERSON_HOLDING),),
        disclaimer="Legal information, not legal advice.",
        composer="extractive",
        caveats=("Quoted & summarised from one order; check your own court's orders.",),
    )


def test_first_message_is_short_answer_sentences_short_sources_note_disclaimer() -> None:
    message = first_message(masterson_answer())
    lines = message.split("\n")
    assert lines[0].startswith(f"<b>No.</b> {MASTERSON_HOLDING} [1]")
    assert lines[1] == "<b>Sources:</b> [1] Masterson v. Killen (E.D. Cal. 2014)"
    assert (
        lines[2]
        == "<i>Note: Quoted &amp; summarised from one order; check your own court's orders.</i>"
    )
    assert lines[3] == "<i>Legal information, not legal advice.</i>"
    # The docket, date and pinpoint are one tap away, not on the first screen.
    assert "1:11-cv-01179" not in message and "2:1-3" not in message
    assert "<blockquote>" not in message
    assert visible_len(message) <= FIRST_MESSAGE_CHARS


def test_exact_words_give_the_full_citation_pinpoint_and_quote() -> None:
    answer = masterson_answer()
    blocks = exact_words_blocks(answer, first=first_message(answer))
    source = next(b for b in blocks if b.startswith("[1] "))
    assert (
        "Masterson v. Killen, No. 1:11-cv-01179-LJO-GSA-PC (E.D. Cal. Nov. 24, 2014), at 2:1-3"
        in source
    )
    assert f"<blockquote>{MASTERSON_HOLDING}</blockquote>" in source


def test_a_long_answer_keeps_the_first_screen_and_moves_the_rest_under_exact_words() -> None:
    answer = masterson_answer(repeat=1)
    long = Answer(
        **{
            **answer.__dict__,
            "sentences": tuple(Sentence(f"{RULE_26_B_1[:150]} part {n}.", (1,)) for n in range(8)),
        }
    )
    first = first_message(long)
    assert visible_len(first) <= FIRST_MESSAGE_CHARS
    assert first.startswith("<b>No.</b>") and first.endswith("not legal advice.</i>")
    shown = sum(f"part {n}." in first for n in range(8))
    assert 2 <= shown <= 4
    rest = "\n".join(exact_words_blocks(long, first=first))
    # Every sentence appears exactly once across the two messages.
    for n in range(8):
        assert (f"part {n}." in first) + (f"part {n}." in rest) == 1, n


def test_a_sentence_said_twice_is_printed_once() -> None:
    message = first_message(masterson_answer(repeat=2))
    assert message.count(MASTERSON_HOLDING) == 1


def test_no_short_answer_means_no_bold_headline() -> None:
    answer = Answer(**{**masterson_answer().__dict__, "verdict": None})
    message = first_message(answer)
    assert message.startswith(MASTERSON_HOLDING)
    assert "<b>" not in message.split("\n")[0]


def test_two_pinpoints_of_one_order_share_one_label() -> None:
    answer = masterson_answer()
    other = Passage(**{**masterson_passage().__dict__, "passage_id": "p2", "pinpoint": "3:4-9"})
    answer = Answer(
        **{
            **answer.__dict__,
            "sentences": (Sentence(MASTERSON_HOLDING, (1,)), Sentence(MASTERSON_DISCOVERY, (2,))),
            "sources": (
                Source(1, masterson_passage(), MASTERSON_HOLDING),
                Source(2, other, MASTERSON_DISCOVERY),
            ),
        }
    )
    assert "<b>Sources:</b> [1,2] Masterson v. Killen (E.D. Cal. 2014)" in first_message(answer)


def test_two_quotes_of_one_citation_are_one_entry() -> None:
    answer = masterson_answer()
    answer = Answer(
        **{
            **answer.__dict__,
            "sources": (
                Source(1, masterson_passage(), MASTERSON_HOLDING),
                Source(2, masterson_passage(), MASTERSON_DISCOVERY),
            ),
        }
    )
    words = "\n".join(exact_words_blocks(answer, first=first_message(answer)))
    assert words.count("1:11-cv-01179-LJO-GSA-PC") == 1
    assert "[1,2] Masterson v. Killen, No." in words
    assert words.count("<blockquote>") == 2


def test_spanish_interface_words_with_the_courts_words_in_english() -> None:
    answer = masterson_answer()
    first = first_message(answer, "es")
    assert first.startswith("<b>No.</b>")
    assert "<b>Fuentes:</b>" in first and "Información legal, no asesoría legal." in first
    words = "\n".join(exact_words_blocks(answer, "es", first))
    assert "están en inglés" in words
    assert MASTERSON_HOLDING in words


def test_long_answer_with_exact_words_splits_into_valid_parts() -> None:
    answer = masterson_answer(repeat=1)
    answer = Answer(
        **{
            **answer.__dict__,
            "sources": tuple(
                Source(n, masterson_passage(" ".join([MASTERSON_DISCOVERY] * 30)), f"q{n} " * 900)
                for n in range(1, 4)
            ),
        }
    )
    parts = answer_messages(answer)
    assert len(parts) > 2
    for part in parts:
        check_telegram_html(part)


@pytest.mark.parametrize(
    ("url", "href"),
    [
        # (front-matter url, the href expected or None for no link)
        ("https://law.justia.com/cases/x?a=1&b=2", "https://law.justia.com/cases/x?a=1&amp;b=2"),
        ("https://www.govinfo.gov/app/x (retrieved 2024-05-01)", "https://www.govinfo.gov/app/x"),
        ("javascript:alert(1)", None),
        ("see the docket", None),
    ],
)
def test_source_links_are_whole_web_addresses_only(url: str, href: str | None) -> None:
    web = Passage(**{**masterson_passage().__dict__, "url": url})
    answer = masterson_answer()
    answer = Answer(**{**answer.__dict__, "sources": (Source(1, web, MASTERSON_HOLDING),)})
    html = "\n".join(exact_words_blocks(answer, first=first_message(answer)))
    if href is None:
        assert "<a " not in html
    else:
        assert f'<a href="{href}">' in html
    assert "javascript" not in html and "retrieved" not in html.split("</a>")[0]


def test_every_answer_stage_note_has_its_spanish_wording() -> None:
    from bot.answer.scope import caveats
    from bot.core.courts import court_caveat

    rule = Passage(
        "r", "frcp", DocKind.RULES, "...", "Fed. R. Civ. P. 5(d)", 0,
        authority="Fed. R. Civ. P. 5(d)", version="superseded 2009 wording",
        provenance="Quoted in: Doe v. Roe (E.D. Cal. 2010)",
    )  # fmt: skip
    order = Passage("o", "doe", DocKind.ORDER, "...", "Doe v. Roe", 0, excerpt=True, court="D. Or.")
    current = Passage(
        "s", "frcp", DocKind.RULES, "...", "FRCP 5", 0, authority="FRCP 5",
        version="as amended to Dec. 1, 2022",
    )  # fmt: skip
    notes = [
        *caveats([rule, order]),
        *caveats([current]),
        court_caveat("Doe v. Roe", "D. Or.", "E.D. Cal."),
        "This answer is about cases in the E.D. Cal.; other courts' rules may differ.",
    ]  # fmt: skip
    assert len(notes) >= 5
    for note in notes:
        assert note and in_language(note, "es") != note, note
        assert in_language(note, "en") == note
