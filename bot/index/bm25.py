"""BM25 over passages: the one tokenizer (words plus Snowball stems) for indexing and queries."""

from __future__ import annotations

import threading

import bm25s
import Stemmer

from bot.core.errors import InputError

#: BM25 tokens: lowercase words of 2+ letters/digits, English stopwords removed; each word is
#: kept as written and also as its Snowball English stem, marked STEM_MARK. The stem lets a plain
#: "exhausting" or "opposing" meet the court's "exhausted" or "opposed"; the word as written
#: keeps exact wording ranked first (stems alone cost hybrid recall on the dev set). Every
#: generation records this in its meta; one built another way must be rebuilt.
BM25_TOKENIZER = {"lower": True, "stopwords": "en", "stemmer": "snowball-english", "keep": "word"}
STEM_MARK = "~"  # never produced by the word pattern, so a stem never collides with a word

# PyStemmer objects keep a cache and are not safe to share between threads; the bot answers
# chats from a thread pool.
_stemmers = threading.local()


def _stemmer() -> Stemmer.Stemmer:
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        stemmer = _stemmers.english = Stemmer.Stemmer("english")
    return stemmer


def bm25_tokens(texts: list[str]) -> list[list[str]]:
    """Each text's tokens with the one tokenizer every generation and every query uses."""
    words = bm25s.tokenize(
        texts,
        lower=BM25_TOKENIZER["lower"],
        stopwords=BM25_TOKENIZER["stopwords"],
        return_ids=False,
        show_progress=False,
    )
    stemmer = _stemmer()
    tokens = []
    for found in words:
        stems = stemmer.stemWords(found)
        tokens.append(
            [t for w, stem in zip(found, stems, strict=True) for t in (w, STEM_MARK + stem)]
        )
    return tokens


def query_tokens(query: str) -> list[str]:
    """A query's BM25 tokens; the index maps them to its own vocabulary."""
    return bm25_tokens([query])[0]


def build_bm25(texts: list[str]) -> bm25s.BM25:
    tokens = bm25_tokens(texts)
    if not any(tokens):
        raise InputError(
            "The files hold no searchable words (only stopwords or symbols); "
            "the previous index is still in use."
        )
    bm25 = bm25s.BM25()
    bm25.index(tokens, show_progress=False)
    return bm25
