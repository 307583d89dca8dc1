"""Sentence roles decided at index time: only the body of a court text is ever quoted."""

from __future__ import annotations

import pytest

from bot.core.types import DocKind
from bot.ingest.roles import sentence_role, sentence_spans

ORDER = DocKind.ORDER
RULES = DocKind.RULES


@pytest.mark.parametrize(
    ("sentence", "kind", "role"),
    [
        # the caption of an order: court, parties, case number (Masterson v. Killen)
        (
            "UNITED STATES DISTRICT COURT EASTERN DISTRICT OF CALIFORNIA DANIEL MASTERSON, "
            "Plaintiff, VS. SUZANNE KILLEN, et al., Defendants.",
            ORDER,
            "caption",
        ),
        # a section heading
        ("II. LEGAL STANDARD", ORDER, "heading"),
        # a date line and a signature block
        ("Dated: November 24, 2014", ORDER, "date"),
        (
            "Dated: November 24, 2014 /s/ Gary S. Austin UNITED STATES MAGISTRATE JUDGE",
            ORDER,
            "signature",
        ),
        ("IT IS SO ORDERED.", ORDER, "signature"),
        # the case's own history: a dated event, or a party's past act cited to the record
        ("On November 21, 2014, Plaintiff filed a request to meet and confer.", ORDER, "history"),
        ("Plaintiff filed a motion to compel discovery. (ECF No. 90.)", ORDER, "history"),
        # a footnote's text, opened by its number
        ("1 The court notes that plaintiff was transferred.", ORDER, "footnote"),
        # a count of days is no footnote number
        ("14 days is the time to respond to the motion.", ORDER, "body"),
        # a rule's amendment history
        ("(As amended Apr. 30, 2007, eff. Dec. 1, 2007.)", RULES, "history"),
        # what the court explains or directs is the body
        (
            "Correspondence between the parties during discovery should not be filed with the "
            "court unless it is at issue, such as when a motion to compel is filed.",
            ORDER,
            "body",
        ),
        ("Plaintiff is advised that discovery is conducted among the parties only.", ORDER, "body"),
        # a lead-in whose list lives in another passage is not quoted alone
        ("The notice and request must:", RULES, "lead_in"),
    ],
)
def test_sentence_role(sentence: str, kind: DocKind, role: str) -> None:
    assert sentence_role(sentence, kind) == role


def test_docket_text_is_never_the_body() -> None:
    text = "ORDER denying motion to compel. Signed by Magistrate Judge on 11/24/2014."
    assert {s.role for s in sentence_spans(text, ORDER, docket=True)} == {"docket"}


def test_caption_run_glued_to_the_first_sentence_is_split_off() -> None:
    text = (
        "1:11-cv-01179-LJO-GSA-PC ORDER RE PLAINTIFF'S REQUEST TO DEFENSE COUNSEL (Doc. 43.) "
        'Daniel Masterson ("Plaintiff") is a state prisoner proceeding pro se.'
    )
    spans = sentence_spans(text, ORDER)
    assert [(text[s.start : s.end], s.role) for s in spans] == [
        (
            "1:11-cv-01179-LJO-GSA-PC ORDER RE PLAINTIFF'S REQUEST TO DEFENSE COUNSEL (Doc. 43.)",
            "caption",
        ),
        ('Daniel Masterson ("Plaintiff") is a state prisoner proceeding pro se.', "body"),
    ]
