"""Sentence roles: what each sentence of a court text is, decided from its form at index time."""

from __future__ import annotations

import re

from bot.core.text import split_sentences
from bot.core.types import DocKind, SentenceSpan

# Only "body" sentences are ever quoted as an answer; the rest are a document's furniture or its
# record. The features are general ones of court text (capitals, dates, record citations, the
# shape of a signature block), never words of any question.
BODY = "body"
CAPTION = "caption"  # court, parties and case number at the head of an order
HEADING = "heading"  # titles and section headings ("ORDER", "I. BACKGROUND")
DOCKET = "docket"  # the clerk's docket entry for the order
DATE = "date"  # a date and little else ("Dated: May 1, 2020")
HISTORY = "history"  # what happened earlier in the case, or a rule's amendment history
FOOTNOTE = "footnote"  # footnote text or a stray footnote number
SIGNATURE = "signature"  # "IT IS SO ORDERED", "/s/ ...", the judge's title
LEAD_IN = "lead_in"  # "... must:" whose list is not in the passage
FRAGMENT = "fragment"  # starts in lower case: a list item whose lead-in is elsewhere, or a cut

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
# "On March 29, 2011, plaintiff filed ...": the sentence reports the case's own history.
_DATED_EVENT = re.compile(rf"^(?:On|By)\s+(?:or about\s+)?{_MONTH}\s+\d")
# "Plaintiff filed a motion ... (ECF No. 48)": a party's past act, cited to the record or dated.
_PARTY_ACT = re.compile(
    r"^(?:The\s+|On\s+\S+\s+\S+\s+\S+\s+)?(?:plaintiff|defendants?|petitioner|respondents?|movant)s?"
    r"(?:'s?)?\s+(?:\w+\s+)?\w+ed\b",
    re.IGNORECASE,
)
_RECORD_CITE = re.compile(r"\((?:ECF|Doc|Dkt|Docket)\b|\b(?:ECF|Dkt)\.?\s+No", re.IGNORECASE)
_DATE_IN = re.compile(rf"{_MONTH}\s+\d{{1,2}},\s+\d{{4}}|\b(?:19|20)\d\d\b")
_AMENDMENTS = re.compile(r"^\(?(?:As\s+)?(?:added|amended|eff\.)\b", re.IGNORECASE)
_SIGNATURE = re.compile(r"/s/|\bIT IS SO ORDERED\b|\bMAGISTRATE JUDGE$|\bDISTRICT JUDGE$")
_FOOTNOTE = re.compile(r"^\d{1,2}\s+(?!(?:days?|weeks?|months?|years?|hours?)\b)[A-Za-z][a-z]")
_DOCKET_NUMBER = re.compile(r"\b\d:\d{2}-[a-z]{2}-\d+|\bCIV\s+S-\d", re.IGNORECASE)
# A caption names the parties: "DANIEL MASTERSON, Plaintiff, VS. SUZANNE KILLEN".
_PARTIES = re.compile(
    r"\b(?:v|vs)\.\s|\b(?:Plaintiffs?|Defendants?|Petitioners?|Respondents?)[,.]", re.I
)
_DATE_WORDS = re.compile(rf"{_MONTH}|\bdated\b|\bday of\b|\d+(?:st|nd|rd|th)?", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]")
# Where a heading run that extraction glued to the first sentence ends: capitals, numbers and
# record citations ("1:11-cv-01179 ORDER RE PLAINTIFF'S REQUEST (Doc. 43.)").
_HEADING_RUN = re.compile(
    r"(?:(?:[A-Z][A-Z'’.,&-]+|\d[\w:-]*|\((?:Doc|ECF|Dkt)[^)]{0,20}\)\.?|[:;,.&-]"
    r"|v\.|VS?\.|et al\.,?)\s+)+"
)


def _upper_share(text: str) -> float:
    letters = _LETTERS.findall(text)
    return sum(c.isupper() for c in letters) / len(letters) if letters else 1.0


def sentence_role(text: str, kind: DocKind, docket: bool = False) -> str:
    """The role of one sentence of a passage (see the roles above)."""
    if docket:
        return DOCKET
    if _SIGNATURE.search(text):
        return SIGNATURE
    words = text.split()
    if _upper_share(text) > 0.5:
        return CAPTION if _DOCKET_NUMBER.search(text) or _PARTIES.search(text) else HEADING
    if len(_DATE_WORDS.sub(" ", text).split()) <= 2 and _DATE_IN.search(text):
        return DATE
    if _AMENDMENTS.match(text):
        return HISTORY
    if kind is DocKind.ORDER:
        if _FOOTNOTE.match(text):
            return FOOTNOTE
        if _DATED_EVENT.match(text):
            return HISTORY
        if _PARTY_ACT.match(text) and (_RECORD_CITE.search(text) or _DATE_IN.search(text)):
            return HISTORY
    if text[:1].islower():
        return FRAGMENT
    if len(words) < 4 or not text.rstrip("\"'”’)] ").endswith((".", "?", "!", ":", ";")):
        return HEADING  # a title, or a fragment cut where a chunk ends
    if text.rstrip("\"'”’)] ").endswith(":"):
        return LEAD_IN  # its list is in another passage
    return BODY


def sentence_spans(text: str, kind: DocKind, docket: bool = False) -> tuple[SentenceSpan, ...]:
    """The sentences of a passage with their roles; a heading run glued to the front of the
    first sentence of an order is split off as a heading of its own."""
    spans: list[SentenceSpan] = []
    for start, end in split_sentences(text):
        if kind is DocKind.ORDER and not docket and _upper_share(text[start:end]) <= 0.5:
            run = _HEADING_RUN.match(text, start, end)
            # A run holding a word in capitals, followed by a new capitalized sentence, is a
            # heading: "ORDER On June 6, ...". "IT IS ORDERED that ..." goes on: no heading.
            if (
                run
                and run.end() < end
                and re.search(r"\b[A-Z]{2,}\b", text[start : run.end()])
                and text[run.end()].isupper()
            ):
                head_end = len(text[: run.end()].rstrip())
                spans.append(SentenceSpan(start, head_end, HEADING))
                start = run.end()
        spans.append(SentenceSpan(start, end, sentence_role(text[start:end], kind, docket)))
    return tuple(spans)
