"""Verified guides in a generation: guides.jsonl, ask vectors (content-keyed) and BM25 over asks."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

from bot.core.answer_types import Verdict
from bot.core.guide_types import (
    Guide,
    GuideAnchor,
    GuideAsk,
    GuideCondition,
    GuidePoint,
    VerifiedGuide,
)

GUIDES_FILE = "guides.jsonl"
ASKS_FILE = "guide_asks.json"
VECTORS_FILE = "guide_asks.npy"
BM25_DIR = "guide_bm25"
REPORT_FILE = "guides_report.json"

Tokens = Callable[[list[str]], list[list[str]]]


@dataclass(frozen=True)
class StoredGuides:
    """What a generation holds about guides, read back whole."""

    guides: tuple[VerifiedGuide, ...] = ()
    asks: tuple[GuideAsk, ...] = ()  # plain asks first (BM25 documents), then condition texts
    vectors: np.ndarray | None = None  # one row per ask, L2-normalised
    bm25: bm25s.BM25 | None = None  # over the plain asks, in `asks` order
    waiting: tuple[tuple[str, str], ...] = ()  # (guide id, the source it waits for)
    failed: tuple[str, ...] = ()  # one message per guide or guides file not served

    @cached_property
    def plain(self) -> int:
        """How many of `asks` are plain asks (the rest add a condition's cue)."""
        return sum(1 for a in self.asks if a.condition is None)


def ask_rows(guides: Sequence[VerifiedGuide]) -> list[GuideAsk]:
    """Every text questions are matched against: the asks, then each condition's cues and
    its `when` (how bot.answer.guides tells that a question states the circumstance)."""
    plain: list[GuideAsk] = []
    conditional: list[GuideAsk] = []
    for verified in guides:
        guide = verified.guide
        plain += [GuideAsk(guide.id, ask) for ask in guide.asks]
        plain += [GuideAsk(guide.id, ask, spanish=True) for ask in guide.asks_es]
        for n, condition in enumerate(guide.conditions):
            texts = dict.fromkeys((*condition.cues, condition.when))
            conditional += [GuideAsk(guide.id, text, condition=n) for text in texts]
    return plain + conditional


def vector_key(embedder_name: str, text: str) -> str:
    return hashlib.sha256(f"{embedder_name}\x00{text}".encode()).hexdigest()[:32]


def previous_vectors(folder: Path | None) -> dict[str, np.ndarray]:
    """An earlier generation's ask vectors by content key: unchanged asks are not re-embedded."""
    if folder is None or not (folder / VECTORS_FILE).is_file():
        return {}
    try:
        keys = json.loads((folder / ASKS_FILE).read_text(encoding="utf-8"))["keys"]
        vectors = np.load(folder / VECTORS_FILE)
    except (OSError, ValueError, KeyError):
        return {}  # an unreadable old generation only costs re-embedding
    if len(keys) != len(vectors):
        return {}
    return dict(zip(keys, vectors, strict=True))


def embed_asks(
    rows: Sequence[GuideAsk],
    embedder: Any,
    reuse: dict[str, np.ndarray],
) -> tuple[np.ndarray, list[str], int]:
    """(vectors parallel to `rows`, their content keys, how many were embedded now)."""
    keys = [vector_key(embedder.name, row.text) for row in rows]
    missing = list(dict.fromkeys(k for k in keys if k not in reuse))
    texts = {k: row.text for k, row in zip(keys, rows, strict=True)}
    fresh = embedder.embed_documents([texts[k] for k in missing]) if missing else []
    known = dict(reuse)
    known.update(zip(missing, (np.asarray(v, dtype=np.float32) for v in fresh), strict=True))
    if not rows:
        return np.zeros((0, 0), dtype=np.float32), keys, 0
    matrix = np.vstack([known[k] for k in keys]).astype(np.float32)
    return matrix, keys, len(missing)


def write_guides(
    folder: Path,
    guides: Sequence[VerifiedGuide],
    rows: Sequence[GuideAsk],
    vectors: np.ndarray,
    keys: Sequence[str],
    tokens: Tokens,
    waiting: Sequence[tuple[str, str]],
    failed: Sequence[str],
) -> None:
    """Write the guides part of a generation folder."""
    with open(folder / GUIDES_FILE, "w", encoding="utf-8") as out:
        for verified in guides:
            out.write(json.dumps(asdict(verified), ensure_ascii=False) + "\n")
    asks = {"rows": [asdict(row) for row in rows], "keys": list(keys)}
    (folder / ASKS_FILE).write_text(json.dumps(asks, ensure_ascii=False), encoding="utf-8")
    np.save(folder / VECTORS_FILE, vectors)
    plain = [row.text for row in rows if row.condition is None]
    if plain:
        bm25 = bm25s.BM25()
        bm25.index(tokens(plain), show_progress=False)
        bm25.save(str(folder / BM25_DIR), show_progress=False)
    report = {"waiting": [list(w) for w in waiting], "failed": list(failed)}
    (folder / REPORT_FILE).write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")


def _verdict(value: str | None) -> Verdict | None:
    return Verdict(value) if value else None


def _guide(record: dict[str, Any]) -> VerifiedGuide:
    g = record["guide"]
    guide = Guide(
        id=g["id"],
        topic=g["topic"],
        asks=tuple(g["asks"]),
        short_answer=_verdict(g["short_answer"]),
        points=tuple(GuidePoint(**p) for p in g["points"]),
        path=g["path"],
        asks_es=tuple(g["asks_es"]),
        conditions=tuple(
            GuideCondition(c["when"], tuple(c["cues"]), _verdict(c["short_answer"]), c["point"])
            for c in g["conditions"]
        ),
        related=tuple(g["related"]),
        court=g["court"],
    )
    return VerifiedGuide(guide, tuple(GuideAnchor(**a) for a in record["anchors"]))


def read_verified(path: Path) -> tuple[VerifiedGuide, ...]:
    """The guide records of one JSON-lines file (guides.jsonl and its kin)."""
    with open(path, encoding="utf-8") as lines:
        return tuple(_guide(json.loads(line)) for line in lines if line.strip())


def read_guides_part(folder: Path) -> StoredGuides:
    """The guides part of a generation; empty for generations built before guides existed."""
    if not (folder / GUIDES_FILE).is_file():
        return StoredGuides()
    guides = read_verified(folder / GUIDES_FILE)
    asks = json.loads((folder / ASKS_FILE).read_text(encoding="utf-8"))
    rows = tuple(GuideAsk(**row) for row in asks["rows"])
    vectors = np.load(folder / VECTORS_FILE) if rows else None
    bm25 = None
    if (folder / BM25_DIR).is_dir():
        bm25 = bm25s.BM25.load(str(folder / BM25_DIR), mmap=False, show_progress=False)
    report = json.loads((folder / REPORT_FILE).read_text(encoding="utf-8"))
    return StoredGuides(
        guides=guides,
        asks=rows,
        vectors=vectors,
        bm25=bm25,
        waiting=tuple(tuple(w) for w in report["waiting"]),
        failed=tuple(report["failed"]),
    )
