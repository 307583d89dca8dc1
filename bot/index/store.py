"""The Chroma collection that holds passage vectors: embedded on disk or on a Chroma server."""

from __future__ import annotations

import errno
import os
import re
import secrets
import sqlite3
import time
from pathlib import Path
from urllib.parse import urlparse

import chromadb
import httpx
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import ChromaError

from bot.core.errors import ConfigError
from bot.core.files import private_dir
from bot.core.settings import Settings

#: Chroma collection names: 3-512 of [a-zA-Z0-9._-], starting and ending with a letter or digit.
_UNSAFE = re.compile(r"[^a-zA-Z0-9._-]+")
#: The data folder's identity: a random id written once, the day its index is first built.
IDENTITY_FILE = "identity"
#: What chromadb and a server raise when the store cannot serve a request.
STORE_ERRORS: tuple[type[BaseException], ...] = (
    ChromaError,
    httpx.HTTPError,
    sqlite3.Error,
    OSError,
    ConnectionError,
    ValueError,  # chromadb reports an unreachable server as ValueError("Could not connect ...")
    RuntimeError,
)


def folder_identity(settings: Settings) -> str:
    """The data folder's own id; its collections carry it, so folders sharing a server never
    touch each other's vectors. Created on first use with O_EXCL, so two first runs agree."""
    path = settings.index_dir / IDENTITY_FILE
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    private_dir(settings.index_dir)
    identity = secrets.token_hex(6)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(identity + "\n")
    return identity


def _safe_name(raw: str) -> str:
    name = _UNSAFE.sub("-", raw).strip("-._")[:500]
    return name if len(name) >= 3 else f"{name}-col"


def collection_name(settings: Settings, embedder_name: str) -> str:
    """One collection per data folder and embedder: vectors of different models or folders
    never mix, even on one Chroma server."""
    return _safe_name(f"{settings.collection}-{embedder_name}-{folder_identity(settings)}")


def legacy_collection_name(settings: Settings, embedder_name: str) -> str:
    """The name generations written before folder identities used (shared by every folder)."""
    return _safe_name(f"{settings.collection}-{embedder_name}")


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


def store_path(settings: Settings) -> Path:
    return settings.index_dir / "chroma"


def open_client(
    settings: Settings, *, fresh: bool = False, generation: str | None = None
) -> ClientAPI:
    """A Chroma client: the server named by CHROMA_URL, else files under the index folder.

    chromadb keeps one in-memory copy of an embedded store per folder and process, which never
    sees vectors another process added. `fresh` reads the store anew from disk; `generation`
    does so once per generation served, so every engine of a process that serves the same
    generation shares one copy (each copy holds threads and memory of its own).
    """
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if not settings.chroma_url:
        path = store_path(settings)
        try:
            private_dir(path)
            if fresh or (generation is not None and _read_for.get(str(path)) != generation):
                _forget_cached_store(str(path))
            client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        except STORE_ERRORS as error:
            # chromadb keeps a half-started client per folder; the next try must start anew
            # (once the disk has room again, say), not reuse the broken one.
            _forget_cached_store(str(path))
            raise StoreUnavailable(
                f"The vector store in {path} cannot be opened ({type(error).__name__}: {error})."
            ) from None
        if generation is not None:
            _read_for[str(path)] = generation
        return client
    return _server_client(settings, chroma_settings)


#: The generation each embedded store's cached copy was read for, by folder.
_read_for: dict[str, str] = {}


class StoreUnavailable(ConfigError):
    """The vector store cannot serve now (server gone or frozen, disk full, files damaged)."""


def _forget_cached_store(path: str) -> None:
    from chromadb.api.client import SharedSystemClient

    # Only this folder's entry: other clients in the process keep theirs.
    SharedSystemClient._identifier_to_system.pop(path, None)
    _read_for.pop(path, None)


def _server_client(settings: Settings, chroma_settings: ChromaSettings) -> ClientAPI:
    host, port, ssl = server_address(settings.chroma_url or "")
    base = f"{'https' if ssl else 'http'}://{host}:{port}"
    timeout = settings.chroma_timeout_s
    last: BaseException | None = None
    for attempt in range(settings.chroma_retries + 1):
        if attempt:
            time.sleep(min(0.5 * 2**attempt, 4.0))
        try:
            # Probed with a bounded request first: chromadb's own client waits forever.
            httpx.get(f"{base}/api/v2/heartbeat", timeout=timeout).raise_for_status()
            client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=chroma_settings)
            bound_requests(client, timeout)
            client.heartbeat()
            return client
        except httpx.TimeoutException as error:
            last = error
            break  # a frozen server stays frozen: retrying only doubles the wait
        except STORE_ERRORS as error:
            last = error
    raise StoreUnavailable(
        f"The Chroma server at {settings.chroma_url} (CHROMA_URL) is not reachable "
        f"({type(last).__name__}). Start it, fix CHROMA_URL, or unset CHROMA_URL to use the "
        "embedded store."
    ) from None


def bound_requests(client: ClientAPI, timeout: float) -> None:
    """Give every request of a server client a timeout (chromadb's default is none)."""
    server = getattr(client, "_server", None)
    session = getattr(server, "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(timeout)


def open_collection(
    settings: Settings, embedder_name: str, client: ClientAPI | None = None
) -> Collection:
    """This data folder's passage collection for this embedder, created on first use."""
    client = client or open_client(settings)
    collection = client.get_or_create_collection(
        collection_name(settings, embedder_name),
        embedding_function=None,  # vectors are computed by bot.index.embed and passed in
        metadata={"embedder": embedder_name},
        configuration={"hnsw": {"space": "cosine", "ef_search": settings.hnsw_ef_search}},
    )
    # Chroma applies a configuration only when it creates the collection; one made by an
    # earlier version keeps its search breadth until it is changed here (it is stored with it).
    if (collection.configuration.get("hnsw") or {}).get("ef_search") != settings.hnsw_ef_search:
        collection.modify(configuration={"hnsw": {"ef_search": settings.hnsw_ef_search}})
    return collection


def named_collection(settings: Settings, name: str, client: ClientAPI | None = None) -> Collection:
    """An existing collection by name (a generation records the one its vectors are in)."""
    client = client or open_client(settings)
    try:
        return client.get_collection(name, embedding_function=None)
    except STORE_ERRORS as error:
        raise StoreUnavailable(
            f"The collection {name} is not in the vector store ({type(error).__name__}); "
            "run `procbot index` to store the vectors again."
        ) from None


def generation_collection(settings: Settings, client: ClientAPI | None = None) -> Collection:
    """The collection that holds the live generation's vectors."""
    from bot.index.snapshot import live_meta

    meta = live_meta(settings)
    name = meta.get("collection") or legacy_collection_name(settings, meta.get("embedder", ""))
    return named_collection(settings, name, client)


def is_disk_full(error: BaseException) -> bool:
    """Is `error` a full disk or a file-size limit, as opposed to damaged files?"""
    if isinstance(error, OSError) and error.errno in {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}:
        return True
    text = str(error).lower()
    return any(s in text for s in ("disk is full", "no space left", "file too large", "quota"))


#: What SQLite and chromadb say about files that are not what they should be. Anything else
#: (an I/O error, a full disk, a refused permission) is not damage: the store is left alone.
_DAMAGE = (
    "file is not a database",
    "malformed",
    "deserializ",
    "pickle",
    "corrupt",
    "no such table",
    "no such column",
)


def is_damaged(error: BaseException) -> bool:
    """Do `error`'s words say the store's files are damaged (and so worth rebuilding)?"""
    text = str(error).lower()
    return not is_disk_full(error) and any(words in text for words in _DAMAGE)


def set_aside_store(settings: Settings) -> Path:
    """Move a damaged embedded store out of the way (kept for inspection) and forget it."""
    path = store_path(settings)
    aside = path.with_name(f"chroma.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    _forget_cached_store(str(path))
    os.replace(path, aside)
    return aside
