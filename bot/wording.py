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
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# Words people use for the same procedural thing; each maps to one concept term.
_CONCEPTS = {
    "counsel": "lawyer attorney attorny lawer counsel advocate representation",
    "correspondence": "letter correspondence communication",
    "discovery": "discovery discovry interrogatory admission production deposition disclosure",
    "file": "file submit send lodge",
    "court": "court judge clerk",
    "address": "address move relocate transfer parole",
    "notify": "tell notify advise inform apprise update",
    "modify": "modify change amend alter extend extension",
    "schedule": "schedule scheduling deadline",
    "oppose": "oppose opposition object objection respond",
    "settlement": "settle settlement negotiation",
    "appoint": "appoint appointment",
    "prisoner": "prisoner inmate incarcerate",
    "waive": "waive waiver forfeit relinquish",
    "prohibit": "prohibit stop bar prevent preclude",
    "comply": "comply follow obey disobey",
    "action": "action sue suing sued suit lawsuit",
    "confer": "confer",
}
# Everyday phrases whose words alone mean something else ("give up" is not "give").
_PHRASES = {
    r"\bgive(?:s|n)? up\b|\bgiving up\b|\bgave up\b": "waive",
    r"\bwork(?:ing|ed)? (?:it |things |this )?out\b|\btalk(?:ing)? (?:it )?over\b": "confer",
    r"\bifp\b|\bin forma pauperis\b|\bpauper\b": "forma pauperis",
    r"\brepresent(?:ing)? (?:myself|yourself|himself|herself)\b|\bpro se\b": "personally",
}
_PHRASE_PATTERNS = [(re.compile(p, re.IGNORECASE), word) for p, word in _PHRASES.items()]


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


def with_phrases(text: str) -> str:
    """`text` with everyday phrases replaced by the one word they mean ("give up" -> "waive")."""
    for pattern, word in _PHRASE_PATTERNS:
        text = pattern.sub(word, text)
    return text


def terms(text: str, vocabulary: Sequence[str] = ()) -> list[str]:
    """Content terms of `text`: stems mapped to concepts; misspellings snapped to `vocabulary`."""
    found = []
    for word in re.findall(r"[a-z0-9]+", with_phrases(text.lower().replace("’", "'"))):
        if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        root = stem(word)
        term = _CONCEPT_OF.get(root, root)
        if vocabulary and term not in vocabulary and len(term) >= 5 and not term.isdigit():
            close = difflib.get_close_matches(term, vocabulary, n=1, cutoff=0.82)
            term = close[0] if close else term
        found.append(term)
    return found


def concept_words(text: str) -> list[str]:
    """The court's words for the everyday ones in `text` ("moved" -> "address", "lawyer" ->
    "counsel", "IFP" -> "forma pauperis"), so a retriever also finds passages in its vocabulary."""
    found = []
    lowered = text.lower()
    for pattern, word in _PHRASE_PATTERNS:
        if pattern.search(lowered) and word not in found:
            found.append(word)
    for word in re.findall(r"[a-z]+", lowered):
        if word in STOPWORDS:
            continue  # "not" would otherwise meet the stem of "note"
        root = stem(word)
        concept = _CONCEPT_OF.get(root)
        if concept and concept != root and concept not in found:
            found.append(concept)
    return found
