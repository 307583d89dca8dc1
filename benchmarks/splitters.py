"""Sentence splitters compared on the corpus: boundary disagreements and a sample to inspect.

procbot splits with nupunkt (bot.core.text.split_sentences). Before it, the chunker and the
extractive composer each had a regex splitter of their own; both are kept here, frozen as they
were, only so that this comparison can be re-run. Usage:

    python benchmarks/splitters.py [--corpus ../shared/corpus] [--sample 6] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.core.text import split_sentences  # noqa: E402

Splitter = Callable[[str], list[tuple[int, int]]]

# -- the chunker's former splitter (bot/chunk.py before the one splitter), frozen -------------
_CHUNK_ABBREVIATIONS = frozenset(
    """v vs no nos fed r civ p cal cir supp f inc co corp dist dept dep't al doc docs ecf dkt
    mr ms mrs dr st cf ct app cnty sch med grp univ ass'n assoc fin nat'l int'l gov't comm'n
    sec'y mgmt ins indus bros mfg ctr hosp auth dev elec envtl prot serv servs sys tech transp
    admin dckt jan feb mar apr jun jul aug sept sep oct nov dec wl sec seq ex""".split()  # noqa: SIM905
)
_CHUNK_BOUNDARY = re.compile(r"[.?!][\"”’')\]]*(?=\s+[\"“]?[A-Z])")


def chunker_regex(text: str) -> list[tuple[int, int]]:
    quoted = [(m.start(), m.end()) for m in re.finditer(r"\"[^\"]{1,800}\"|“[^”]{1,800}”", text)]
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _CHUNK_BOUNDARY.finditer(text):
        dot = m.start()
        word = re.search(r"(\S+)$", text[start:dot])
        token = word.group(1).lower().lstrip('("“[') if word else ""
        if token in _CHUNK_ABBREVIATIONS or re.fullmatch(r"[a-z]|\S+\.\S+", token):
            continue
        before = text[start : dot - len(token)].rstrip()
        if token.isdigit() and len(token) <= 2 and (not before or before[-1] in ":;"):
            continue
        if any(a < dot < b - 1 for a, b in quoted):
            continue
        spans.append((start, m.end()))
        start = m.end()
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text) and text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


# -- the extractive composer's former splitter (bot/compose_extractive.py), frozen -------------
_COMPOSER_ABBREVIATION_WORDS = (
    "u.s.c u.s fed r civ p crim evid no nos v vs e.g i.e cir f cal dist ct supp app inc corp co "
    "dept doc dckt ecf cnty sch grp med super mr ms mrs dr st sgt lt capt cf seq al art ch sec "
    "ann stat rev jan feb mar apr jun jul aug sep sept oct nov dec l.r r.civ"
)
_COMPOSER_ABBREVIATIONS = frozenset(_COMPOSER_ABBREVIATION_WORDS.split())
_COMPOSER_BOUNDARY = re.compile(r"[.?!][\"'”’)\]]*\s+(?=[\"“'(\[]?[A-Z])")
_QUOTES = re.compile(r"[\"“”]")


def composer_regex(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _COMPOSER_BOUNDARY.finditer(text):
        stop = match.start() + 1
        token = text[start:stop].rsplit(None, 1)[-1].lstrip("(\"“'[").rstrip(".").lower()
        if token in _COMPOSER_ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            continue
        inside_quote = len(_QUOTES.findall(text[start : match.end()])) % 2 == 1
        if inside_quote and match.end() - start < 800:
            continue
        spans.append((start, len(text[: match.end()].rstrip())))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


SPLITTERS: dict[str, Splitter] = {
    "nupunkt": split_sentences,
    "chunker-regex": chunker_regex,
    "composer-regex": composer_regex,
}


def corpus_texts(paths: list[Path]) -> list[tuple[str, str]]:
    """(name, text) of every order body and rule or statute section, spaces normalized."""
    from bot.core.types import DocKind
    from bot.ingest.load import read_documents
    from bot.ingest.parse_order import order_text, split_docket_text
    from bot.ingest.parse_rules import parse_rule_book
    from bot.ingest.parse_statute import parse_statutes

    documents, _ = read_documents(paths)
    texts: list[tuple[str, str]] = []
    seen: set[str] = set()
    for doc in documents:
        if doc.doc_id in seen:
            continue
        seen.add(doc.doc_id)
        if doc.kind is DocKind.ORDER:
            body = order_text(split_docket_text(doc.body)[1]).text
            texts.append((doc.doc_id, " ".join(body.split())))
            continue
        if doc.kind is DocKind.RULES:
            sections = parse_rule_book(doc)
        else:
            sections = parse_statutes(doc.body, doc.version)
        for section in sections:
            if section.text.strip():
                texts.append((section.authority.id, " ".join(section.text.split())))
    return texts


def boundaries(splitter: Splitter, text: str) -> set[int]:
    """Where a new sentence starts, the first one excluded."""
    return {start for start, _ in splitter(text)[1:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--sample", type=int, default=6, help="disagreements shown per pair")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = [ROOT / "knowledge"] + ([args.corpus] if args.corpus.exists() else [])
    texts = corpus_texts(paths)
    found = {name: [boundaries(s, text) for _, text in texts] for name, s in SPLITTERS.items()}
    chars = sum(len(text) for _, text in texts)
    print(f"{len(texts)} texts, {chars:,} characters ({', '.join(str(p) for p in paths)})\n")
    print("| splitter | boundaries |")
    print("|---|---|")
    for name, per_text in found.items():
        print(f"| {name} | {sum(len(b) for b in per_text)} |")
    names = list(SPLITTERS)
    rng = random.Random(args.seed)
    print("\n| pair | boundaries only in the first | only in the second | disagreements |")
    print("|---|---|---|---|")
    samples: list[str] = []
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            only_first: list[tuple[int, int]] = []
            only_second: list[tuple[int, int]] = []
            for t, (a, b) in enumerate(zip(found[first], found[second], strict=True)):
                only_first += [(t, at) for at in sorted(a - b)]
                only_second += [(t, at) for at in sorted(b - a)]
            total = len(only_first) + len(only_second)
            print(f"| {first} vs {second} | {len(only_first)} | {len(only_second)} | {total} |")
            for label, items in ((first, only_first), (second, only_second)):
                for t, at in rng.sample(items, min(args.sample, len(items))):
                    text = texts[t][1]
                    shown = f"{text[max(0, at - 70) : at]} ‖ {text[at : at + 50]}"
                    samples.append(
                        f"- only {label} (vs {second if label == first else first}), "
                        f"{texts[t][0]}: …{shown}…"
                    )
    print("\nSample of disagreements (‖ marks the boundary):\n")
    print("\n".join(samples))


if __name__ == "__main__":
    main()
