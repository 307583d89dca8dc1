"""The Chroma store: embedded on disk or a server, one cosine collection per embedder."""

from __future__ import annotations

import pytest

from bot.core.errors import ConfigError
from bot.core.settings import Settings
from bot.index.store import (
    collection_name,
    folder_identity,
    named_collection,
    open_collection,
    server_address,
)


def test_collection_stores_and_finds_our_vectors(store_settings):
    collection = open_collection(store_settings, "minilm")
    collection.add(
        ids=["near", "far"],
        embeddings=[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]],
        metadatas=[{"kind": "order"}, {"kind": "rules"}],
    )
    found = collection.query(query_embeddings=[[0.9, 0.1, 0.0]], n_results=2)
    assert found["ids"][0] == ["near", "far"]
    assert collection.configuration["hnsw"]["space"] == "cosine"
    # Opened again, the same collection holds the same vectors.
    assert open_collection(store_settings, "minilm").count() == 2


def test_collection_searches_as_broadly_as_the_setting_says(store_settings):
    wide = store_settings.model_copy(update={"hnsw_ef_search": 250})
    assert open_collection(wide, "minilm").configuration["hnsw"]["ef_search"] == 250
    # A collection made under another breadth (an earlier version's default) is brought to
    # the setting when it is opened for writing, and keeps it when opened again.
    narrow = store_settings.model_copy(update={"hnsw_ef_search": 120})
    assert open_collection(narrow, "minilm").configuration["hnsw"]["ef_search"] == 120
    reopened = named_collection(narrow, collection_name(narrow, "minilm"))
    assert reopened.configuration["hnsw"]["ef_search"] == 120
    assert reopened.configuration["hnsw"]["space"] == "cosine"


def test_embedders_never_share_a_collection(store_settings):
    minilm = open_collection(store_settings, "minilm")
    openai = open_collection(store_settings, "openai:text-embedding-3-small")
    assert minilm.name != openai.name
    minilm.add(ids=["a"], embeddings=[[1.0, 0.0]])
    assert openai.count() == 0


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("minilm", "procbot-minilm"),
        ("openai:text-embedding-3-small", "procbot-openai-text-embedding-3-small"),
        ("ollama:llama3.1/embed", "procbot-ollama-llama3.1-embed"),
    ],
)
def test_collection_names_are_valid_chroma_names(settings, name, expected):
    # Each data folder's collections carry its identity: folders sharing a server never mix.
    assert collection_name(settings, name) == f"{expected}-{folder_identity(settings)}"


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://127.0.0.1:8765", ("127.0.0.1", 8765, False)),
        ("https://chroma.example.org", ("chroma.example.org", 443, True)),
        ("localhost:9000", ("localhost", 9000, False)),
        ("http://chroma", ("chroma", 8000, False)),
    ],
)
def test_server_addresses(url, address):
    assert server_address(url) == address


@pytest.mark.parametrize("url", ["ftp://host:21", "http://host:port"])
def test_bad_server_urls_name_chroma_url(url):
    with pytest.raises(ConfigError, match="CHROMA_URL"):
        server_address(url)


def test_unreachable_server_names_chroma_url_and_address(tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path, chroma_url="http://127.0.0.1:9")
    with pytest.raises(ConfigError) as raised:
        open_collection(settings, "minilm")
    assert "CHROMA_URL" in str(raised.value)
    assert "http://127.0.0.1:9" in str(raised.value)
