"""Property test over both reference corpora: every file read, every id its own book's, every
heading's rule or section reachable by lookup (skipped when a corpus is absent)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.core.cite_parse import parse_authority
from bot.core.types import DocKind
from bot.index.snapshot import IndexSnapshot
from bot.ingest.chunk import passages
from bot.ingest.load import read_documents
from bot.search.lookup import lookup_rule

CORPORA = ("corpus", "corpus-plus")
# Rule and section headings as the books print them, whatever the layout.
_RULE_HEAD = re.compile(r"^(?:#{1,6}\s*)*Rule\s+(\d{1,4}(?:\.\d{1,2})?)\.\s+\S", re.MULTILINE)
_LR_HEAD = re.compile(r"^##\s+L\.R\.\s+(\d{1,3}(?:\.\d{1,2})?(?:\([^)\s]{1,4}\))*)", re.MULTILINE)
_SECTION_HEAD = re.compile(
    r"^(?:#{1,6}\s*)?(?:(\d{1,2})\s+U\.S\.C\.\s*)?§\s*(\d{1,5}(?:[A-Za-z]{1,3}(?:[-–]\d{1,3})?)?)\.",
    re.MULTILINE,
)


@pytest.fixture(scope="module")
def books(corpus: Path):
    """(document, passages) of every file of both corpora; the corpora must read without errors."""
    roots = [corpus.parent / name for name in CORPORA]
    if not all((root / "README.md").is_file() for root in roots):
        pytest.skip("both reference corpora are needed")
    documents, errors = read_documents(roots)
    assert errors == []
    return [(document, passages(document)) for document in documents]


def test_every_file_yields_passages(books) -> None:
    empty = [document.path for document, found in books if not found]
    assert empty == []
    assert len(books) == 74 - 2  # every file except the two READMEs


def test_every_id_parses_back_and_carries_its_books_prefix(books) -> None:
    for document, found in books:
        if document.kind is DocKind.ORDER:
            continue
        for passage in found:
            assert parse_authority(passage.authority).id == passage.authority, document.path
            if document.kind is DocKind.RULES:
                assert passage.authority.startswith(document.citation_prefix + " "), (
                    document.path,
                    passage.authority,
                )
            else:
                assert re.match(r"\d{1,2} U\.S\.C\. § ", passage.authority), passage.authority
            for mention in passage.mentions:
                assert parse_authority(mention).id == mention, (document.path, mention)


def _snapshot(books) -> IndexSnapshot:
    # Lookup reads only the passages of a generation: no vectors or BM25 are needed for it.
    every = tuple(p for _, found in books for p in found)
    return IndexSnapshot("corpora", "none", every, {p.passage_id: p for p in every}, (), (), None)


def test_every_heading_is_reachable_by_lookup(books) -> None:
    snapshot = _snapshot(books)
    checked = 0
    for document, _ in books:
        if document.kind is DocKind.RULES:
            prefix = document.citation_prefix
            heads = _LR_HEAD if _LR_HEAD.search(document.body) else _RULE_HEAD
            targets = {f"{prefix} {n}" for n in heads.findall(document.body)}
        elif document.kind is DocKind.STATUTE:
            titles = re.findall(r"(\d{1,2}) U\.S\.C\.", document.title) or re.findall(
                r"^#\s+Title\s+(\d+)", document.body, re.MULTILINE
            )
            targets = set()
            for title, number in _SECTION_HEAD.findall(document.body):
                title = title or _title_before(document.body, number) or titles[0]
                targets.add(f"{title} U.S.C. § {number.replace('–', '-')}")
        else:
            continue
        for target in sorted(targets):
            matches = lookup_rule(snapshot, target, version=document.version)
            assert any(m.doc_id == document.doc_id for m in matches), (document.path, target)
            checked += 1
    assert checked > 300  # 345 rules and sections in the two corpora


def _title_before(body: str, number: str) -> str | None:
    at = re.search(rf"§\s*{re.escape(number)}\.", body)
    before = body[: at.start()] if at else ""
    titles = re.findall(r"^#\s+Title\s+(\d+)", before, re.MULTILINE)
    return titles[-1] if titles else None
