"""Text primitives every stage shares: the sentence splitter, stemmer, stop words, containment."""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

import Stemmer

#: The stop-word list is data: one word per line in stopwords.txt beside this module.
STOPWORDS_FILE = Path(__file__).with_name("stopwords.txt")

# A list item opens with its mark: "(A)", "(1)", "(iv)", "1.", "a." (rule text and orders alike).
_LIST_MARK = re.compile(r"\s*(?:\((?:[a-zA-Z]{1,4}|\d{1,2})\)|\d{1,2}\.|[a-z]\.)\s")
# A span that ends in a bare list mark ("ORDERED that: 1.", "2.") belongs to the next one.
_TRAILING_MARK = re.compile(r"(?:^|[:;]\s*)(?:\((?:[a-zA-Z]{1,4}|\d{1,2})\)|\d{1,2}\.|[a-z]\.)$")
# A record or short-form citation standing alone ("(ECF No. 48.)", "(Id.)", "Id. at 3.") is
# the source of the sentence before it, not a sentence of its own.
_TRAILING_CITE = re.compile(
    r"\((?:[^()]|\([^()]*\)){1,80}\)\.?|(?:Id|Ibid)\.(?: at [\w:*,–-]+\.?)?"
)
# ... and so is one that opens the next span: "(Doc. 1.) This action now proceeds ...", "Id. The".
_LEADING_CITE = re.compile(
    r"\((?:[^()]|\([^()]*\)){1,80}(?:\.\)|\)\.)(?=\s)"
    r"|(?:Id|Ibid)\.(?: at [\w:*,–-]+\.)?(?=\s+[\"“(]?[A-Z])"
)
#: A quotation is kept whole with its sentence up to this length: nupunkt ends sentences inside
#: quotations ('"Opposition, if any, shall be served. Failure ..." Id.'), but a quote is cited
#: as one piece; an unbalanced quote mark (a typo, an inch mark) stops merging here.
MAX_QUOTED_CHARS = 800
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_SPACE = re.compile(r"\s+")
# A word broken at a line end by a hyphen: "discov- ery" (pdf text and scanned orders).
_HYPHEN_BREAK = re.compile(r"(\w)-\s+(?=[a-z])")

# PyStemmer objects keep a cache and are not safe to share between threads; the bot answers
# chats from a thread pool.
_local = threading.local()


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`, surrounding space excluded.

    nupunkt, a Punkt model trained on legal text, decides the boundaries (citations such as
    "Fed. R. Civ. P. 5(d)" and "F.3d 1015" stay whole). A sentence that ends with a colon keeps
    the list it introduces: "must: (A) ...; (B) ..." is one sentence, never a dangling lead-in.
    A quotation of several sentences stays in the sentence that quotes it.
    """
    if not text.strip():
        return []
    spans = []
    for start, end in _spans(text):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        lead = _LEADING_CITE.match(text, start, end)
        if merged and lead and lead.end() < end:
            merged[-1] = (merged[-1][0], lead.end())
            start = lead.end()
            while text[start].isspace():
                start += 1
        previous = text[merged[-1][0] : merged[-1][1]] if merged else ""
        current = text[start:end]
        if merged and (
            _TRAILING_MARK.search(previous)
            or _introduces_list(previous, current)
            or _TRAILING_CITE.fullmatch(current)
            or (_open_quote(previous) and end - merged[-1][0] <= MAX_QUOTED_CHARS)
        ):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _open_quote(span: str) -> bool:
    """Does the span open a quotation it does not close? (Its rest is in the next span.)"""
    return span.count('"') % 2 == 1 or span.count("“") > span.count("”")


def _spans(text: str) -> list[tuple[int, int]]:
    import nupunkt

    return [tuple(span) for span in nupunkt.sent_spans(text)]


def _introduces_list(previous: str, following: str) -> bool:
    """Does `following` continue the list that `previous` introduces or is in the middle of?"""
    if not _LIST_MARK.match(" " + following):
        return False
    tail = previous.rstrip("\"'”’)] ")
    # The lead-in ends with a colon; an item that ends with ";" or "; and" or "; or" goes on.
    return tail.endswith((":", ";", "; and", "; or", ", and", ", or")) or bool(
        _LIST_MARK.match(" " + previous) and not tail.endswith((".", "?", "!"))
    )


def sentences(text: str) -> list[str]:
    """The sentences of `text` as strings (see split_sentences)."""
    return [text[start:end] for start, end in split_sentences(text)]


def _stemmer() -> Stemmer.Stemmer:
    stemmer = getattr(_local, "english", None)
    if stemmer is None:
        stemmer = _local.english = Stemmer.Stemmer("english")
    return stemmer


def stem(word: str) -> str:
    """The Snowball English stem of one lowercase word ("filing", "filed" -> "file")."""
    return _stemmer().stemWord(word)


def stems(words: list[str]) -> list[str]:
    """Snowball English stems of many words at once (faster than one by one)."""
    return _stemmer().stemWords(words)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """The one stop-word list (stopwords.txt)."""
    lines = STOPWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.lstrip().startswith("#"))


def words(text: str) -> list[str]:
    """Lowercase words of `text` (letters and digits; "don't" is one word)."""
    return [w.replace("’", "'") for w in _WORD.findall(text.lower())]


def content_stems(text: str) -> list[str]:
    """Stems of the words of `text` that are not stop words, in order."""
    stop = stop_words()
    kept = [w for w in words(text) if w not in stop and (len(w) > 1 or w.isdigit())]
    return stems(kept)


def fold(text: str) -> str:
    """`text` folded for verbatim comparison: case, quotes, dashes, spaces and hyphen breaks."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = text.replace("–", "-").replace("—", "-")
    text = _HYPHEN_BREAK.sub(r"\1", text)
    return _SPACE.sub(" ", text).strip().lower()


def contains_text(haystack: str, needle: str) -> bool:
    """Is `needle` found verbatim in `haystack`, folded the same way (see fold)?

    The one containment rule for quotations and anchors: "should not be filed" is in
    "...should not  be\\nfiled with the court", "Should Not Be Filed" too; "not filed" is not.
    """
    folded = fold(needle).strip(" .,;:")
    return bool(folded) and folded in fold(haystack)
