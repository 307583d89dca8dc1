"""The one splitter, stemmer, stop-word list and containment rule, on real court text."""

from __future__ import annotations

import pytest

from bot.core.text import contains_text, content_stems, sentences, stem, stop_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # citation abbreviations never end a sentence (Fed. R. Civ. P. 5(d)(1)(A))
        (
            "Discovery requests must not be filed. See Fed. R. Civ. P. 5(d)(1)(A). The court "
            "agrees.",
            [
                "Discovery requests must not be filed.",
                "See Fed. R. Civ. P. 5(d)(1)(A).",
                "The court agrees.",
            ],
        ),
        # a lead-in ending in a colon keeps its list (Fed. R. Civ. P. 4(a)(1) shape)
        (
            "A summons must: (A) name the court and the parties; (B) be directed to the "
            "defendant; and (C) state the name of the plaintiff's attorney. A summons must be "
            "served with a copy of the complaint.",
            [
                "A summons must: (A) name the court and the parties; (B) be directed to the "
                "defendant; and (C) state the name of the plaintiff's attorney.",
                "A summons must be served with a copy of the complaint.",
            ],
        ),
        # an order's numbered paragraphs: each number stays with its own paragraph
        (
            "Accordingly, IT IS HEREBY ORDERED that: 1. Within thirty days plaintiff shall file "
            "an opposition. 2. Failure to comply will result in dismissal.",
            [
                "Accordingly, IT IS HEREBY ORDERED that: 1. Within thirty days plaintiff shall "
                "file an opposition.",
                "2. Failure to comply will result in dismissal.",
            ],
        ),
        # a record citation belongs to the sentence it supports (Masterson v. Killen)
        (
            "Plaintiff filed the Complaint commencing this action on July 18, 2011. (Doc. 1.) "
            "This case proceeds with the Third Amended Complaint.",
            [
                "Plaintiff filed the Complaint commencing this action on July 18, 2011. (Doc. 1.)",
                "This case proceeds with the Third Amended Complaint.",
            ],
        ),
        # a court's date abbreviation inside a citation does not end the sentence
        (
            "Allen v. Woodford, 2007 WL 309945, at *2 (E.D. Cal. 2007). Responses are served.",
            ["Allen v. Woodford, 2007 WL 309945, at *2 (E.D. Cal. 2007).", "Responses are served."],
        ),
        # nothing to split
        ("   ", []),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("words", "same"),
    [
        (("file", "filed", "filing", "files"), True),  # one act however it is inflected
        (("oppose", "opposed", "opposing"), True),
        (("exhaust", "exhausted", "exhausting"), True),
        (("serve", "sanction"), False),  # different words stay different
    ],
)
def test_stem(words: tuple[str, ...], same: bool) -> None:
    assert (len({stem(w) for w in words}) == 1) is same


def test_stop_words_come_from_the_data_file() -> None:
    words = stop_words()
    assert {"the", "and", "i", "please"} <= words
    assert not words & {"file", "court", "discovery", "#"}  # content words and comments stay out


def test_content_stems_drop_stop_words_and_stem() -> None:
    assert content_stems("Should I be filing my interrogatories with the Court?") == [
        "file",
        "interrogatori",
        "court",
    ]


@pytest.mark.parametrize(
    ("haystack", "needle", "found"),
    [
        # whitespace and line breaks are folded (pleading-paper text)
        ("should not  be\nfiled with the court", "should not be filed", True),
        # case and curly quotes are folded
        ("“Correspondence” between the parties", '"correspondence" BETWEEN', True),
        # a hyphen broken across lines is repaired
        ("the discov- ery requests", "the discovery requests", True),
        # words must be contiguous: "not filed" is not in "not be filed"
        ("should not be filed", "not filed", False),
        # an empty needle is never found
        ("anything", "  ", False),
    ],
)
def test_contains_text(haystack: str, needle: str, found: bool) -> None:
    assert contains_text(haystack, needle) is found
