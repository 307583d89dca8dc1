"""What a question asks: whether it wants a yes/no decision, its terms, circumstances and act."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answer.wording import ACTIONS, GENERIC, SAID_TO_PROCBOT, terms

_DECISION = re.compile(
    r"^\s*(?:(?:so|and|but|ok|okay|also|then|well)[,\s]+)?"
    r"(?:should|can|could|may|must|shall|do|does|did|is|am|are|will|would|have|has|need)\b",
    re.IGNORECASE,
)
_WHETHER = re.compile(r"(?:if|whether)\s+(?:i|we)\b", re.IGNORECASE)
_WH = re.compile(r"(?:what|how|when|where|why|which|who|whom|whose)\b", re.IGNORECASE)
_SUBJECT_MODAL = re.compile(
    r"\b(?:should|can|could|may|must|shall|do|does|am|will|would|need)\s+(?:i|we)\b"
    r"|\bis it (?:ok|okay|alright|allowed|legal|required)\b|\bam i allowed\b"
    r"|\bdo i (?:have|need|got) to\b",
    re.IGNORECASE,
)
# "Can I ...?" asks about the asker's own act; "Can my case be dismissed?" asks what may happen.
_BY_ASKER = re.compile(
    r"\b(?:should|can|could|may|must|shall|do|am|will|would|need)\s+(?:i|we)\b(?!\s+be\s+\w+ed\b)"
    r"|\bi\s+(?:have|need|got)\s+to\b",
    re.IGNORECASE,
)
# Clauses that set the scene of the asked act rather than name it ("before I file a motion").
_CIRCUMSTANCE = (
    r"if|when|because|since|before|after|until|once|while|for not|for failing to|for failure to"
)
_SCENE = re.compile(
    rf"\b(?:{_CIRCUMSTANCE}|although|even though|even if)\b[^,.;?!]*",
    re.IGNORECASE,
)
# Every circumstance the question states, "before I finish my appeal" included: a sentence that
# decides the act but not these circumstances decides another case than the asker's. "Even if"
# and "although" concede a circumstance a general rule already covers ("even though I paid").
_STATED = re.compile(
    rf"(?<!even )\b(?:{_CIRCUMSTANCE}|without)\b([^,.;?!]*)",
    re.IGNORECASE,
)
# Where the question's own ask starts: "I mailed it to them, do I also have to file it?" asks
# about filing; the mailing is what happened.
_ASK = re.compile(
    r"\b(?:do|does|did|should|can|could|may|must|shall|will|would|am|is|are|need)\s+"
    r"(?:i|we|you|he|she|they|it|the\s+\w+)\b(?:\s+(?:also|still|really|even))?"
    r"(?:\s+(?:have|need|got)\s+to)?|\b(?:have|need|got) to\b",
    re.IGNORECASE,
)
# "Can I ...?", "Am I allowed ...?": permission asked, which a duty in the passive ("must be
# personally served") does not grant to the asker.
_PERMISSION = re.compile(
    r"\b(?:can|could|may)\s+(?:i|we)\b|\bam i allowed\b|\bis it (?:ok|okay|alright|allowed)\b",
    re.IGNORECASE,
)
# "Do I have to ...?", "must I": a duty asked, which a rule striking a paper sent the wrong way
# does not deny.
_DUTY = re.compile(
    r"\b(?:have|need|got|required)\s+to\b|\bmust\s+(?:i|we)\b|\b(?:hafta|gotta)\b",
    re.IGNORECASE,
)
# Contractions typed without an apostrophe carry no circumstance ("if i wasnt physically hurt").
_CONTRACTIONS = frozenset(
    [
        "wasnt",
        "werent",
        "didnt",
        "dont",
        "doesnt",
        "havent",
        "hasnt",
        "hadnt",
        "cant",
        "wont",
        "isnt",
        "arent",
        "im",
        "ive",
        "id",
        "ill",
    ]
)
_COPULAR = re.compile(r"(?:^|[,.;]\s*)(?:is|are|was|were)\b", re.IGNORECASE)
# The circumstances the question itself states ("if I wasn't diligent", "for not following").
_GIVEN = re.compile(
    r"\b(?:if|when|because|since|although|even though|even if|for not|for failing to"
    r"|for failure to)\b([^,.;?!]*)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Asked:
    """What a decision question asks, as far as reading the sources' sentences needs."""

    terms: frozenset[str]  # content terms of the whole question
    given: frozenset[str] = frozenset()  # terms of the circumstances the question states
    by_asker: bool = True  # "Can I ...": the asker's own act, not what may happen to them
    action: frozenset[str] | None = None  # terms of the main clause, without "before I file ..."
    copular: bool = False  # "Is X enough ...?": asks whether something is so, names no act
    act: str | None = None  # the first procedural act the main clause names ("sign", "appoint")
    stated: frozenset[str] = frozenset()  # specific terms of every circumstance the question states
    permission: bool = False  # "Can I ...?": asks leave, not a duty
    duty: bool = False  # "Do I have to ...?": asks a duty, not leave

    @property
    def acted(self) -> frozenset[str]:
        return self.terms if self.action is None else self.action


def is_decision_question(question: str) -> bool:
    """Does the question ask for a yes/no decision ("Should I ...?", "Can I ...?")?

    Any clause may ask it ("My cellmate took my papers, can I get more time?"); markup and
    words in other languages before it do not hide it. Clauses starting "what"/"how" do not,
    nor does "Can you tell me how ...?", while "Can you tell me if I ...?" does.
    """
    plain = SAID_TO_PROCBOT.sub(" ", re.sub(r"<[^>]*>|[*_`#>]", " ", question))
    for clause in re.split(r"[.?!;¿¡,]", plain):
        clause = clause.strip()
        if not clause or _WH.match(clause):
            continue
        if _DECISION.search(clause) or _SUBJECT_MODAL.search(clause) or _WHETHER.match(clause):
            return True
    return False


def main_clause(question: str) -> str:
    """The question without the clauses that set its scene ("... if I am in prison")."""
    return _SCENE.sub(" ", question)


def read_question(question: str) -> Asked:
    """The question's terms, the circumstances it states, and whose act it asks about."""
    given = {t for m in _GIVEN.finditer(question) for t in terms(m.group(1), question=True)}
    main = terms(main_clause(question), question=True)
    action = frozenset(main)
    ask = _ASK.search(main_clause(question))
    asked_part = terms(main_clause(question)[ask.end() :], question=True) if ask else []
    stated = (
        {t for m in _STATED.finditer(question) for t in terms(m.group(1), question=True)}
        - GENERIC
        - _CONTRACTIONS
    )
    return Asked(
        frozenset(terms(question, question=True)),
        frozenset(given),
        bool(_BY_ASKER.search(question)),
        action or None,
        bool(_COPULAR.search(question.strip())),
        next((t for t in (*asked_part, *main) if t in ACTIONS), None),
        frozenset(stated - set(asked_part)),
        bool(_PERMISSION.search(question)),
        bool(_DUTY.search(question)),
    )
