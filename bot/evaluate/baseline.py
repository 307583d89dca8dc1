"""The comparison point: a plain LangChain pipeline (character splitter + Chroma similarity)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from bot.core.citations import authority_ids
from bot.core.types import Document, Hit, Passage
from bot.index.embed import Embedder

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200


class EmbedderEmbeddings(Embeddings):
    """Our embedder seen as LangChain `Embeddings`, so both pipelines use the same model."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_documents(list(texts))

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text)


def baseline_passages(documents: Sequence[Document]) -> list[Passage]:
    """Fixed-size character chunks of each raw body; authorities found by the citation grammar."""
    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    found: list[Passage] = []
    for document in documents:
        court = document.court
        for position, text in enumerate(splitter.split_text(document.body)):
            found.append(
                Passage(
                    passage_id=f"baseline:{document.doc_id}:{position}",
                    doc_id=document.doc_id,
                    kind=document.kind,
                    text=text,
                    label=document.title,
                    position=position,
                    mentions=authority_ids(text, court=court),
                    court=document.court,
                )
            )
    return found


class BaselineRetriever:
    """Dense similarity search over baseline chunks in a throwaway in-memory Chroma collection."""

    def __init__(self, documents: Sequence[Document], embedder: Embedder) -> None:
        self.passages = baseline_passages(documents)
        self._by_id = {p.passage_id: p for p in self.passages}
        self._client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        self._name = f"baseline-{uuid.uuid4().hex[:12]}"
        self.store = Chroma(
            collection_name=self._name,
            embedding_function=EmbedderEmbeddings(embedder),
            client=self._client,
            collection_metadata={"hnsw:space": "cosine"},
        )
        # Chroma refuses one write larger than its maximum batch (5,461 rows here), so a corpus
        # a few times today's size goes in slices of that size.
        batch = self._client.get_max_batch_size()
        for start in range(0, len(self.passages), batch):
            chunk = self.passages[start : start + batch]
            self.store.add_texts(
                [p.text for p in chunk],
                metadatas=[{"doc_id": p.doc_id} for p in chunk],
                ids=[p.passage_id for p in chunk],
            )

    def search(self, query: str, k: int) -> list[Hit]:
        if not self.passages:
            return []
        found = self.store.similarity_search_with_score(query, k=k)
        hits: list[Hit] = []
        for rank, (document, distance) in enumerate(found, start=1):
            passage = self._by_id[str(document.id)]
            hits.append(Hit(passage, -float(distance), rank, ("baseline",)))
        return hits

    def close(self) -> None:
        self._client.delete_collection(self._name)

    def __enter__(self) -> BaselineRetriever:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
