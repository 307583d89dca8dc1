"""Index layer: embed passages, store vectors in Chroma, build BM25, write and read generations."""
