"""Rule books of any federal rule set or district into sections with ids, headings, versions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

import yaml

from bot.core.courts import court_from_caption, court_profile
from bot.core.errors import DocumentError
from bot.core.rule_sets import rule_set, rule_set_named
from bot.core.types import Authority, AuthorityKind, Document
from bot.ingest.outline import SMALL_WORDS, Paragraph, RuleSection, outline_sections

MONTHS = (
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
)
QUOTED_VERSION = "as quoted in orders (official text not available)"

# A word broken at a line end ("electronic- filing") keeps its hyphen when the left part is
# one of these compound-forming words and the document never writes the two parts joined.
HYPHEN_PREFIXES = frozenset(
    [
        "self",
        "non",
        "cross",
        "court",
        "third",
        "first",
        "second",
        "e",
        "pre",
        "post",
        "co",
        "anti",
        "ex",
        "multi",
        "quasi",
        "semi",
        "well",
        "long",
        "short",
        "full",
        "part",
        "half",
        "over",
        "under",
        "out",
        "in",
        "on",
        "off",
        "counter",
    ]
)


def version_label(iso: str | None) -> str | None:
    """'2022-12-01' -> 'as amended to Dec. 1, 2022'; other text is kept as written."""
    if not iso:
        return None
    try:
        when = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"as amended to {MONTHS[when.month - 1]} {when.day}, {when.year}"


def join_broken_words(text: str) -> str:
    """Repair PDF line-end hyphenation ("interrog- atories") but keep real compounds.

    The document is its own dictionary: a break is joined when the joined word occurs
    elsewhere in it ("answer"), kept hyphenated when the hyphenated word does
    ("electronic-filing", "third-party"), and otherwise joined unless the left part is a
    compound-forming word (self-, non-, cross-, court-). "pre- and post-" is left alone.
    """
    words = set(re.findall(r"[a-z]+(?:-[a-z]+)*", re.sub(r"-\s+", "- ", text).lower()))

    def repair(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        if right.lower() in {"and", "or", "nor", "to"}:
            return m.group(0)
        hyphenated, joined = f"{left}-{right}".lower(), (left + right).lower()
        if hyphenated in words and joined not in words:
            return f"{left}-{right}"
        if joined in words or left.lower() not in HYPHEN_PREFIXES:
            return left + right
        return f"{left}-{right}"

    return re.sub(r"\b([A-Za-z]+)-[ \t]*\n?[ \t]*\n?[ \t]*([a-z]+|[A-Z]+\b)", repair, text)


# A rule heading in any layout: `# Rule 4`, `## Rule 4. Title`, `Rule 4. Title` (no `#`),
# `## Civil L.R. 7-3. Title`, `## Local Rule 230 — Title`. The number is followed by a period,
# a dash or the end of the line, so "Rule 4 of the Federal Rules ..." in prose is no heading.
_HEAD = re.compile(
    r"^\s*(?:#{1,6}\s*)*(?:Rule|(?:Civil\s+|Civ\.\s?)?L\.\s?R\.|(?:Civil\s+)?Local\s+Rule|Loc\.\s?R\.)"
    r"\s+(?P<number>\d{1,4}(?:[.-]\d{1,3})*)(?:\.(?=\s|$)|\s+[—–-]\s|\s*$)\s*(?P<title>.*)$"
)
_LR_QUOTED = re.compile(r"^##\s+L\.R\.\s", re.MULTILINE)


# --- which rules a book holds ------------------------------------------------------------


def _prefix(document: Document) -> tuple[str, AuthorityKind]:
    """The citation prefix of the book's rules and their kind; DocumentError when unknown."""
    declared = document.citation_prefix
    if declared:
        kind = AuthorityKind.FEDERAL_RULE if rule_set(declared) else AuthorityKind.LOCAL_RULE
        return declared, kind
    named = rule_set_named(document.title or "")
    if named:
        return named.prefix, AuthorityKind.FEDERAL_RULE
    profile = court_profile(document.court) or court_profile(
        court_from_caption(document.title or "")
    )
    if profile:
        return profile.local_rules, AuthorityKind.LOCAL_RULE
    raise DocumentError(
        document.path,
        "does not say which rules it holds: add `citation_prefix` to its front matter (for "
        'example "Fed. R. App. P." or "E.D. Cal. L.R."), or a `court` for local rules',
    )


# --- headings --------------------------------------------------------------------------


def _rule_key(number: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.split(r"[.-]", number))


def _is_print(body: str, start: int) -> bool:
    """A PDF conversion keeps `#` on stray lines (`# (a) SERVICE.`, `# Page 58`); clean texts
    mark only their rule headings."""
    for line in body.splitlines()[start:]:
        stripped = line.strip()
        if stripped.startswith("#") and not _HEAD.match(stripped):
            return True
    return False


def _clean_rules(lines: list[str]) -> list[tuple[str, str | None, list[Paragraph]]]:
    """Rules of a text whose headings are all marked: every heading opens the next rule."""
    rules: list[tuple[str, str | None, list[Paragraph]]] = []
    for raw in lines:
        head = _HEAD.match(raw)
        if head and (not rules or _rule_key(head["number"]) > _rule_key(rules[-1][0])):
            rules.append((head["number"], head["title"].strip().rstrip(".") or None, []))
        elif head and all(not paras for _, _, paras in rules):
            # The headings so far had no text: a table of contents. The rules start again here.
            rules = [(head["number"], head["title"].strip().rstrip(".") or None, [])]
        elif rules and raw.strip():
            rules[-1][2].append(Paragraph(raw.strip()))
    return rules


# --- the House print of the FRCP (and prints converted the same way) --------------------

_PRINT_HEAD = re.compile(r"Rule (\d{1,4}(?:\.\d)?)\.\s+(.*)$")
_STOP = re.compile(r"(?:APPENDIX OF FORMS|SUPPLEMENTAL RULES)\b")
_FOOTNOTE = re.compile(r"\d{1,2} (?:[A-Z][a-z]+ ){1,}")  # "1 Title amended December 29, 1948"
_AMENDED = re.compile(r"\s*\(As amended\b[^()]*(?:\([^()]*\)[^()]*)*\)")


@dataclass(frozen=True)
class LostHeading:
    """A rule whose heading line a print lost, and how its surviving text starts."""

    rule: str
    title: str
    starts: str  # the start of the rule's first surviving line
    opening: str | None = None  # an "(a)" line lost with the heading, put back before it


@cache
def lost_headings(prefix: str) -> dict[str, LostHeading]:
    """The lost headings of books with `prefix` (bot/ingest/data/lost_headings.yaml)."""
    text = resources.files("bot.ingest").joinpath("data/lost_headings.yaml").read_text()
    entries = (yaml.safe_load(text)["books"] or {}).get(prefix) or []
    return {str(e["rule"]): LostHeading(**{**e, "rule": str(e["rule"])}) for e in entries}


def _furniture(line: str, hashed: bool) -> bool:
    """Page furniture: page numbers, roman page folios, running heads, footnotes."""
    if _FOOTNOTE.match(line):
        return True
    if not hashed:
        return False
    if re.fullmatch(r"Page[\s\dIVXLC]*|[IVXLC]+", line):
        return True
    return not re.search(r"[a-z]", line) and not line.startswith("(")


def _title_open(title: str) -> bool:
    last = title.split()[-1].lower() if title.split() else ""
    return title.endswith(("-", ";", ",", "—")) or last in SMALL_WORDS


def print_rules(body: str, prefix: str) -> list[tuple[str, str | None, list[Paragraph]]]:
    """(number, title, paragraphs) of each rule of a converted print, from its first rule on.

    The print's table of contents lists rules before the text starts: the text starts at the
    lowest-numbered heading's last occurrence before text follows it, which is the first rule.
    """
    lost = lost_headings(prefix)
    numbers = [
        m[1]
        for line in body.splitlines()
        if (m := _PRINT_HEAD.match(line.strip().lstrip("#").strip()))
    ]
    first = min(numbers, key=_rule_key) if numbers else None
    rules: list[tuple[str, str | None, list[Paragraph]]] = []
    title_open = in_form = after_head = False
    for raw in body.splitlines():
        hashed = raw.lstrip().startswith("#")
        line = raw.strip().lstrip("#").strip()
        if not line:
            continue
        head = _PRINT_HEAD.match(line)
        if not rules:
            if head and head.group(1) == first:
                rules.append((first, head.group(2).strip(), []))
                title_open = after_head = _title_open(head.group(2))
            continue
        number, title, paragraphs = rules[-1]
        if hashed and _STOP.match(line):
            break
        if head and _rule_key(head.group(1)) > _rule_key(number):
            title, _, rest = head.group(2).partition(" (a) ")
            rules.append((head.group(1), title.strip(), [Paragraph("(a) " + rest)] if rest else []))
            title_open, in_form, after_head = _title_open(title), False, True
            continue
        # A heading that wraps: "Rule 62.1. ... That is Barred" + "by a Pending Appeal".
        wraps = line[0].islower() and len(line) < 60 and not line.endswith(".")
        if after_head and not line.startswith("(") and ((title_open and hashed) or wraps):
            joined = title[:-1] + line if title and title.endswith("-") else f"{title} {line}"
            rules[-1] = (number, joined, paragraphs)
            title_open = _title_open(joined)
            continue
        after_head = title_open = False
        if hashed and re.match(r"RULE \d+ ", line):  # a form printed after the rule's text
            in_form = True
        if in_form or _furniture(line, hashed):
            continue
        missing = lost.get(str(_rule_key(number)[0] + 1))
        if missing and line.startswith(missing.starts):
            rules.append((missing.rule, missing.title, []))
            if missing.opening:
                rules[-1][2].append(Paragraph(missing.opening))
            rules[-1][2].append(Paragraph(line))
            continue
        if hashed and line[0].islower() and any(h.title.endswith(line) for h in lost.values()):
            continue  # the tail of a lost heading ("tion for a New Trial; Conditional Ruling")
        paragraphs.append(Paragraph(line))
    return rules


def _sections(
    rules: list[tuple[str, str | None, list[Paragraph]]],
    prefix: str,
    kind: AuthorityKind,
    version: str | None,
) -> list[RuleSection]:
    sections: list[RuleSection] = []
    for number, title, paragraphs in rules:
        text = "\n".join(p.text for p in paragraphs)
        text = _AMENDED.sub("", join_broken_words(text))
        title = " ".join(join_broken_words(title).split()) if title else None
        paras = [Paragraph(t) for t in text.split("\n")]
        sections += outline_sections(prefix, kind, number, title, paras, version)
    return sections


# --- local rules known only as quoted in orders ------------------------------------------

_LR_HEAD = re.compile(r"##\s+L\.R\.\s+(.+?)\s+[—–-]\s+(.+)$")
_LR_NUMBER = re.compile(r"(\d{1,3}(?:\.\d{1,2})?)((?:\([^)\s]{1,4}\))*)")
_OLDER = re.compile(
    r"(?P<lead>Earlier version[^:]*?|Earlier wording|Superseded[^:]*?wording|Former L\.R\.[^:]*?)"
    r"(?:\s+read\s+|:\s*)(?P<rest>.*)$"
)


def _sub_path(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\(([^)]+)\)", text))


def _older_version(lead: str) -> str:
    """'Superseded 2009-2010 wording' -> 'superseded 2009-2010 wording; not the current rule'."""
    return f"{lead[0].lower()}{lead[1:]}; not the current rule"


def parse_local_rules(body: str, code: str) -> list[RuleSection]:
    """Each quotation of each `## L.R. ...` section, with where it was quoted and its version."""
    sections: list[RuleSection] = []
    authority: Authority | None = None
    also: tuple[str, ...] = ()
    heading: str | None = None
    pending: list[str] = []
    older: str | None = None
    older_text = ""

    def emit(text: str, provenance: str | None, version: str) -> None:
        if authority and text.strip():
            quote = " ".join(text.split())
            sections.append(RuleSection(authority, heading, quote, version, provenance, also))

    for raw in body.splitlines():
        line = raw.strip()
        if head := _LR_HEAD.match(line):
            ids = [
                Authority(AuthorityKind.LOCAL_RULE, code, m.group(1), _sub_path(m.group(2)))
                for m in _LR_NUMBER.finditer(head.group(1))
            ]
            authority = ids[0] if ids else None
            also = tuple(a.id for a in ids[1:])
            heading, pending, older = head.group(2).strip(), [], None
            continue
        if not line or authority is None:
            continue
        if line.startswith("Quoted in:"):
            if older is not None:
                emit(older_text, line, older)
                older = None
            else:
                emit(" ".join(pending), line, QUOTED_VERSION)
            pending = []
        elif m := _OLDER.match(line):
            words, _, provenance = m.group("rest").partition("Quoted in:")
            version, older_text = _older_version(m.group("lead").strip()), words.strip()
            if provenance:
                emit(older_text, "Quoted in: " + provenance.strip(), version)
            else:
                older = version
        else:
            pending.append(line)
    return sections


# --- any rule book ---------------------------------------------------------------------


def parse_rule_book(document: Document) -> list[RuleSection]:
    """Sections of a rule book in any layout; DocumentError when its rules cannot be read."""
    prefix, kind = _prefix(document)
    body = document.body
    if _LR_QUOTED.search(body):
        sections = parse_local_rules(body, prefix)
    else:
        lines = body.splitlines()
        start = next((i for i, line in enumerate(lines) if _HEAD.match(line)), None)
        if start is None:
            raise DocumentError(
                document.path,
                "is a rule book but has no rule headings such as `## Rule 4. Title`, "
                "`Rule 4. Title` or `## L.R. 230 — Title`; nothing was indexed",
            )
        printed = _is_print(body, start)
        rules = print_rules(body, prefix) if printed else _clean_rules(lines[start:])
        sections = _sections(rules, prefix, kind, version_label(document.version))
    if not any(s.text for s in sections):
        raise DocumentError(
            document.path, "is a rule book whose rules have no text; nothing was indexed"
        )
    return sections
