"""Verifier: citations checked against retrieved passages, sentences against cited text."""

from __future__ import annotations

import pytest
from samples import PASSAGES

from bot.answer import verify
from bot.core.answer_types import Sentence, Verdict
from bot.core.settings import SHIPPED_KNOWLEDGE
from bot.core.types import Passage
from bot.ingest.chunk import passages as chunk_passages
from bot.ingest.load import read_document

MASTERSON = SHIPPED_KNOWLEDGE / "masterson-v-killen-2014-11-24.txt"

QUESTION = "Should I file my letter to defense counsel with the court?"
# 1 = Masterson ruling paragraph, 2 = Fed. R. Civ. P. 5(d)(1)(A), 3 = L.R. 183(b) as quoted
RETRIEVED = [PASSAGES["masterson"], PASSAGES["frcp-5d1A"], PASSAGES["lr-183b"]]


@pytest.mark.parametrize(
    ("sentence", "kept"),
    [
        # paraphrase of Masterson that keeps its words: supported
        (
            Sentence(
                "Correspondence between the parties during discovery should not be filed with "
                "the court unless it is at issue.",
                (1,),
            ),
            True,
        ),
        # cites a passage number that was never retrieved
        (Sentence("Letters to defense counsel should not be filed with the court.", (7,)), False),
        # no citation at all
        (Sentence("Letters to defense counsel should not be filed with the court.", ()), False),
        # cites L.R. 183(b), which says nothing about filing letters
        (
            Sentence(
                "Correspondence between the parties during discovery should not be filed with "
                "the court unless it is at issue.",
                (3,),
            ),
            False,
        ),
        # invented deadline and sanction, cited to Masterson
        (
            Sentence(
                "Letters filed with the court will be struck within ten days and the plaintiff "
                "fined fifty dollars.",
                (1,),
            ),
            False,
        ),
        # a quotation that Masterson does not contain, around otherwise supported words
        (
            Sentence(
                'Correspondence "must never be filed with the court under any circumstances" '
                "during discovery between the parties.",
                (1,),
            ),
            False,
        ),
        # a quotation that FRCP 5(d)(1)(A) does contain (curly quotes and spacing differ)
        (
            Sentence(
                "Discovery requests and responses “must not be filed until they are used in the "
                "proceeding  or the court orders filing.”",
                (2,),
            ),
            True,
        ),
    ],
)
def test_each_sentence_is_checked(sentence: Sentence, kept: bool) -> None:
    result = verify.verify(QUESTION, [sentence], Verdict.NO, RETRIEVED)
    assert (len(result.sentences) == 1) is kept
    if not kept:
        assert result.dropped


def test_unknown_citation_is_dropped_but_valid_one_kept() -> None:
    sentence = Sentence(
        "Plaintiff's request to meet and confer should not have been filed with the court.", (1, 9)
    )
    result = verify.verify(QUESTION, [sentence], Verdict.NO, RETRIEVED)
    assert result.sentences == (Sentence(sentence.text, (1,)),)
    assert any("[9]" in reason for reason in result.dropped)


def test_verdict_must_agree_with_the_sources() -> None:
    sentence = Sentence(
        "Plaintiff's request to meet and confer should not have been filed with the court.", (1,)
    )
    agreed = verify.verify(QUESTION, [sentence], Verdict.NO, RETRIEVED)
    assert agreed.verdict is Verdict.NO and not any("verdict" in d for d in agreed.dropped)
    # The draft says yes, its own supported sentence forbids the filing: withheld, not flipped.
    contradicted = verify.verify(QUESTION, [sentence], Verdict.YES, RETRIEVED)
    assert contradicted.verdict is None
    assert any("short answer yes withheld" in d for d in contradicted.dropped)
    assert contradicted.sentences == (sentence,)


def test_a_depends_verdict_with_a_supported_sentence_stands() -> None:
    # The directive reader reads "no" here; "depends" is not the opposite firm answer.
    sentence = Sentence(
        "Plaintiff's request to meet and confer should not have been filed with the court.", (1,)
    )
    result = verify.verify(QUESTION, [sentence], Verdict.DEPENDS, RETRIEVED)
    assert result.verdict is Verdict.DEPENDS and not result.dropped


def test_a_verdict_whose_sentences_all_fall_is_withheld() -> None:
    invented = Sentence("Letters to counsel must be filed within 10 days.", (1,))
    result = verify.verify(QUESTION, [invented], Verdict.YES, RETRIEVED)
    assert result.sentences == () and result.verdict is None
    assert any("none of its sentences is supported" in d for d in result.dropped)


def test_no_verdict_for_a_question_that_asks_for_none() -> None:
    sentence = Sentence(
        "Plaintiff's request to meet and confer should not have been filed with the court.", (1,)
    )
    result = verify.verify(
        "What did the court say about letters?", [sentence], Verdict.NO, RETRIEVED
    )
    assert result.verdict is None


def test_support_scores() -> None:
    masterson = PASSAGES["masterson"].text
    assert verify.support("Settlement negotiations are confidential.", [masterson]) == 1.0
    assert verify.support("Sanctions of fifty dollars per day.", [masterson]) == 0.0
    assert verify.support("", [masterson]) == 0.0


# The shipped Masterson v. Killen order as the chunker cuts it, the way the reviewer's draft saw it.
MASTERSON_PASSAGES = chunk_passages(read_document(MASTERSON))
ALL_MASTERSON = tuple(range(1, len(MASTERSON_PASSAGES) + 1))


def masterson_passage(words: str) -> int:
    """The number of the Masterson passage holding `words`, wherever the chunker cut."""
    return next(n for n, p in enumerate(MASTERSON_PASSAGES, 1) if words in p.text)


@pytest.mark.parametrize(
    ("text", "cites", "kept", "reason"),
    [
        # the reviewer's draft: Masterson's correspondence sentence with an invented rule and
        # deadline, citing every passage (their pooled words score 0.7)
        (
            "Correspondence between the parties during discovery should not be filed with the "
            "court unless it is at issue, such as under Rule 37(a)(5) within 14 days.",
            ALL_MASTERSON,
            False,
            "names a rule or statute",
        ),
        # the reviewer's draft: the correspondence sentence bolted onto L.R. 250.4, which
        # Masterson names only for discovery requests and responses, in another passage
        (
            "Correspondence between the parties during discovery should not be filed with the "
            "court unless the court orders it under Local Rule 250.4.",
            ALL_MASTERSON,
            False,
            "names a rule or statute",
        ),
        # the same sentence with only the invented deadline, cited to the passage it paraphrases
        (
            "Correspondence between the parties during discovery should not be filed with the "
            "court within 14 days.",
            ("Correspondence between the parties",),
            False,
            "states a number",
        ),
        # Masterson: "The court's Discovery and Scheduling Order instructs the parties not to
        # file discovery requests and responses with the court unless required by Local Rules
        # 250.2, 250.3, and 250.4."
        (
            "Discovery requests and responses are not filed with the court unless required by "
            "Local Rules 250.2, 250.3, and 250.4.",
            ("unless required by Local Rules",),
            True,
            None,
        ),
        # Masterson: "Correspondence ... should not be filed with the court unless it is at
        # issue, such as when a motion to compel is filed."
        (
            "Letters between the parties during discovery should not be filed with the court "
            "unless they are at issue, such as when a motion to compel is filed.",
            ("Correspondence between the parties",),
            True,
            None,
        ),
        # Masterson: "Discovery and Scheduling Order issued on November 14, 2014"; a day off
        (
            "The Discovery and Scheduling Order was issued on November 15, 2014.",
            ("issued on November 14, 2014",),
            False,
            "states a number",
        ),
        (
            "The Discovery and Scheduling Order was issued on November 14, 2014.",
            ("issued on November 14, 2014",),
            True,
            None,
        ),
        # the case is named by the passage's label, not its text ("MASTERSON, Plaintiff, VS.")
        (
            "In Masterson v. Killen, the court said settlement negotiations are confidential and "
            "ordinarily should not be filed.",
            ("settlement negotiations are considered confidential",),
            True,
            None,
        ),
        # a case no Masterson passage names
        (
            "Under Mallard v. United States District Court, settlement negotiations are "
            "confidential and should not be filed.",
            ("settlement negotiations are considered confidential",),
            False,
            "names a case",
        ),
        # Masterson: "civil rights action filed pursuant to 42 U.S.C. § 1983"; then a subsection
        # the order never names
        (
            "Masterson is a state prisoner proceeding in forma pauperis in a civil rights action "
            "under 42 U.S.C. § 1983.",
            ("42 U.S.C. § 1983",),
            True,
            None,
        ),
        (
            "Masterson is a state prisoner proceeding in forma pauperis in a civil rights action "
            "under 42 U.S.C. § 1983(a).",
            ("42 U.S.C. § 1983",),
            False,
            "names a rule or statute",
        ),
    ],
)
def test_masterson_draft_sentences(
    text: str, cites: tuple[int | str, ...], kept: bool, reason: str | None
) -> None:
    citations = tuple(c if isinstance(c, int) else masterson_passage(c) for c in cites)
    result = verify.verify(QUESTION, [Sentence(text, citations)], None, MASTERSON_PASSAGES)
    assert (len(result.sentences) == 1) is kept
    if kept:
        assert not any(d.startswith("sentence 1: dropped") for d in result.dropped)
    else:
        assert any(d.startswith("sentence 1: dropped") and reason in d for d in result.dropped)


def test_pooled_words_no_longer_support_an_invented_rule() -> None:
    invented = (
        "Correspondence between the parties during discovery should not be filed with the court "
        "unless the court orders it under Local Rule 250.4."
    )
    texts = [p.text for p in MASTERSON_PASSAGES]
    # Over all five passages together every content word is found: the hole the reviewer used.
    assert verify.support(invented, texts) == 1.0
    # Alone, the passage naming L.R. 250.4 lacks the subject (correspondence) ...
    rule_passage = masterson_passage("Local Rules 250.2")
    assert verify.support(invented, [texts[rule_passage - 1]]) < verify.MIN_SUPPORT
    # ... and the one about correspondence does not name the rule.
    letters = MASTERSON_PASSAGES[masterson_passage("Correspondence between") - 1]
    assert verify.problem(invented, letters) == (
        "it names a rule or statute the cited passages do not"
    )


def test_citations_to_passages_that_do_not_support_alone_are_removed() -> None:
    sentence = Sentence(
        "Discovery requests and responses are not filed with the court unless required by Local "
        "Rules 250.2, 250.3, and 250.4.",
        ALL_MASTERSON,
    )
    result = verify.verify(QUESTION, [sentence], None, MASTERSON_PASSAGES)
    assert result.sentences == (Sentence(sentence.text, (masterson_passage("Local Rules 250.2"),)),)
    removed = [d for d in result.dropped if "alone does not support" in d]
    assert len(removed) == len(ALL_MASTERSON) - 1


def test_at_most_three_citations_are_kept() -> None:
    # Four retrieved copies of the Masterson ruling paragraph all support the sentence.
    retrieved = [PASSAGES["masterson"]] * 4
    sentence = Sentence(
        "Settlement negotiations are considered confidential and should not be filed.", (1, 2, 3, 4)
    )
    result = verify.verify(QUESTION, [sentence], None, retrieved)
    assert len(result.sentences[0].citations) == verify.MAX_CITATIONS
    assert any(f"more than {verify.MAX_CITATIONS} citations" in d for d in result.dropped)


FRCP_5D1A = PASSAGES["frcp-5d1A"]  # is Fed. R. Civ. P. 5(d)(1)(A), mentions 26(a)(1)
NOT_FILED = "must not be filed until they are used in the proceeding or the court orders filing."


@pytest.mark.parametrize(
    ("text", "passage", "kept"),
    [
        # naming the rule the passage is, or a broader part of it, is fine
        (f"Under Rule 5(d)(1)(A), discovery requests and responses {NOT_FILED}", FRCP_5D1A, True),
        (f"Under Rule 5(d), discovery requests and responses {NOT_FILED}", FRCP_5D1A, True),
        (f"Under Fed. R. Civ. P. 5, discovery requests and responses {NOT_FILED}", FRCP_5D1A, True),
        # a sibling or a narrower subdivision the text does not print is not
        (f"Under Rule 5(d)(1)(B), discovery requests and responses {NOT_FILED}", FRCP_5D1A, False),
        (
            f"Under Rule 5(d)(1)(A)(i), discovery requests and responses {NOT_FILED}",
            FRCP_5D1A,
            False,
        ),
        # the passage mentions "disclosures under Rule 26(a)(1)"
        (f"Disclosures under Rule 26(a)(1) {NOT_FILED}", FRCP_5D1A, True),
        (f"Disclosures under Rule 26 {NOT_FILED}", FRCP_5D1A, True),
        (f"Disclosures under Rule 26(a)(1)(A) {NOT_FILED}", FRCP_5D1A, False),
        (f"Disclosures under Rule 26(a)(3) {NOT_FILED}", FRCP_5D1A, False),
        # L.R. 183(b) (quoted in Bays v. Calhoun): "within sixty-three (63) days thereafter"
        (
            "A plaintiff in propria persona whose mail is returned must notify the Court of a "
            "current address within 63 days.",
            PASSAGES["lr-183b"],
            True,
        ),
        (
            "A plaintiff in propria persona whose mail is returned must notify the Court of a "
            "current address within sixty (60) days.",
            PASSAGES["lr-183b"],
            False,
        ),
        # L.R. 230(l) (quoted in Warner v. Cate): "not more than twenty-one (21) days"
        (
            "Opposition to the motion shall be served and filed not more than twenty-one days "
            "after the date of service of the motion.",
            PASSAGES["lr-230l"],
            True,
        ),
        (
            "Opposition to the motion shall be served and filed not more than fourteen (14) "
            "days after the date of service of the motion.",
            PASSAGES["lr-230l"],
            False,
        ),
        # Epps: "Mallard v. United States Dist. Court, 490 U.S. 296, 298 (1989)"
        (
            "District courts may not require counsel to represent indigent prisoners in § 1983 "
            "cases, Mallard v. United States District Court, 490 U.S. 296 (1989).",
            PASSAGES["epps"],
            True,
        ),
        (
            "District courts may not require counsel to represent indigent prisoners in § 1983 "
            "cases, Bounds v. Smith, 430 U.S. 817 (1977).",
            PASSAGES["epps"],
            False,
        ),
    ],
)
def test_rules_numbers_and_cases_must_be_in_the_cited_passage(
    text: str, passage: Passage, kept: bool
) -> None:
    result = verify.verify(QUESTION, [Sentence(text, (1,))], None, [passage])
    assert (len(result.sentences) == 1) is kept, result.dropped


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # L.R. 183(b): a number written out and in digits is one number
        ("within sixty-three (63) days thereafter", {"63"}),
        # L.R. 230(l)
        ("not more than twenty-one (21) days after", {"21"}),
        # Masterson: dates and the docket pinpoint
        ("On November 21, 2014, ... (Doc. 43 at 1:19-20.)", {"21", "2014", "43", "1", "19", "20"}),
        ("one hundred and fifty dollars, $1,000.00, 10%", {"150", "1000", "10"}),
        # a pronoun is not a count; a count is
        ("if no one is in charge, leave one copy", {"1"}),
        ("if no one is in charge", set()),
    ],
)
def test_numbers(text: str, expected: set[str]) -> None:
    assert verify.numbers(text) == expected


def test_case_names() -> None:
    # Epps, with the case names of its citations
    text = PASSAGES["epps"].text
    assert verify.case_names(text) == [
        ("Mallard", "United"),
        ("Agyeman", "Corrections"),
        ("Palmer", "Valdez"),
    ]
