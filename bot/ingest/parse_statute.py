"""U.S. Code files into sections and subsections with ids such as `28 U.S.C. § 1915(e)(1)`."""

from __future__ import annotations

import re

from bot.core.errors import DocumentError
from bot.core.types import AuthorityKind, Document
from bot.ingest.outline import Paragraph, RuleSection, outline_sections
from bot.ingest.parse_rules import version_label

# The layouts real sources use, each a section heading line:
#   `# Title 28— ...` then `#### § 1915. Heading`     (OLRC Markdown chunks)
#   `## 28 U.S.C. § 636. Heading`                      (the title in the heading)
#   `§ 1332. Heading` or `§3626. Heading`              (plain text; the title from elsewhere)
_TITLE = re.compile(r"#+\s*Title\s+(\d+)\s*[—–-]", re.IGNORECASE)
_NUMBER = r"\d{1,5}(?:[A-Za-z]{1,3}(?:[-–]\d{1,3})?)?"
_SECTION = re.compile(
    rf"(?:#{{1,6}}\s*)?(?:(?P<title>\d{{1,2}})\s+U\.\s?S\.\s?C\.\s*)?§\s*(?P<number>{_NUMBER})\.\s*(?P<heading>.*)$"
)
# `###### (a) Screening .` is a subsection heading (Markdown has six heading levels);
# `######### (ii) As used in ...` (more `#` than Markdown has) is a paragraph of text.
_SUBSECTION = re.compile(r"#{2,6}\s*\(([A-Za-z0-9]{1,4})\)\s*(.*?)\s*$")
_CHAPTER = re.compile(r"\(\s*(?:CHAPTER|SUBCHAPTER|PART)\b[^)]*\)$", re.IGNORECASE)
# The source credit "(Added Pub. L. ...)" or "(Pub. L. ..." closes a section's text; what follows
# (Editorial Notes, Amendments, Statutory Notes) is the Code's commentary, not the law.
_CREDIT = re.compile(r"\((?:Added\s+|As amended\s+)?Pub\.\s?L\.\s|\(R\.S\.\s|\(June|\(July|\(Aug\.")
_NOTES = re.compile(r"(?:Editorial|Statutory)\s+Notes\b")
_TITLE_IN = re.compile(r"\b(\d{1,2})\s+U\.\s?S\.\s?C\.")
# The Code's footnote calls sit after a double space: "section 1988  1 of this title".
_FOOTNOTE_CALL = re.compile(r"(?<=\w) {2,}\d{1,2}(?= )")


def _tidy(line: str) -> str:
    line = _FOOTNOTE_CALL.sub("", line)
    return re.sub(r"\s+([,.;:])", r"\1", line)  # "section 636(c) of this title ." -> "title."


def _number(raw: str) -> str:
    return raw.replace("–", "-")  # "2000cc–1" is cited "2000cc-1"


def parse_statutes(
    body: str, version: str | None = None, title: int | None = None
) -> list[RuleSection]:
    """Every section and subsection, in order; repeated headings of one section merge.

    `title` is the U.S. Code title for sections whose heading does not carry one (from the
    document's title); a `# Title N—` heading or an `N U.S.C. §` heading always wins.
    """
    order: list[tuple[int, str]] = []
    headings: dict[tuple[int, str], str] = {}
    paragraphs: dict[tuple[int, str], list[Paragraph]] = {}
    current: tuple[int, str] | None = None
    closed = False  # after a section's source credit, until the next section heading
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        if m := _TITLE.match(line):
            title = int(m.group(1))
            continue
        if m := _SECTION.match(line):
            here = int(m["title"]) if m["title"] else title
            if here is None:
                raise _no_title(line)
            current, closed = (here, _number(m["number"])), False
            if current not in paragraphs:
                order.append(current)
                paragraphs[current] = []
                headings[current] = m["heading"].strip().rstrip(".")
            continue
        if current is None or closed:
            continue
        if _CHAPTER.match(line) or (line.startswith("#") and not _SUBSECTION.match(line)):
            continue  # chapter lines and headings
        if _CREDIT.match(line) or _NOTES.match(line):
            closed = True
            continue
        if m := _SUBSECTION.match(line):
            heading = m.group(2).rstrip(" .") or None
            paragraphs[current].append(Paragraph(f"({m.group(1)})", heading))
        else:
            paragraphs[current].append(Paragraph(_tidy(line.lstrip("# "))))
    sections: list[RuleSection] = []
    for key in order:
        paragraphs[key] = _flat_headings(paragraphs[key])
        sections += outline_sections(
            f"{key[0]} U.S.C.", AuthorityKind.STATUTE, key[1], headings[key], paragraphs[key],
            version, inline=False, headings=False,
        )  # fmt: skip
    return sections


# "(a) General rule" on a line of its own, then the text: a subsection heading that lost its `#`.
_FLAT_HEADING = re.compile(r"\(([A-Za-z0-9]{1,4})\)\s+([A-Z][^.;:,—]{1,70})")


def _flat_headings(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Subsection headings written as plain lines. "(1) Notwithstanding any provision of law to
    the contrary" followed by "(A) ..." is a lead-in to its children, not a heading."""
    out = []
    for k, p in enumerate(paragraphs):
        m = _FLAT_HEADING.fullmatch(p.text) if p.heading is None else None
        following = paragraphs[k + 1].text if k + 1 < len(paragraphs) else "("
        if m and not following.startswith("("):
            out.append(Paragraph(f"({m.group(1)})", m.group(2).strip()))
        else:
            out.append(p)
    return out


def _no_title(line: str) -> DocumentError:
    return DocumentError(
        "", f"the section heading {line[:60]!r} does not say which title of the U.S. Code it is in"
    )


def parse_statute_book(document: Document) -> list[RuleSection]:
    """The sections of one statute file; DocumentError when none are found or a title is unknown."""
    titles = {int(t) for t in _TITLE_IN.findall(document.title or "")}
    title = titles.pop() if len(titles) == 1 else None
    try:
        sections = parse_statutes(document.body, version_label(document.version), title)
    except DocumentError as error:
        raise DocumentError(
            document.path,
            f"{error.reason}; add a `# Title 28—` heading, write `28 U.S.C. § 1332.` in the "
            "heading, or name the title in the front matter `title`",
        ) from None
    if not sections:
        raise DocumentError(
            document.path,
            "is a statute file but has no section headings such as `## 28 U.S.C. § 1332. Title`, "
            "`#### § 1915. Title` or `§ 1332. Title`; nothing was indexed",
        )
    return sections
