"""Telegram HTML rendering and splitting: escaped, balanced, below the limit, nothing lost."""

from __future__ import annotations

import re

import pytest
from emulator import check_telegram_html  # tests/telegram/emulator.py, the harness

from bot.app.telegram.html import (
    FIRST_MESSAGE_CHARS,
    MESSAGE_LIMIT,
    PART_BUDGET,
    answer_messages,
    exact_words_blocks,
    first_message,
    rule_messages,
    split_messages,
    strip_tags,
    utf16_len,
    visible_len,
)
from bot.core.answer_types import Answer, Sentence, Source, Verdict
from bot.core.types import DocKind, Passage, RuleMatch

# Masterson v. Killen, No. 1:11-cv-01179 (E.D. Cal. Nov. 24, 2014) (knowledge/), Doc. 44.
MASTERSON_HOLDING = (
    "Plaintiff's request to meet and confer should not have been filed with the court."
)
MASTERSON_DISCOVERY = (
    "Plaintiff is advised that discovery is meant to be conducted among the parties only, "
    "without notice to the court, unless a discovery dispute arises."
)
MASTERSON_CORRESPONDENCE = (
    "Correspondence between the parties during discovery should not be filed with the court "
    "unless it is at issue, such as when a motion to compel is filed."
)
# Fed. R. Civ. P. 26(b)(1), frcp-2022-12-01.md (hyphenation break "discov- ery" as converted).
RULE_26_B_1 = (
    "(1) Scope in General. Unless otherwise limited by court order, the scope of discovery is "
    "as follows: Parties may obtain discov- ery regarding any nonprivileged matter that is "
    "relevant to any party’s claim or defense and proportional to the needs of the case, "
    "considering the importance of the issues at stake in the action, the amount in "
    "controversy, the parties’ relative access to relevant information, the parties’ "
    "resources, the impor- tance of the discovery in resolving the issues, and whether the "
    "burden or expense of the proposed discovery outweighs its likely benefit."
)
# Caption of Martin v. CDCR (E.D. Cal. May 8, 2024), orders/edcal: an ampersand to escape.
CDCR_CAPTION = "v. CALIFORNIA DEPARTMENT OF CORRECTIONS & REHABILITATION, et al."
# Hollis v. Bal (E.D. Cal.), orders/edcal: "ECF Nos. 93 & 100" in the caption.
HOLLIS_ECF = "ORDER DENYING HIS MOTION FOR A PROTECTIVE ORDER ECF Nos. 93 & 100"


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


def assert_valid_parts(parts: list[str], original_html: str) -> None:
    for part in parts:
        assert utf16_len(part) <= PART_BUDGET < MESSAGE_LIMIT
        check_telegram_html(part)
        assert strip_tags(part).strip(), "empty part"
    # Every visible character survives, in order (whitespace at the cuts may differ).
    visible = "".join(strip_tags(p) for p in parts)
    assert re.sub(r"\s", "", visible) == re.sub(r"\s", "", strip_tags(original_html))
    markers = re.compile(r"\[\d+\]")
    assert sum(len(markers.findall(p)) for p in parts) == len(markers.findall(original_html))


LONG_BLOCK = "<b>" + " ".join([RULE_26_B_1] * 20) + "</b>"
LONG_QUOTE = "[1] Masterson v. Killen\n<blockquote>" + " ".join([MASTERSON_DISCOVERY] * 60)
LONG_QUOTE += "</blockquote>"
LONG_LINK = '<a href="https://www.uscourts.gov/rules">' + " ".join([RULE_26_B_1] * 12) + "</a>"
SPLIT_CASES = [
    # (id, blocks)
    ("short answer fits one part", [f"<b>{MASTERSON_HOLDING}</b> [1]"]),
    ("many blocks pack into few parts", [f"{MASTERSON_CORRESPONDENCE} [{n}]" for n in range(80)]),
    ("one over-long bold block", [LONG_BLOCK]),
    ("one over-long blockquote", ["<b>Sources</b>", LONG_QUOTE]),
    ("one over-long link", [LONG_LINK]),
    ("escaped ampersands", ["<i>" + " ".join([CDCR_CAPTION.replace("&", "&amp;")] * 200) + "</i>"]),
    ("lines of a long rule", ["\n".join([RULE_26_B_1] * 25), HOLLIS_ECF.replace("&", "&amp;")]),
    ("a word longer than a message", ["x" * 9000]),
    ("astral characters count twice", ["\U0001d400 " * 3000]),
]


@pytest.mark.parametrize(
    ("blocks",), [(c[1],) for c in SPLIT_CASES], ids=[c[0] for c in SPLIT_CASES]
)
def test_split_messages_keeps_tags_text_and_markers(blocks: list[str]) -> None:
    parts = split_messages(blocks)
    assert_valid_parts(parts, "\n\n".join(blocks))
    if utf16_len("\n\n".join(blocks)) > PART_BUDGET:
        assert len(parts) > 1


def test_over_long_block_breaks_at_sentence_ends() -> None:
    parts = split_messages([" ".join([MASTERSON_CORRESPONDENCE] * 60)])
    assert len(parts) > 1
    for part in parts[:-1]:
        assert part.rstrip().endswith("filed."), part[-60:]


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


def test_rule_text_with_version_and_provenance() -> None:
    matches = [
        RuleMatch(
            authority="Fed. R. Civ. P. 26(b)(1)",
            label="Fed. R. Civ. P. 26(b)(1) (as amended to Dec. 1, 2022)",
            text=RULE_26_B_1,
            doc_id="frcp-2022-12-01",
            heading="Rule 26. Duty to Disclose; General Provisions Governing Discovery",
        ),
        # edcal-local-rules-quoted.md: L.R. 183(b), as quoted by an order.
        RuleMatch(
            authority="E.D. Cal. L.R. 183(b)",
            label="E.D. Cal. L.R. 183(b)",
            text="A party appearing in propria persona shall keep the Court and opposing parties "
            "advised as to his or her current address.",
            doc_id="edcal-local-rules-quoted",
            provenance="Quoted in: an E.D. Cal. order",
        ),
    ]
    parts = rule_messages(matches)
    text = "\n\n".join(parts)
    assert "<b>Fed. R. Civ. P. 26(b)(1) (as amended to Dec. 1, 2022)</b>" in text
    assert RULE_26_B_1 in text
    assert "not the official text" in text
    assert_valid_parts(parts, text)


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("Fed. R. Civ. P. 5(d)", 20),  # ASCII: one unit each
        ("28 U.S.C. § 1915(e)(1)", 22),  # § is in the BMP
        ("\U0001d400", 2),  # outside the BMP: a surrogate pair
    ],
)
def test_utf16_len(text: str, units: int) -> None:
    assert utf16_len(text) == units
