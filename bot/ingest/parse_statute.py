"""U.S. Code Markdown into sections and subsections with ids such as `28 U.S.C. § 1915(e)(1)`."""

from __future__ import annotations

import re

from bot.core.types import AuthorityKind
from bot.ingest.outline import Paragraph, RuleSection, outline_sections

_TITLE = re.compile(r"#\s+Title\s+(\d+)\s*[—–-]")
_SECTION = re.compile(r"#{2,6}\s*§\s*(\d+[A-Za-z]?)\.\s*(.*)$")
_SUBSECTION = re.compile(r"#{2,6}\s*\(([A-Za-z0-9]{1,4})\)\s*(.*?)\s*\.?\s*$")
# The Code's footnote calls sit after a double space: "section 1988  1 of this title".
_FOOTNOTE_CALL = re.compile(r"(?<=\w) {2,}\d{1,2}(?= )")


def _tidy(line: str) -> str:
    line = _FOOTNOTE_CALL.sub("", line)
    return re.sub(r"\s+([,.;:])", r"\1", line)  # "section 636(c) of this title ." -> "title."


def parse_statutes(body: str, version: str | None = None) -> list[RuleSection]:
    """Every section and subsection, in order; repeated headings of one section merge."""
    order: list[tuple[int, str]] = []
    headings: dict[tuple[int, str], str] = {}
    paragraphs: dict[tuple[int, str], list[Paragraph]] = {}
    title: int | None = None
    current: tuple[int, str] | None = None
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        if m := _TITLE.match(line):
            title = int(m.group(1))
            continue
        if (m := _SECTION.match(line)) and title is not None:
            current = (title, m.group(1))
            if current not in paragraphs:
                order.append(current)
                paragraphs[current] = []
                headings[current] = m.group(2).strip().rstrip(".")
            continue
        if current is None or (line.startswith("#") and not _SUBSECTION.match(line)):
            continue  # chapter headings and anything before the first section
        if m := _SUBSECTION.match(line):
            paragraphs[current].append(Paragraph(f"({m.group(1)})", m.group(2) or None))
        else:
            paragraphs[current].append(Paragraph(_tidy(line)))
    sections: list[RuleSection] = []
    for key in order:
        code = f"{key[0]} U.S.C."
        sections += outline_sections(
            code, AuthorityKind.STATUTE, key[1], headings[key], paragraphs[key], version,
            inline=False, headings=False,
        )  # fmt: skip
    return sections
