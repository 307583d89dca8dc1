"""The embedders: the shipped MiniLM model offline, and clear errors for the others."""

from __future__ import annotations

import itertools
import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from bot.core.errors import ConfigError
from bot.core.settings import Settings
from bot.index.embed import QueryBatcher, fixed_vectors, make_embedder

# Masterson v. Killen (E.D. Cal. Nov. 24, 2014), the shipped order.
FILED = "Plaintiff's request to meet and confer should not have been filed with the court."
# Fed. R. Civ. P. 26(b)(1), as amended to Dec. 1, 2022.
SCOPE = "Parties may obtain discovery regarding any nonprivileged matter that is relevant"


def test_minilm_vectors_are_normalized_384_floats(embedder):
    vectors = embedder.embed_documents([FILED, SCOPE])
    assert embedder.name == "minilm"
    assert [len(v) for v in vectors] == [384, 384]
    assert all(math.isclose(math.fsum(x * x for x in v), 1.0, rel_tol=1e-4) for v in vectors)


def test_query_and_document_embeddings_agree(embedder):
    [document] = embedder.embed_documents([FILED])
    query = embedder.embed_query(FILED)
    assert max(abs(a - b) for a, b in zip(document, query, strict=True)) < 1e-4


def test_related_text_is_closer_than_unrelated(embedder):
    [filed, scope] = embedder.embed_documents([FILED, SCOPE])
    query = embedder.embed_query("letter to defense counsel filed with the court")
    closeness = [sum(a * b for a, b in zip(query, v, strict=True)) for v in (filed, scope)]
    assert closeness[0] > closeness[1]


def test_model_loads_once_per_process(embedder):
    assert make_embedder(Settings(_env_file=None)) is embedder
    assert embedder.embed_documents([]) == []


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("word2vec", ["PROCBOT_EMBEDDER", "minilm", "chroma-default", "openai:MODEL"]),
        ("openai:", ["PROCBOT_EMBEDDER", "accepted values"]),
        ("openai:text-embedding-3-small", ["OPENAI_API_KEY"]),
        ("chroma-default", ["PROCBOT_EMBEDDER=minilm"]),  # its model download fails offline
        ("ollama:nomic-embed-text", ["ollama"]),  # the `ollama` package is not installed
    ],
)
def test_unusable_embedders_raise_config_error(name, words, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ConfigError) as raised:
        make_embedder(Settings(_env_file=None, embedder=name))
    message = str(raised.value)
    assert all(word.lower() in message.lower() for word in words), message


def test_questions_asked_together_are_encoded_as_one_batch(embedder):
    texts = [FILED, SCOPE, "How many interrogatories may a party serve?", "Rule 5(d) filing"]
    alone = [embedder.embed_query(text) for text in texts]
    batches: list[int] = []
    encode = embedder._encode_queries
    gate = threading.Event()

    def recording(batch: list[str]) -> list[list[float]]:
        gate.wait(5)  # the first caller holds the encoder until the others are waiting
        batches.append(len(batch))
        return encode(batch)

    batcher = QueryBatcher(recording)
    with ThreadPoolExecutor(max_workers=len(texts)) as pool:
        futures = [pool.submit(batcher.embed, text) for text in texts]
        while len(batcher._waiting) < len(texts) - 1:
            time.sleep(0.01)
        gate.set()
        together = [future.result() for future in futures]
    assert sorted(batches) == [1, len(texts) - 1]  # one alone, the rest in one batch
    for one, other in zip(alone, together, strict=True):
        assert max(abs(a - b) for a, b in zip(one, other, strict=True)) < 1e-4


def test_an_encoder_failure_reaches_every_caller_of_the_batch():
    def broken(batch: list[str]) -> list[list[float]]:
        raise ConfigError("the embedding provider is down")

    batcher = QueryBatcher(broken)
    with pytest.raises(ConfigError, match="down"):
        batcher.embed("anything")
    with pytest.raises(ConfigError, match="down"):  # and the batcher is usable again
        batcher.embed("again")


class _Counting:
    """The real embedder under a name of its own (so no other test's vectors are in memory
    for it), counting the texts it is asked to embed."""

    def __init__(self, embedder) -> None:
        self.inner, self.embedded = embedder, 0
        self.name = f"{embedder.name}+counted-{next(_COUNTED)}"

    def embed_documents(self, texts):
        self.embedded += len(texts)
        return self.inner.embed_documents(texts)


_COUNTED = itertools.count()


def test_fixed_texts_are_embedded_once_then_read_from_the_cache(embedder, tmp_path):
    counting = _Counting(embedder)
    first = fixed_vectors(counting, [FILED, SCOPE], tmp_path / "cache")
    again = fixed_vectors(counting, [FILED, SCOPE], tmp_path / "cache")
    assert counting.embedded == 2  # the second start read the file
    assert (again == first).all() and first.shape == (2, 384)
    assert ((tmp_path / "cache").stat().st_mode & 0o777) == 0o700
    # Other texts are other vectors, never a stale file's.
    [scope] = fixed_vectors(counting, [SCOPE], tmp_path / "cache")
    assert counting.embedded == 3
    assert math.isclose(float(scope @ first[1]), 1.0, rel_tol=1e-5)


def test_another_data_folder_gets_its_file_without_embedding_again(embedder, tmp_path):
    # One process preparing two data folders (an index run, then the next one elsewhere):
    # each folder must hold the file its own next start reads.
    counting = _Counting(embedder)
    first = fixed_vectors(counting, [FILED], tmp_path / "a")
    second = fixed_vectors(counting, [FILED], tmp_path / "b")
    assert counting.embedded == 1
    [kept] = (tmp_path / "b").glob("vectors-*.npy")
    assert (np.load(kept) == first).all() and (second == first).all()


def test_a_damaged_cache_file_is_written_again(embedder, tmp_path):
    counting = _Counting(embedder)
    vectors = fixed_vectors(counting, [FILED], tmp_path)
    [kept] = tmp_path.glob("vectors-*.npy")
    kept.write_bytes(b"not a numpy file")
    assert (fixed_vectors(counting, [FILED], tmp_path) == vectors).all()
    assert (np.load(kept) == vectors).all()  # whole again, for the next start
    # Without a folder nothing is kept on disk.
    fixed_vectors(counting, [SCOPE], None)
    assert counting.embedded == 2 and len(list(tmp_path.iterdir())) == 1
