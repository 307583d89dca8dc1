"""Follow-up questions about an uploaded order: the order's own sentences that answer them."""

from __future__ import annotations

from bot.reader.extract import Found, sentences
from bot.reader.read import ReadOrder

#: Sentences of the order quoted for one question.
TOP = 3


def from_order(order: ReadOrder, question: str, k: int = TOP) -> list[Found]:
    """The order's sentences that best match `question` (BM25, the index's own tokenizer),
    in the order's sequence; empty when none shares a word with it."""
    import bm25s

    from bot.index.bm25 import bm25_tokens

    found = [s for s in sentences(order.text) if len(s.text) > 20]
    if not found:
        return []
    corpus = bm25_tokens([s.text for s in found])
    query = bm25_tokens([question])[0]
    if not query or not any(corpus):
        return []
    bm25 = bm25s.BM25()
    bm25.index(corpus, show_progress=False)
    vocabulary = {t for tokens in corpus for t in tokens}
    known = [t for t in query if t in vocabulary]
    if not known:
        return []
    scores = bm25.get_scores(known)
    ranked = sorted(range(len(found)), key=lambda i: -scores[i])
    best = {i for i in ranked[:k] if scores[i] > 0}
    # A directive comes with the consequence the order attaches to it (the sentence after it):
    # "what if I do not ..." shares words with the directive, not with the consequence.
    directives = {d.text for d in order.directives}
    consequences = {c.text for c in order.consequences}
    for i in list(best):
        if found[i].text in directives and i + 1 < len(found) and found[i + 1].text in consequences:
            best.add(i + 1)
    return [found[i] for i in sorted(best)]
