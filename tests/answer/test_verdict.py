"""Short answers read from real sentences: polarity, conditions, prohibitions, assertions."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.answer import verdict
from bot.answer.asked import read_question
from bot.core.answer_types import Verdict


@dataclass(frozen=True)
class Chosen:
    """A chosen sentence as the composer scores it (text, coverage, rule the question names)."""

    text: str
    coverage: float = 1.0
    cites_asked_rule: bool = False


POLARITY = [
    # orders/edcal/palacios-v-smith-2019-06-26.txt, 2:26-28: an "is X enough?" question gets a no
    # from a negation about X, though the verb ("establish") is not the question's
    (
        "Circumstances common to most prisoners, such as lack of legal education and limited law "
        "library access, do not establish exceptional circumstances that would warrant a request "
        "for voluntary assistance of counsel.",
        "My son has no legal training and little time in the law library; is that enough to "
        "get a court-appointed lawyer?",
        Verdict.NO,
    ),
    # orders/edcal/palacios-v-smith-2019-06-26.txt, 3:3-4
    (
        "These circumstances are common to most prisoners and do not establish exceptional "
        "circumstances warranting the appointment of counsel.",
        "my husband cant read well and has asthma, are those exceptional circumstances for "
        "apointing him a lawyer",
        Verdict.NO,
    ),
    # ... but the same kind of clause answers nothing for a question about another act
    # (orders/edcal/sierra-v-defendant-not-shown-in-excerpt.txt)
    (
        "Neither side is waiving any claims, defenses or objections by participating in this "
        "settlement conference.",
        "May the defendants' attorney refuse to attend the settlement conference?",
        None,
    ),
    # the same Sierra sentence: "give up" is waiving, so "neither side is waiving" is a no
    (
        "Neither side is waiving any claims, defenses or objections by participating in this "
        "settlement conference.",
        "Does my brother give up any of his claims by going to the settlement conference?",
        Verdict.NO,
    ),
    # statutes/42-usc-1997e.md, § 1997e(a) as chunked (heading apart): forbidden "until"
    # remedies are exhausted, so exhausting them is a must
    (
        "No action shall be brought with respect to "
        "prison conditions under section 1983 of this title, or any other Federal law, by a "
        "prisoner confined in any jail, prison, or other correctional facility until such "
        "administrative remedies as are available are exhausted.",
        "Does my son have to exhaust the jail grievance process before he sues under section 1983?",
        Verdict.YES,
    ),
    # statutes/42-usc-1997e.md, § 1997e(e) as chunked (heading apart): "No Federal civil action
    # may be brought" answers "can I sue" (sue and action are one concept) with no
    (
        "No Federal civil action may be brought by a prisoner confined in a jail, prison, or "
        "other correctional facility, for mental or emotional injury "
        "suffered while in custody without a prior showing of physical injury or the commission "
        "of a sexual act (as defined in section 2246 of title 18).",
        "can my husband sue over mental injury in prison when he had no physical injury",
        Verdict.NO,
    ),
    # rules/frcp-2022-12-01.md, Rule 33(b)(3): "must, to the extent ..., be answered" is a duty
    (
        "Each interrogatory must, to the extent it is not objected to, be answered separately "
        "and fully in writing under oath.",
        "Must the officers answer every interrogatory under oath?",
        Verdict.YES,
    ),
    # rules/frcp-2022-12-01.md, Rule 33(c): "may be used" says nothing about answering under oath
    (
        "An answer to an interrogatory may be used to the extent allowed by the Federal Rules of "
        "Evidence.",
        "Must the officers answer every interrogatory under oath?",
        None,
    ),
    # orders/edcal/thomas-v-ravera-2017-11-29.txt, 1:26-28: a fee that "cannot be waived"
    (
        "The current requisite fee for each person is forty dollars per day, 28 U.S.C. § "
        "1821(b), and cannot be waived for a plaintiff proceeding in forma pauperis.",
        "Does my sister have to pay the witness fee for her subpoena though she is IFP?",
        Verdict.YES,
    ),
    # orders/edcal/asberry-v-cate-2011-08-24.txt: what may follow from disobeying is a yes to
    # "can my case be dismissed ...?"
    (
        "In the order filed March 29, 2011, plaintiff was advised that failure to comply with the "
        "Local Rules may result in a recommendation that the action be dismissed.",
        "Can the judge dismiss his case for not following the local rules?",
        Verdict.YES,
    ),
    # orders/edcal/walker-v-felker-2010-02-04.txt: the condition ("if a party disobeys ... the
    # Local Rules") is the one the question states, so it is no "it depends" ...
    (
        "The court may recommend that an action be dismissed with or without prejudice, as "
        "appropriate, if a party disobeys an order or the Local Rules.",
        "Can the judge dismiss his case for not following the local rules?",
        Verdict.DEPENDS,
    ),
    # orders/edcal/berna-v-powell-2015-03-04.txt: "will be grounds for ... sanctions"
    (
        "Failure to comply with the Local Rules, federal rules or a court order, including this "
        "order, will be grounds for dismissal, entry of default or other appropriate sanctions.",
        "could the judge sanction my son if he doesnt follow a court order",
        Verdict.YES,
    ),
    # ... while the same consequence is no permission for the asker's own act
    (
        "Failure to comply with the Local Rules, federal rules or a court order, including this "
        "order, will be grounds for dismissal, entry of default or other appropriate sanctions.",
        "Can I ignore a court order without sanctions?",
        None,
    ),
    # orders/masterson-v-killen: "should not have been filed" forbids filing, but the question
    # asks about conferring; "before I file" only sets the scene
    (
        "Plaintiff's request to meet and confer should not have been filed with the court.",
        "Does my brother have to talk over a discovery fight with the state's lawyer before he "
        "files a motion to compel?",
        None,
    ),
    # statutes/42-usc-1983-28-usc-1654.md, § 1654: a permission the parties hold -> yes
    (
        "In all courts of the United States the parties may plead and conduct their own cases "
        "personally or by counsel as, by the rules of such courts, respectively, are permitted "
        "to manage and conduct causes therein.",
        "Is my sister allowed to represent herself in federal court?",
        Verdict.YES,
    ),
    # statutes/28-usc-1915-1915a.md, § 1915(e)(1): the court's discretion -> it depends
    (
        "(1) The court may request an attorney to represent any person unable to afford counsel.",
        "can the judge find me an attorney",
        Verdict.DEPENDS,
    ),
]


# A directive decides only a question about the act it directs; a neighbouring act (pleading
# personally, serving, answering) gives no short answer rather than a wrong one.
APPOINTED = "can my son get a lawyer apointed for his case"
SAME_ACT = [
    # statutes/42-usc-1983-28-usc-1654.md, § 1654: "may" permits pleading, not appointment
    (
        "In all courts of the United States the parties may plead and conduct their own cases "
        "personally or by counsel as, by the rules of such courts, respectively, are permitted "
        "to manage and conduct causes therein.",
        APPOINTED,
        None,
    ),
    # statutes/28-usc-1915-1915a.md, § 1915(e)(1): "request an attorney" is how a court appoints
    (
        "(1) The court may request an attorney to represent any person unable to afford counsel.",
        APPOINTED,
        Verdict.DEPENDS,
    ),
    # orders/edcal/palacios-v-smith-2019-06-26.txt, 1:18-21
    (
        "In certain exceptional circumstances, the district court may request the voluntary "
        "assistance of counsel pursuant to 28 U.S.C. § 1915(e)(1).",
        APPOINTED,
        Verdict.DEPENDS,
    ),
    # orders/edcal/epps-v-csp-sacramento-2014-12-03.txt, 1:26: "may appoint ... where"
    (
        'The district court may appoint such counsel where "exceptional circumstances" exist.',
        "Will the judge appoint an attorney for me?",
        Verdict.DEPENDS,
    ),
    # orders/edcal/epps-v-csp-sacramento-2014-12-03.txt, 1:21: forbids requiring, not appointing
    (
        "District courts may not require counsel to represent indigent prisoners in § 1983 cases.",
        APPOINTED,
        None,
    ),
    # orders/edcal/epps-v-csp-sacramento-2014-12-03.txt, 1:19-20: narrative, no directive
    (
        "Plaintiff has instead filed a motion for appointment of counsel.",
        APPOINTED,
        None,
    ),
    # rules/frcp-2022-12-01.md, Rule 33(b)(3): a duty to answer says nothing about serving
    (
        "Each interrogatory must, to the extent it is not objected to, be answered separately "
        "and fully in writing under oath.",
        "Do I have to serve my interrogatories on the defendants?",
        None,
    ),
    # rules/frcp-2022-12-01.md, Rule 5(d)(1)(A): a duty to file what is served is no answer to
    # whether to oppose a motion
    (
        "Any paper after the complaint that is required to be served must be filed no later than "
        "a reasonable time after service.",
        "Do I have to oppose the defendants' motion for summary judgment?",
        None,
    ),
]


@pytest.mark.parametrize(("sentence", "question", "expected"), SAME_ACT)
def test_a_directive_decides_only_the_act_it_directs(
    sentence: str, question: str, expected
) -> None:
    assert verdict.polarity(sentence, read_question(question)) is expected


@pytest.mark.parametrize(("sentence", "question", "expected"), POLARITY)
def test_polarity_of_real_sentences(sentence: str, question: str, expected) -> None:
    assert verdict.polarity(sentence, read_question(question)) is expected


# Plain-word synonyms the reader does not connect with the court's word: it reads concepts
# from word lists, not meaning. Recorded as strict expected failures, so a reader that learns
# them must move the row up into POLARITY.
MISSED_SYNONYMS = [
    # the Sierra sentence again: "takes part in" is "participating"
    (
        "Neither side is waiving any claims, defenses or objections by participating in this "
        "settlement conference.",
        "Does my brother give up his claims if he takes part in the settlement conference?",
        Verdict.NO,
    ),
    # § 1997e(a) again: "finish the grievance process" is exhausting administrative remedies
    (
        "No action shall be brought with respect to "
        "prison conditions under section 1983 of this title, or any other Federal law, by a "
        "prisoner confined in any jail, prison, or other correctional facility until such "
        "administrative remedies as are available are exhausted.",
        "Must my son finish the jail grievance process before he sues under section 1983?",
        Verdict.YES,
    ),
]


@pytest.mark.xfail(strict=True, reason="the reader knows concepts by word lists, not meaning")
@pytest.mark.parametrize(("sentence", "question", "expected"), MISSED_SYNONYMS)
def test_polarity_misses_plain_synonyms(sentence: str, question: str, expected) -> None:
    assert verdict.polarity(sentence, read_question(question)) is expected


def test_a_condition_the_question_does_not_state_stays_open() -> None:
    # orders/edcal/walker-v-felker-2010-02-04.txt: without "for not following the local rules"
    # the question leaves the condition open, and the answer depends on it
    sentence = (
        "The court may recommend that an action be dismissed with or without prejudice, as "
        "appropriate, if a party disobeys an order or the Local Rules."
    )
    assert verdict.polarity(sentence, read_question("Can my case be dismissed?")) is (
        Verdict.DEPENDS
    )


def test_a_plain_statement_answers_a_question_about_what_is_so() -> None:
    # orders/edcal/walker-v-felker-2010-02-04.txt (Local Rule 230(l))
    statement = Chosen(
        "In cases in which one party is incarcerated and proceeding without counsel, motions "
        "ordinarily are submitted on the record without oral argument.",
        coverage=0.83,
    )
    question = (
        "When the plaintiff is in prison and has no attorney, are motions usually decided "
        "without oral argument?"
    )
    assert verdict.find_verdict(question, [statement]) is Verdict.YES
    # a weak match states nothing about the question
    weak = Chosen(statement.text, coverage=0.4)
    assert verdict.find_verdict(question, [weak]) is None
    # and a question about the asker's own act is never answered by a description
    assert verdict.find_verdict("Can I ask for oral argument on my motion?", [statement]) is None


def test_a_yes_needs_a_strong_match_but_a_no_is_tied_by_its_verb() -> None:
    # rules/frcp-2022-12-01.md, Rule 33(b)(3)
    duty = "Each interrogatory must, to the extent it is not objected to, be answered separately"
    duty += " and fully in writing under oath."
    question = "Must the officers answer every interrogatory under oath?"
    assert verdict.find_verdict(question, [Chosen(duty, coverage=0.2)]) is None
    assert verdict.find_verdict(question, [Chosen(duty, coverage=0.2, cites_asked_rule=True)]) is (
        Verdict.YES
    )
    # orders/masterson-v-killen: forbids the very act asked, whatever the coverage
    no = "Correspondence between the parties during discovery should not be filed with the court"
    no += " unless it is at issue, such as when a motion to compel is filed."
    assert (
        verdict.find_verdict(
            "Should I file my letter to defense counsel with the court?", [Chosen(no, coverage=0.1)]
        )
        is Verdict.NO
    )


def test_no_short_answer_for_a_question_that_asks_none() -> None:
    no = "Correspondence between the parties during discovery should not be filed with the court."
    assert verdict.find_verdict("When can I file letters to counsel?", [Chosen(no)]) is None


# orders/masterson-v-killen (knowledge/), the one prohibition every question below meets
MASTERSON_CORRESPONDENCE = (
    "Correspondence between the parties during discovery should not be filed with the court "
    "unless it is at issue, such as when a motion to compel is filed."
)
# orders/edcal/gradford-v-mcdougall-2018-09-04.txt, quoting L.R. 250.2-250.4
GRADFORD_DISCOVERY = (
    "Interrogatories, requests for production, and requests for admission, responses, and proofs "
    'of service thereof "shall not be filed unless and until there is a proceeding in which the '
    "document or proof of service is at issue."
)
# A "no" needs the prohibition's act and its object to be the question's, and an exception the
# question states makes it depend; a wrong "no" is worse than none.
PROHIBITIONS = [
    # the founding example: act (file) and object (letter = correspondence) both match; the
    # question says nothing of a motion to compel, so the exception stays in the quote
    (
        MASTERSON_CORRESPONDENCE,
        "Should I file my letter to defense counsel with the court?",
        Verdict.NO,
    ),
    # sending letters to the other side is not filing them with the court
    (MASTERSON_CORRESPONDENCE, "Can I send letters to defense counsel?", None),
    # the prohibition's object is correspondence, not the motion; the exception presupposes
    # that motions to compel are filed
    (MASTERSON_CORRESPONDENCE, "Can I file a motion to compel?", None),
    # the question states the very exception ("such as when a motion to compel is filed")
    (
        MASTERSON_CORRESPONDENCE,
        "Can I file discovery with the court when there is a motion to compel?",
        Verdict.DEPENDS,
    ),
    # sending papers to the judge is filing them
    (MASTERSON_CORRESPONDENCE, "Can I send a letter to the judge?", Verdict.NO),
    (GRADFORD_DISCOVERY, "can i send my discovry to the judge", Verdict.NO),
    # a motion to compel is a proceeding in which the discovery is "at issue"
    (
        GRADFORD_DISCOVERY,
        "Can I file discovery with the court when there is a motion to compel?",
        Verdict.DEPENDS,
    ),
    (GRADFORD_DISCOVERY, "Can I file a motion to compel?", None),
    # rules/frcp-2022-12-01.md, Rule 5(d)(1)(A): the exception ends at the colon; the list of
    # papers after it is the object, not a condition the question states
    (
        "But disclosures under Rule 26(a)(1) or (2) and the following discovery requests and "
        "responses must not be filed until they are used in the proceeding or the court orders "
        "filing: depositions, interrogatories, requests for documents or tangible things or to "
        "permit entry onto land, and requests for admission.",
        "Do I have to file my interrogatories with the court?",
        Verdict.NO,
    ),
]


@pytest.mark.parametrize(("sentence", "question", "expected"), PROHIBITIONS)
def test_a_prohibition_decides_only_its_own_act_object_and_exception(
    sentence: str, question: str, expected: Verdict | None
) -> None:
    assert verdict.polarity(sentence, read_question(question)) is expected
    # and as the short answer of a sentence chosen for it
    assert verdict.find_verdict(question, [Chosen(sentence, coverage=0.4)]) is expected


def test_a_prohibition_of_the_act_on_another_thing_is_still_on_point() -> None:
    # the composer still quotes it (Masterson: the request to meet and confer was a letter to
    # defense counsel), though it decides nothing about a letter
    sentence = "Plaintiff's request to meet and confer should not have been filed with the court."
    asked = read_question("Should I file my letter to defense counsel with the court?")
    assert verdict.prohibits_act(sentence, asked)
    assert verdict.polarity(sentence, asked) is None
    # what may not be filed is on point for sending letters to counsel, and decides nothing
    send = read_question("Can I send letters to defense counsel?")
    assert verdict.prohibits_act(sentence, send) and verdict.polarity(sentence, send) is None
    assert not verdict.prohibits_act(sentence, read_question("Can I serve my letters?"))


# Plain-language questions whose confident short answer was wrong: each sentence decides the
# act, but not the step, object or circumstance asked, so no short answer is given.
NOT_DECIDED = [
    # E.D. Cal. L.R. 131 (berna-v-powell-2015-03-04): striking papers mailed to chambers is no
    # "you need not file" for a paper mailed to the other side (Fed. R. Civ. P. 5(d)(1)(A))
    (
        "All documents improperly mailed to a judge's chambers will be stricken from the record.",
        "i mailed my motion to the defendants lawyer do i also have to file it with the court",
    ),
    # 28 U.S.C. § 1915(b)(1) (statutes/28-usc-1915-1915a.md) says nothing of three strikes
    (
        "Notwithstanding subsection (a), if a prisoner brings a civil action or files an appeal in "
        "forma pauperis, the prisoner shall be required to pay the full amount of a filing fee.",
        "can i file in forma pauperis if i already got three strikes",
    ),
    # a duty in the passive (order quoting Rule 45) does not say who may serve
    (
        "A subpoena must be personally served, or it is null and void.",
        "can i serve the subpena myself im the plaintiff in the case",
    ),
    # a duty to file an opposition decides nothing about when to file one's own motion
    (
        "Plaintiff is required to file an opposition or a statement of non-opposition to a motion "
        "for summary judgment.",
        "can i file a motion for summary judgment anytime i want",
    ),
]


@pytest.mark.parametrize(("sentence", "question"), NOT_DECIDED)
def test_a_sentence_about_another_step_or_case_gives_no_short_answer(
    sentence: str, question: str
) -> None:
    assert verdict.find_verdict(question, [Chosen(sentence, coverage=0.6)]) is None


def test_two_equally_strong_sentences_that_disagree_give_no_short_answer() -> None:
    question = "Do I have to file my interrogatories with the court?"
    # Fed. R. Civ. P. 5(d)(1)(A): "must not be filed until they are used in the proceeding"
    no = "Plaintiff should not file discovery documents with the court."  # Gradford v. McDougall
    # Fed. R. Civ. P. 5(d)(1)(A), first sentence
    yes = (
        "Any paper after the complaint that is required to be served must be filed no later "
        "than a reasonable time after service."
    )
    assert verdict.find_verdict(question, [Chosen(no, coverage=0.5)]) is Verdict.NO
    assert verdict.find_verdict(question, [Chosen(no, 0.5), Chosen(yes, 0.6)]) is None
    assert verdict.find_verdict(question, [Chosen(no, 0.5), Chosen(yes, 0.2)]) is Verdict.NO
