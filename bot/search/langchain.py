"""The LangChain face of passage search: Documents that carry what citing a passage needs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LangchainDocument
from langchain_core.retrievers import BaseRetriever

from bot.core.types import Hit, Passage


def _langchain_document(hit: Hit) -> LangchainDocument:
    passage: Passage = hit.passage
    metadata = {
        "passage_id": passage.passage_id,
        "doc_id": passage.doc_id,
        "kind": str(passage.kind),
        "label": passage.label,
        "citation": passage.citation,
        "pinpoint": passage.pinpoint,
        "authority": passage.authority,
        "heading": passage.heading,
        "mentions": list(passage.mentions),
        "court": passage.court,
        "version": passage.version,
        "provenance": passage.provenance,
        "excerpt": passage.excerpt,
        "url": passage.url,
        "score": hit.score,
        "rank": hit.rank,
        "via": list(hit.via),
    }
    return LangchainDocument(page_content=passage.text, metadata=metadata, id=passage.passage_id)


class PassageRetriever(BaseRetriever):
    """LangChain face of `Retriever`: Documents carry the passage metadata for citing."""

    retriever: Any
    k: int = 5
    mode: str = "hybrid"

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[LangchainDocument]:
        hits: Sequence[Hit] = self.retriever.search(query, k=self.k, mode=self.mode)
        return [_langchain_document(hit) for hit in hits]
