"""Rule outlines: subdivision markers such as (a)(1)(A)(i) into sections with heading chains."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.types import Authority, AuthorityKind

# Words a heading keeps in lower case; anything else in a heading is capitalized.
SMALL_WORDS = frozenset(
    "a an and as at but by for from in into of on or the to under upon with after".split()  # noqa: SIM905
)

_ROMAN = {
    n: i
    for i, n in enumerate(
        "i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx".split(),  # noqa: SIM905
        start=1,
    )
}


@dataclass(frozen=True)
class RuleSection:
    """One rule, subdivision, statute section or quotation with the words that are its own."""

    authority: Authority
    heading: str | None  # heading chain, outermost first, joined by " — "
    text: str  # own words only: no heading, no children, no amendment history
    version: str | None = None
    provenance: str | None = None  # "Quoted in: ..." for rules known only from orders
    also: tuple[str, ...] = ()  # other authority ids the same words are (L.R. 250.3, 250.4)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of source text; `heading` is set when the source marks it up separately."""

    text: str
    heading: str | None = None


def title_case(caps: str) -> str:
    """'SERVICE: WHEN REQUIRED' -> 'Service: When Required'."""
    out = []
    for k, word in enumerate(caps.lower().split()):
        bare = word.strip("(),;:")
        if k and bare in SMALL_WORDS:
            out.append(word)
        else:
            out.append(
                re.sub(r"(^|[\-—/(])([a-z])", lambda m: m.group(1) + m.group(2).upper(), word)
            )
    return " ".join(out)


def _is_heading(words: str) -> bool:
    """True for 'Papers after the Complaint' or 'In General': every main word capitalized."""
    parts = [p.strip("(),;:’'\"") for p in re.split(r"[\s—]+", words)]
    parts = [p for p in parts if p and p[0].isalpha()]
    return 0 < len(parts) <= 14 and all(p[0].isupper() or p.lower() in SMALL_WORDS for p in parts)


def _split_heading(level: int, text: str) -> tuple[str | None, str]:
    """A subdivision's heading and the words after it. (a)-level headings are in capitals."""
    if level == 0:
        m = re.match(r"([A-Z][A-Z0-9 ,;:’'\-—/&()]*?[A-Z)])\.(?=\s|$)", text)
        if m and not re.search(r"[a-z]", m.group(1)) and len(m.group(1)) > 2:
            return title_case(m.group(1)), text[m.end() :].strip()
        m = re.match(r"([A-Z][A-Z0-9 ,;:’'\-—/&]{3,}?)(-?)(?=\s+[A-Z(][a-z0-9)]|\s*$)", text)
        if m and len(m.group(1).split()) > 1:
            words = m.group(1).split()[: -1 if m.group(2) else None]  # drop a cut-off word
            return title_case(" ".join(words).rstrip(" ,;")), text[m.end() :].strip()
    # Any level, and (a)-level headings of prints that do not use capitals: "Scope of Rules."
    m = re.match(r"([‘“'\"]*[A-Z][^.]{2,120}?)\.(?=\s|$)", text)
    if m and _is_heading(m.group(1)):
        return m.group(1).strip(), text[m.end() :].strip()
    return None, text


def _levels(label: str) -> list[tuple[int, int]]:
    """(level, ordinal) readings of a marker: (a)=0, (1)=1, (A)=2, (i)=3, (I)=4."""
    if label.isdigit():
        return [(1, int(label))]
    readings = []
    if len(label) == 1:
        readings.append((0, ord(label) - 96) if label.islower() else (2, ord(label) - 64))
    roman = _ROMAN.get(label.lower())
    if roman:
        readings.append((3 if label.islower() else 4, roman))
    return readings


def _label(level: int, n: int) -> str:
    """The marker text of ordinal `n` at `level`: (0, 3) -> 'c', (3, 4) -> 'iv'."""
    if level == 0:
        return chr(96 + n)
    if level == 1:
        return str(n)
    if level == 2:
        return chr(64 + n)
    roman = next(r for r, v in _ROMAN.items() if v == n)
    return roman if level == 3 else roman.upper()


def _next_level(
    label: str, path: list[tuple[int, int]], after: str, at_paragraph: bool
) -> tuple[int, int] | None:
    """The reading of a marker that continues the outline at `path`, or None if none does.

    The print lost some marker lines, so a paragraph may skip a sibling or two (or a first
    child), and an (a)-level marker followed by a capitalized heading may skip inline too.
    """
    # A capitalized heading follows letters ("(i) SERVING ...", "(i) Serving the United States
    # and Its Agencies."), rarely a roman numeral.
    heading = re.match(r"\s*([A-Z][^.]{2,80}?)\.(?=\s|$)", after)
    letter = re.match(r"\s*[A-Z][A-Z’']+\b", after) is not None or bool(
        heading and len(heading.group(1).split()) > 1 and _is_heading(heading.group(1))
    )
    valid = []
    for level, n in _levels(label):
        if level < len(path):
            step = n - path[level][1]
            lenient = at_paragraph or (level == 0 and letter)
            ok = step == 1 or (lenient and 1 < step <= 3)
        elif not path and level == 0 and at_paragraph:
            ok = True  # the first subdivision of an excerpt may start anywhere
        elif not path and level == 1:
            # A rule whose outline starts at numbers, with no lettered level: Evidence Rule
            # 803's exceptions (1)-(23). The caller keeps an empty letter level above them.
            ok = n == 1
        else:
            ok = level == len(path) and (n == 1 or (at_paragraph and n == 2))
        if ok:
            valid.append((level, n))
    if len(valid) > 1:
        # (i) after (h) is a letter when a capitalized heading follows, else a roman numeral.
        valid.sort(key=lambda r: (r[0] != 0) if letter else -r[0])
    return valid[0] if valid else None


def _lost_parent(label: str, path: list[tuple[int, int]], after: str) -> tuple[int, int] | None:
    """For "(1) Failure to Disclose." where its parent "(c)" line was lost: the parent's reading."""
    heading = re.match(r"\s*([A-Z][^.]{2,80}?)\.\s", after)
    if not heading or not _is_heading(heading.group(1)):
        return None
    for level, n in _levels(label):
        if n == 1 and 0 < level <= len(path):
            return level - 1, path[level - 1][1] + 1
    return None


_MARKER = re.compile(r"\(([a-z]{1,5}|\d{1,2}|[A-Z]{1,4})\)")
# Inline subdivisions start after a clause: "...required; (B) a pleading", "...; and (G)".
_CLAUSE_END = re.compile(r"(?:[;:.]|[;:]\s+(?:and|or)|—\s*or)$")


def subdivide(
    paragraphs: list[Paragraph], inline: bool = True, headings: bool = True
) -> list[tuple[tuple[str, ...], str | None, str]]:
    """Split text into its outline: (path, heading, own text) per node, the root path () first.

    A marker such as "(d)" starts a subdivision only when it continues the outline (next
    sibling, or first child) and stands at a paragraph start, right after another marker
    ("(A)(i)"), or - when `inline` - after a clause end. "Rule 26(a)(1) or (2)" is text.
    """
    text = "\n".join(p.text for p in paragraphs)
    given: dict[int, str | None] = {}
    offset = 0
    for p in paragraphs:
        given[offset] = p.heading
        offset += len(p.text) + 1
    nodes: list[tuple[tuple[str, ...], int, str | None, list[str]]] = [((), -1, None, [])]
    path: list[tuple[int, int]] = []
    labels: list[str] = []
    start = last_end = 0
    for m in _MARKER.finditer(text):
        at = m.start()
        at_paragraph = at == 0 or text[at - 1] == "\n"
        # The Code's "(1) Prospective relief.—(A) Prospective relief ..." runs a heading into
        # the first child: a marker right after ".—" starts a subdivision like a paragraph.
        after_heading = text[max(0, at - 2) : at] == ".—"
        if not (at_paragraph or at == last_end or after_heading):
            if not inline or text[at - 1] not in " \t":
                continue
            if not _CLAUSE_END.search(text[max(0, at - 12) : at].rstrip()):
                continue
        after = text[m.end() : m.end() + 80]
        reading = _next_level(m.group(1), path, after, at_paragraph)
        parent = None if reading else _lost_parent(m.group(1), path, after)
        if reading is None and parent is None:
            continue
        nodes[-1][3].append(text[start:at])
        if parent is not None:
            level, n = parent
            path, labels = [*path[:level], parent], [*labels[:level], _label(level, n)]
            nodes.append((tuple(labels), level, None, []))
            reading = (level + 1, 1)
        level, n = reading
        if level == 1 and not path:
            # No lettered level: an empty one keeps each level at its place in the path, and
            # is left out of the ids ((1), not ()(1)), so (i) under (8)(A) reads as roman.
            path, labels = [(0, 0)], [""]
        path, labels = [*path[:level], reading], [*labels[:level], m.group(1)]
        nodes.append(
            (tuple(x for x in labels if x), level, given.get(at) if at_paragraph else None, [])
        )
        start = last_end = m.end()
    nodes[-1][3].append(text[start:])
    out = []
    for labels_, level, heading, pieces in nodes:
        own = " ".join(" ".join(pieces).split())
        if heading is None and headings and level >= 0:
            heading, own = _split_heading(level, own)
        out.append((labels_, heading, own))
    return out


def _chain(titles: dict[tuple[str, ...], str | None], path: tuple[str, ...]) -> str | None:
    parts = [titles.get(path[:k]) for k in range(len(path) + 1)]
    joined = " — ".join(p for p in parts if p)
    return joined or None


def outline_sections(
    code: str,
    kind: AuthorityKind,
    number: str,
    title: str | None,
    paragraphs: list[Paragraph],
    version: str | None,
    inline: bool = True,
    headings: bool = True,
) -> list[RuleSection]:
    """Sections of one rule or statute section, each with its id and heading chain."""
    nodes = subdivide(paragraphs, inline=inline, headings=headings)
    titles: dict[tuple[str, ...], str | None] = {(): title}
    sections = []
    for path, heading, own in nodes:
        if path:
            titles[path] = heading
        authority = Authority(kind, code, number, path)
        sections.append(RuleSection(authority, _chain(titles, path), own, version))
    return sections
