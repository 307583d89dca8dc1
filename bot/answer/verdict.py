"""Short answers: what the chosen sentences' directives decide for a decision question."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from bot.answer.asked import Asked, is_decision_question, read_question
from bot.answer.wording import ACTIONS, GENERIC, terms
from bot.core.answer_types import Verdict

#: A "yes"/"depends" counts only from a sentence that covers this much of the question. On
#: evals/dev.yaml over the corpus, 0.35 lets L.R. 182(f)/183(b) answer "Do I have to tell the
#: court when I get moved?" while no answer flips between yes and no (0.5 left 10 "yes" blank).
VERDICT_COVERAGE = 0.35
#: A sentence that states what a yes/no question asks, without modal, negation or condition,
#: answers "yes" only when it covers this much of the question (Walker v. Felker: "motions
#: ordinarily are submitted on the record without oral argument" covers 0.83 of its question).
ASSERTION_COVERAGE = 0.7
#: A negated clause that shares this many distinct words with the question is about the asked
#: matter even when its verb differs ("lack of legal education ... do not establish
#: exceptional circumstances" answers "is lack of legal education enough to get counsel?").
NEGATED_CLAUSE_MATCHES = 3

_PASSIVE_DUTY = re.compile(r"\b(?:must|shall)\s+be\s+(?:\w+ly\s+)?\w+(?:ed|en)\b")
_NEGATIVE = re.compile(
    r"\b(?:should|shall|must|may|can|will|need|does|do)\s+not\s+(?:have\s+been\s+|be\s+|ever\s+)?"
    r"(\w+)|\b(?:cannot|can't|shouldn't|mustn't|shan't)\s+(?:be\s+)?(\w+)|\bnot\s+to\s+(\w+)"
    r"|\bin no event shall\s+[\w\s,]{1,80}?\bbe\s+(\w+)"
    r"|\bneither\s+[\w\s]{1,40}?\b(?:is|are|will|shall|may)\s+(?:be\s+)?(\w+)"
)
_CONDITIONAL = re.compile(
    r"\bonly\s+(?:for|if|when|upon|with|where|after)\b|\bunless\b|\bexceptional circumstances\b"
    r"|\bif any\b"
    r"|\bgood cause\b|\bprovided that\b|\bsubject to\b|\bmay\b[^.;]*\b(?:if|where|when)\b"
)
_AFFIRMATIVE = re.compile(
    r"\b(?:must|shall)(?:,[^,]{1,80},)?\s+(?!not\b)(?:be\s+)?\w+|\b(?:is|are)\s+required\b"
    r"|\b(?:continuing\s+)?duty\s+to\b|\brequires?\b"
)
# A duty no one can excuse: "cannot be waived for a plaintiff proceeding in forma pauperis".
_UNEXCUSED = re.compile(
    r"\b(?:cannot|can't|may not|shall not|must not|will not)\s+be\s+(?:waived|excused)\b"
)
_ANTECEDENT = re.compile(r"(?:\(\w+\)\s*)?(?:if|unless|when|whenever|once)\b")
_STRICKEN = re.compile(
    r"\b(?:may|will|shall)\s+be\s+(?:stricken|struck|disregarded|rejected|returned unfiled)\b"
)
# "No award ... shall be based": a prohibition phrased through its subject (group 1).
_NO_SUBJECT = re.compile(
    r"(?:^(?:\(\w+\)\s*)?|[;:,]\s*)no\s+([\w’'() -]{1,80}?)\s*\b(?:shall|may|must|will)\b"
    r"|\bin no event shall\b"
)
# What may follow from an act: "will be grounds for dismissal", "may result in ... dismissed".
_CONSEQUENCE = re.compile(
    r"\b(?:will|may|shall|can)\s+(?:be\s+(?:the\s+)?grounds?\s+for|result\s+in|lead\s+to)\b"
    r"([^;]{0,160})"
)
_PERMISSIVE = re.compile(r"\bmay\s+(?!not\b)((?:be\s+)?[^,;:.]{1,60})")
# What a stricken paper lacked: "submitted without the required signature(s)".
_MISSING = re.compile(r"\bwithout\s+(?:the\s+|a\s+|an\s+)?(?:required\s+)?([\w()-]+)")
_HOLDER = re.compile(r"\b(?:part(?:y|ies)|plaintiffs?|prisoners?|persons?|litigants?)\b")
_COURT = re.compile(r"\b(?:court|judge|clerk)s?\b")
_UNTIL = re.compile(r"\buntil\b(.*)$")
# Where a prohibition's exception starts: "should not be filed ... unless it is at issue".
_EXCEPTION = re.compile(r"\b(?:unless|except|until|other than|such as when)\b")
_AT_ISSUE = re.compile(r"\bat issue\b|\bproceeding\b")
# What the question may state that puts a paper "at issue" (a motion, hearing or trial).
_PROCEEDINGS = frozenset({"motion", "compel", "hear", "trial", "proceed"})
_NEGATION_WORD = re.compile(r"\b(?:not|no|never|neither|nor|cannot)\b|n't\b")
_MODAL = re.compile(r"\b(?:may|might|can|could|should|must|shall)\b")
_CLAUSE_END = re.compile(r"[;:]")
_PARTY_ACT = re.compile(r"(?:the\s+)?(?:plaintiff|defendant|petitioner|respondent|movant)s?\b")


class Scored(Protocol):
    """A chosen sentence as compose_extractive scores it."""

    text: str
    coverage: float
    cites_asked_rule: bool


def _shares(text: str, wanted: frozenset[str]) -> set[str]:
    return set(terms(text)) & wanted


def _loosely_shares(text: str, wanted: frozenset[str]) -> bool:
    """Some word of `text` and of `wanted` share a stem of four letters ("signature", "sign")."""
    return any(
        min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a))
        for a in terms(text)
        for b in wanted
    )


def _conditions_open(lowered: str, asked: Asked) -> bool:
    """Does some condition in the sentence remain open, i.e. not already stated by the asker?

    "The court may recommend that an action be dismissed ... if a party disobeys an order or the
    Local Rules" is no "it depends" for "Could a judge throw out a lawsuit when the plaintiff
    ignores the court's rules?": the question supplies the condition.
    """
    for match in _CONDITIONAL.finditer(lowered):
        clause = re.split(r"[,;.]", lowered[match.start() :], maxsplit=1)[0]
        needed = set(terms(clause))
        if not needed or not asked.given or len(needed & asked.given) < min(2, len(needed)):
            return True
    return False


def other_act(sentence: str, asked: Asked) -> bool:
    """Does the sentence direct acts, but not the one the question asks about?

    "The parties may plead and conduct their own cases personally or by counsel" permits
    pleading, which decides nothing about having counsel appointed; "Plaintiff is required to
    file an opposition" decides nothing about using a complaint as evidence to oppose (the
    question's first act is its main one). A sentence naming no known act is judged by its words.
    """
    named = ACTIONS & set(terms(sentence))
    if asked.act is not None:
        return bool(named) and asked.act not in named
    wanted = ACTIONS & asked.acted
    return bool(wanted) and bool(named) and not named & wanted


def polarity(sentence: str, question: Asked | frozenset[str]) -> Verdict | None:
    """What one sentence says about the action asked: NO, DEPENDS, YES, or nothing decisive.

    A YES or DEPENDS needs the sentence to direct the act asked (or no act the wording knows).
    """
    asked = question if isinstance(question, Asked) else Asked(frozenset(question))
    found = _polarity(sentence, asked)
    if found is not None and found is not Verdict.NO and other_act(sentence, asked):
        return None
    return found


def _polarity(sentence: str, asked: Asked) -> Verdict | None:
    wanted = asked.terms
    lowered = sentence.lower().replace("’", "'")
    if _ANTECEDENT.match(lowered):
        return None  # "If a document is stapled ..., it will not be filed": a consequence
    if _STRICKEN.search(lowered):
        missing = _MISSING.search(lowered)
        if missing and _loosely_shares(missing.group(1), asked.acted):
            return Verdict.YES  # "submitted without the required signature(s) will be stricken"
        if asked.duty:
            return None  # a paper sent the wrong way is stricken; that is no "you need not"
        return Verdict.NO  # "documents mailed to a judge's chambers ... may be stricken"
    if _UNEXCUSED.search(lowered):
        return Verdict.YES
    negated = False
    for match in _NEGATIVE.finditer(lowered):
        negated = True
        verb = next(g for g in match.groups() if g)
        if not set(terms(verb)) & asked.acted or not _same_object(lowered, match, asked):
            continue  # forbids another act, or the same act done to another thing
        exception = _EXCEPTION.search(lowered, match.end())
        close = _CLAUSE_END.search(lowered, exception.end()) if exception else None
        stated = lowered[exception.end() : close.start() if close else None] if exception else ""
        if stated and _condition_asked(stated, asked, verb):
            return Verdict.DEPENDS  # "unless ... a motion to compel is filed", and it is asked
        return Verdict.NO
    prohibited = _NO_SUBJECT.search(lowered)
    until = _UNTIL.search(lowered)
    # "No action shall be brought ... until ... remedies ... are exhausted": the step named
    # after "until" is required before the forbidden act, so a question about it is a yes.
    before = set(terms(lowered[: until.start()])) if until else set()
    if (negated or prohibited) and until and _shares(until.group(1), asked.acted) - before:
        return Verdict.YES
    if negated and asked.copular and _negated_clause_matches(lowered, wanted):
        return Verdict.NO
    if prohibited and _shares(_head(prohibited.group(1) or ""), asked.acted):
        return Verdict.NO  # "No Federal civil action may be brought ..." for "can I sue ...?"
    if negated and _EXCEPTION.search(lowered):
        return None  # the condition belongs to a prohibition of something else
    if _CONDITIONAL.search(lowered) and _conditions_open(lowered, asked):
        return Verdict.DEPENDS
    if negated or prohibited:
        return None  # forbids something other than what was asked ("may not require counsel")
    duty = _AFFIRMATIVE.search(lowered)
    if duty:
        directed = set(terms(" ".join(lowered[duty.end() :].split()[:5])))
        if asked.act in directed and (directed & ACTIONS) - asked.terms - asked.acted:
            return None  # "is required to file an opposition": the asked act, another paper
        if asked.permission and _PASSIVE_DUTY.search(lowered):
            return None  # "A subpoena must be personally served" says not who may serve it
        return Verdict.YES
    return _possibility(lowered, asked)


def _same_object(lowered: str, match: re.Match[str], asked: Asked) -> bool:
    """Does the prohibition forbid the act done to the thing the question asks about?

    "Correspondence between the parties ... should not be filed" decides "Should I file my letter
    to defense counsel?", never "Can I file a motion to compel?". A prohibition naming only a
    generic thing ("documents"), or a question naming none ("Can I file?"), is not held to it.
    """
    start = max((m.end() for m in _CLAUSE_END.finditer(lowered, 0, match.start())), default=0)
    end = _CLAUSE_END.search(lowered, match.end())
    clause = lowered[start : end.start() if end else len(lowered)]
    exception = _EXCEPTION.search(clause, match.end() - start)
    if exception:
        clause = clause[: exception.start()]
    verb = set(terms(next(g for g in match.groups() if g)))
    forbidden = set(terms(clause)) - verb - GENERIC
    wanted = asked.acted - verb - GENERIC - ({asked.act} if asked.act else set())
    return not forbidden or not wanted or bool(forbidden & wanted)


def _condition_asked(exception: str, asked: Asked, verb: str) -> bool:
    """Does the question state or ask about the exception a prohibition makes ("unless ...")?

    A paper is "at issue" in a "proceeding" such as a motion: "when there is a motion to compel"
    meets "unless and until there is a proceeding in which the document ... is at issue".
    """
    named = set(terms(exception)) - set(terms(verb)) - GENERIC
    if named & (asked.given | asked.terms):
        return True
    return bool(asked.given & _PROCEEDINGS) and bool(_AT_ISSUE.search(exception))


def prohibits_act(sentence: str, asked: Asked) -> bool:
    """Does the sentence forbid the act asked, whatever it is done to?

    For relevance only: what may not be filed answers much of "Can I send letters to defense
    counsel?" (they go to counsel, not to the court), though it decides nothing about sending.
    """
    acts = asked.acted | ({"file"} if "send" in asked.acted else set())
    lowered = sentence.lower().replace("’", "'")
    return any(
        set(terms(next(g for g in m.groups() if g))) & acts for m in _NEGATIVE.finditer(lowered)
    )


def _head(phrase: str) -> str:
    """The noun a "No ..." prohibition forbids: "award" of "award of attorney's fees in ..."."""
    return re.split(r"\b(?:of|for|in|by|with|to|under|against|on)\b", phrase, maxsplit=1)[0]


def _negated_clause_matches(lowered: str, wanted: frozenset[str]) -> bool:
    """Does a clause holding a negation share enough words with the question to be about it?"""
    for clause in _CLAUSE_END.split(lowered):
        if _NEGATIVE.search(clause) and len(_shares(clause, wanted)) >= NEGATED_CLAUSE_MATCHES:
            return True
    return False


def _possibility(lowered: str, asked: Asked) -> Verdict | None:
    """ "may" and "will be grounds for": what can happen, or what the court may allow."""
    consequence = _CONSEQUENCE.search(lowered)
    if consequence and not asked.by_asker and _shares(consequence.group(1), asked.terms):
        return Verdict.YES  # "Can my case be dismissed ...?" / "... will be grounds for dismissal"
    permitted = _PERMISSIVE.search(lowered)
    if not permitted:
        return None
    if not _shares(permitted.group(1), asked.terms):
        return None  # "An answer ... may be used ..." says nothing about answering under oath
    # "The court may request an attorney": the court's discretion, so it depends; "the parties
    # may plead and conduct their own cases personally": a permission the asker holds.
    actor = " ".join(lowered[: permitted.start()].rsplit(",", 1)[-1].split()[-3:])
    return Verdict.YES if _HOLDER.search(actor) and not _COURT.search(actor) else Verdict.DEPENDS


def _asserts(sentence: str, asked: Asked) -> bool:
    """A plain statement (no negation, condition or modal) answering a question about what is so.

    What one party did ("Plaintiff requests appointment of counsel based on ...") states no rule.
    """
    lowered = sentence.lower()
    return (
        not asked.by_asker
        and not _PARTY_ACT.match(lowered)
        and not _ANTECEDENT.match(lowered)
        and not _NEGATION_WORD.search(lowered)
        and not _CONDITIONAL.search(lowered)
        and not _MODAL.search(lowered)
    )


def find_verdict(question: str, chosen: Iterable[Scored]) -> Verdict | None:
    """The short answer the chosen sentences (best first) support, never the question alone.

    A "no" must forbid the very action asked (its verb, or a clause about the asked matter); a
    "yes" or "depends" counts only from a sentence that matches the question strongly
    (VERDICT_COVERAGE) or comes from the rule the question names, so a directive about a
    neighbouring matter never becomes the short answer.
    """
    if not is_decision_question(question):
        return None
    asked = read_question(question)
    said = [(_decides(cand, asked), cand) for cand in chosen]
    decided = [(found, cand) for found, cand in said if found is not None]
    if not decided:
        return None
    found, cand = decided[0]
    if found is not Verdict.DEPENDS and asked.stated and not _addresses(cand.text, asked.stated):
        return None  # decides the act, but not in the circumstances the question states
    if any(
        {found, other} == {Verdict.YES, Verdict.NO} and rival.coverage >= cand.coverage
        for other, rival in decided[1:]
    ):
        return None  # an as strong sentence points the other way
    return found


def _decides(cand: Scored, asked: Asked) -> Verdict | None:
    """What one chosen sentence decides for the question, if it may decide it at all."""
    found = polarity(cand.text, asked)
    if found is Verdict.NO:  # already tied to the asked action by its verb
        return found
    if found and (cand.coverage >= VERDICT_COVERAGE or cand.cites_asked_rule):
        return found
    if (
        found is None
        and cand.coverage >= ASSERTION_COVERAGE
        and _asserts(cand.text, asked)
        and not other_act(cand.text, asked)
    ):
        return Verdict.YES  # the source states what was asked, as asked
    return None


def _addresses(sentence: str, stated: frozenset[str]) -> bool:
    """Does the sentence speak to at least half of the circumstances the question states?

    "If a prisoner brings a civil action ... in forma pauperis, the prisoner shall be required
    to pay the full amount of a filing fee" says nothing of "if I already got three strikes".
    """
    words = set(terms(sentence))
    met = {
        s
        for s in stated
        if s in words
        or any(min(len(s), len(w)) >= 4 and (s.startswith(w) or w.startswith(s)) for w in words)
    }
    return 2 * len(met) >= len(stated)
