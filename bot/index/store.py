"""The Chroma collection that holds passage vectors: embedded on disk or on a Chroma server."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import chromadb
import httpx
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings

from bot.core.errors import ConfigError
from bot.core.settings import Settings

#: Chroma collection names: 3-512 of [a-zA-Z0-9._-], starting and ending with a letter or digit.
_UNSAFE = re.compile(r"[^a-zA-Z0-9._-]+")


def collection_name(settings: Settings, embedder_name: str) -> str:
    """One collection per embedder, so vectors of different models never mix."""
    raw = f"{settings.collection}-{embedder_name}"
    name = _UNSAFE.sub("-", raw).strip("-._")[:500]
    return name if len(name) >= 3 else f"{name}-col"


def server_address(url: str) -> tuple[str, int, bool]:
    """Host, port and TLS flag of a CHROMA_URL such as `http://127.0.0.1:8000`."""
    parsed = urlparse(url if "://" in url else f"http://{url}")
    if parsed.scheme not in {"http", "https"} or not parsed.hostname:
        raise ConfigError(f"CHROMA_URL={url!r} is not an http(s) address like http://host:8000.")
    ssl = parsed.scheme == "https"
    try:
        port = parsed.port or (443 if ssl else 8000)
    except ValueError as error:
        raise ConfigError(f"CHROMA_URL={url!r} has an invalid port.") from error
    return parsed.hostname, port, ssl


def open_client(settings: Settings) -> ClientAPI:
    """A Chroma client: the server named by CHROMA_URL, else files under the index folder."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if not settings.chroma_url:
        path = settings.index_dir / "chroma"
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    host, port, ssl = server_address(settings.chroma_url)
    try:
        client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=chroma_settings)
        client.heartbeat()
    except (ValueError, httpx.HTTPError, ConnectionError) as error:
        # chromadb reports an unreachable server as ValueError("Could not connect ...").
        raise ConfigError(
            f"The Chroma server at {settings.chroma_url} (CHROMA_URL) is not reachable. "
            "Start it, fix CHROMA_URL, or unset CHROMA_URL to use the embedded store."
        ) from error
    return client


def open_collection(
    settings: Settings, embedder_name: str, client: ClientAPI | None = None
) -> Collection:
    """The passage collection for this embedder, created on first use; cosine distance."""
    client = client or open_client(settings)
    return client.get_or_create_collection(
        collection_name(settings, embedder_name),
        embedding_function=None,  # vectors are computed by bot.index.embed and passed in
        metadata={"hnsw:space": "cosine", "embedder": embedder_name},
    )
