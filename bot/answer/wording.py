"""Content words of questions and sources: stems, everyday phrases and the court's concepts."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

_STOPWORD_TEXT = (
    "a an the and or nor but if then than so as at by for from in into of on onto to with without "
    "about over under up out off i me my mine myself you your we our us he him his she her they "
    "them their it its this that these those there here what which who whom whose when where why "
    "how is am are was were be been being do does did done doing have has had having get got gets "
    "getting can could may might must shall should will would need not no yes ok okay please pls "
    "any all some such also just like want allowed able thing things anything something there "
    "rule rules even though still before after because wasn isn don dont doesn didn aren won cant"
    " happen happens happened mean means say says said know"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# Words people use for the same procedural thing; each maps to one concept term.
_CONCEPTS = {
    "counsel": "lawyer attorney attorny lawer counsel advocate representation",
    "correspondence": "letter correspondence communication",
    "discovery": "discovery discovry interrogatory admission production deposition disclosure",
    # Sending papers to the other side is not filing; sending them to the court is (a phrase).
    "file": "file submit lodge",
    "send": "send mail",
    "court": "court judge clerk",
    "address": "address move relocate transfer parole",
    "notify": "tell notify advise inform apprise update",
    "modify": "modify modification change amend alter extend extension",
    "schedule": "schedule scheduling",
    "oppose": "oppose opposition object objection respond",
    "settlement": "settle settlement negotiation",
    "appoint": "appoint appointment",
    "prisoner": "prisoner inmate incarcerate prison jail",
    "waive": "waive waiver forfeit relinquish",
    "prohibit": "prohibit stop bar prevent preclude",
    "comply": "comply follow obey disobey ignore",
    "action": "action sue suing sued suit lawsuit",
    "confer": "confer",
    "serve": "serve service",
    "plead": "plead pleading",
    "dismiss": "dismiss dismissal",
    "exhaust": "exhaust exhaustion",
    "sign": "sign signature",
    "use": "use used using",
}
# Concepts that name a procedural act: a directive answers a question only about the same act.
_ACTION_WORDS = (
    "file serve oppose appoint waive modify notify confer plead personally dismiss exhaust sign "
    "comply settlement answer compel appeal action use send"
)
ACTIONS = frozenset(_ACTION_WORDS.split())
# Words that nearly every passage of a prisoner's civil-rights case shares: they never tell what
# a question asks about ("deadline to oppose a motion if I am in prison" asks about opposing).
_GENERIC_WORDS = (
    "court motion case deadline prisoner plaintiff defendant party order time day law federal "
    "civil claim document paper"
)
# The court's own words for a concept, added to search queries: BM25 matches words exactly, so
# "oppose" alone never reaches "Opposition, if any, ... shall be served and filed".
_COURT_WORDS = {
    "oppose": "opposition",
    "appoint": "appointment",
    "counsel": "counsel attorney",
    "waive": "waiver",
    "modify": "modify modification",
    "notify": "notice",
    "dismiss": "dismissal",
    "exhaust": "exhaustion",
}
# Two concepts that together are one thing the court names its own way: a lawyer "appointed" is
# "appointment of counsel" in orders and "request an attorney" in 28 U.S.C. § 1915(e)(1), while
# "appointment" alone pulls in class counsel and masters (Fed. R. Civ. P. 23(g), 53).
_COURT_PHRASES = {
    frozenset({"appoint", "counsel"}): "appointment of counsel request an attorney",
}
# Everyday phrases whose words alone mean something else ("give up" is not "give").
_PHRASES = {
    r"\bgive(?:s|n)? up\b|\bgiving up\b|\bgave up\b": "waive",
    r"\bwork(?:ing|ed)? (?:it |things |this )?out\b|\btalk(?:ing)? (?:it )?over\b": "confer",
    r"\bifp\b|\bin forma pauperis\b|\bpauper\b": "forma pauperis",
    r"\b(?:more|extra|additional) time\b": "extension",
    # What a judge tells a party to do is an order ("instructions" alone are a jury's).
    r"\b(?:court|judge)(?:'s|s'|’s)?\s+(?:instructions|directions)\b"
    r"|\binstructions\s+(?:the\s+)?(?:judge|court)\s+gave\b": "court order",
    # "send my discovery to the judge" is filing it; "send letters to defense counsel" is not.
    r"\b(?:send|sent|sending|sends|mail|mailed|mailing)\b(?=[^.?!;]{0,40}?\bto\s+(?:the\s+|a\s+)?"
    r"(?:judge|court|clerk|magistrate)s?\b)": "file",
    r"\brepresent(?:ing)? (?:myself|yourself|himself|herself)\b|\bpro se\b": "personally",
    # 28 U.S.C. § 1915(e)(1) "may request an attorney": how a federal court appoints counsel.
    r"\brequest(?:s|ed|ing)? (?:an attorney|counsel|the (?:voluntary )?assistance of counsel)\b": (
        "appoint counsel"
    ),
}
_PHRASE_PATTERNS = [(re.compile(p, re.IGNORECASE), word) for p, word in _PHRASES.items()]
# "Can you tell me how ...?" is said to procbot: no one is notified of anything.
SAID_TO_PROCBOT = re.compile(
    r"\b(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+)?(?:tell|explain(?:\s+to)?|show)"
    r"\s+me\b",
    re.IGNORECASE,
)


def stem(word: str) -> str:
    """Crude suffix stripping so "file", "filed", "filing" and "files" meet."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)]
            if suffix in ("ing", "ed") and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # "stopped", "submitted": the doubled consonant is spelling
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


_CONCEPT_OF = {stem(w): c for c, words in _CONCEPTS.items() for w in words.split()}
GENERIC = frozenset(_CONCEPT_OF.get(stem(w), stem(w)) for w in _GENERIC_WORDS.split())
CONCEPTS = frozenset(_CONCEPTS)


def with_phrases(text: str) -> str:
    """`text` with everyday phrases replaced by the one word they mean ("give up" -> "waive")."""
    for pattern, word in _PHRASE_PATTERNS:
        text = pattern.sub(word, text)
    return SAID_TO_PROCBOT.sub(" ", text)


def terms(text: str, vocabulary: Sequence[str] = (), question: bool = False) -> list[str]:
    """Content terms of `text`: stems mapped to concepts. A `question` (or text read against the
    sources' `vocabulary`) also has misspellings snapped to concepts and to that vocabulary."""
    found = []
    for word in re.findall(r"[a-z0-9]+", with_phrases(text.lower().replace("’", "'"))):
        if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        root = stem(word)
        # Only a question (read against a vocabulary) is checked for misspelled concepts.
        term = (_concept(word) if vocabulary or question else _CONCEPT_OF.get(root)) or root
        if vocabulary and term not in vocabulary and len(term) >= 5 and not term.isdigit():
            close = difflib.get_close_matches(term, vocabulary, n=1, cutoff=0.82)
            term = close[0] if close else term
        found.append(term)
    return found


def _concept(word: str) -> str | None:
    """The concept an everyday word names, its misspellings too ("apointed" -> "appoint")."""
    root = stem(word)
    concept = _CONCEPT_OF.get(root)
    if concept is None and len(root) >= 5:
        # 0.88: "apoint" is "appoint" (0.92), but "sanction" is not "action" (0.86).
        close = difflib.get_close_matches(root, list(_CONCEPT_OF), n=1, cutoff=0.88)
        concept = _CONCEPT_OF[close[0]] if close else None
    return concept


def concept_words(text: str) -> list[str]:
    """The court's words for the everyday ones in `text` ("moved" -> "address", "lawyer" ->
    "counsel", "IFP" -> "forma pauperis"), so a retriever also finds passages in its vocabulary."""
    lowered = SAID_TO_PROCBOT.sub(" ", text.lower())
    found = [word for pattern, word in _PHRASE_PATTERNS if pattern.search(lowered)]
    named: dict[str, str] = {}  # concept -> the stem of the word that named it
    for word in re.findall(r"[a-z]+", lowered):
        if word in STOPWORDS:
            continue  # "not" would otherwise meet the stem of "note"
        concept = _concept(word)
        if concept is not None:
            named.setdefault(concept, stem(word))
    phrased: set[str] = set()
    for pair, phrase in _COURT_PHRASES.items():
        if pair <= set(named):
            found.append(phrase)
            phrased |= pair
    for concept, root in named.items():
        if concept in phrased:
            continue
        found.extend(w for w in (concept, *_COURT_WORDS.get(concept, "").split()) if w != root)
    return list(dict.fromkeys(found))
