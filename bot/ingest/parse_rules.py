"""Rule books (the FRCP print, quoted local rules) into sections with ids, headings, versions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.core.types import Authority, AuthorityKind, Document
from bot.ingest.outline import SMALL_WORDS, Paragraph, RuleSection, outline_sections

FRCP_CODE = "Fed. R. Civ. P."
LOCAL_CODE = "E.D. Cal. L.R."
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


# --- the FRCP print ---------------------------------------------------------------------

_RULE_HEAD = re.compile(r"Rule (\d{1,2}(?:\.\d)?)\.\s+(.*)$")
_STOP = re.compile(r"(?:APPENDIX OF FORMS|SUPPLEMENTAL RULES)\b")
_FOOTNOTE = re.compile(r"\d{1,2} (?:[A-Z][a-z]+ ){1,}")  # "1 Title amended December 29, 1948"
_AMENDED = re.compile(r"\s*\(As amended\b[^()]*(?:\([^()]*\)[^()]*)*\)")


@dataclass(frozen=True)
class LostRule:
    """A rule whose heading line the print lost, and how its surviving text starts."""

    title: str
    starts: str  # the start of the rule's first surviving line
    opening: str | None = None  # an "(a)" line lost with the heading, put back before it


# These are the official rule titles whose heading lines the PDF conversion lost; each rule is
# recognized by how its text starts. Rules 30 and 31 also lost the "(a)" line that opens them.
LOST_RULES = {
    "12": LostRule(
        "Defenses and Objections: When and How Presented; Motion for Judgment on the Pleadings; "
        "Consolidating Motions; Waiving Defenses; Pretrial Hearing",
        "(a) TIME TO SERVE A RESPONSIVE PLEADING.",
    ),
    "30": LostRule(
        "Depositions by Oral Examination",
        "(1) Without Leave. A party may, by oral",
        "(a) WHEN A DEPOSITION MAY BE TAKEN.",
    ),
    "31": LostRule(
        "Depositions by Written Questions",
        "(1) Without Leave. A party may, by written",
        "(a) WHEN A DEPOSITION MAY BE TAKEN.",
    ),
    "34": LostRule(
        "Producing Documents, Electronically Stored Information, and Tangible Things, or "
        "Entering onto Land, for Inspection and Other Purposes",
        "(a) IN GENERAL. A party may serve on any other party a request",
    ),
    "50": LostRule(
        "Judgment as a Matter of Law in a Jury Trial; Related Motion for a New Trial; "
        "Conditional Ruling",
        "(a) JUDGMENT AS A MATTER OF LAW.",
    ),
}


def _rule_key(number: str) -> tuple[int, int]:
    whole, _, part = number.partition(".")
    return int(whole), int(part or 0)


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


def frcp_rules(body: str) -> list[tuple[str, str | None, list[Paragraph]]]:
    """(number, title, paragraphs) of each rule from Rule 1 to the end of Rule 86."""
    rules: list[tuple[str, str | None, list[Paragraph]]] = []
    title_open = in_form = after_head = False
    for raw in body.splitlines():
        hashed = raw.lstrip().startswith("#")
        line = raw.strip().lstrip("#").strip()
        if not line:
            continue
        head = _RULE_HEAD.match(line)
        if not rules:
            if head and head.group(1) == "1":
                rules.append(("1", head.group(2).strip(), []))
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
            joined = title[:-1] + line if title.endswith("-") else f"{title} {line}"
            rules[-1] = (number, joined, paragraphs)
            title_open = _title_open(joined)
            continue
        after_head = title_open = False
        if hashed and re.match(r"RULE \d+ ", line):  # a form printed after the rule's text
            in_form = True
        if in_form or _furniture(line, hashed):
            continue
        lost = LOST_RULES.get(str(_rule_key(number)[0] + 1))
        if lost and line.startswith(lost.starts):
            rules.append((str(_rule_key(number)[0] + 1), lost.title, []))
            if lost.opening:
                rules[-1][2].append(Paragraph(lost.opening))
            rules[-1][2].append(Paragraph(line))
            continue
        if (
            hashed
            and line[0].islower()
            and any(r.title.endswith(line) for r in LOST_RULES.values())
        ):
            continue  # the tail of a lost heading ("tion for a New Trial; Conditional Ruling")
        paragraphs.append(Paragraph(line))
    return rules


def parse_frcp(body: str, version: str | None) -> list[RuleSection]:
    """Every rule and subdivision of the FRCP print, in order."""
    sections: list[RuleSection] = []
    for number, title, paragraphs in frcp_rules(body):
        text = "\n".join(p.text for p in paragraphs)
        text = _AMENDED.sub("", join_broken_words(text))
        title = " ".join(join_broken_words(title).split()) if title else None
        paras = [Paragraph(t) for t in text.split("\n")]
        sections += outline_sections(FRCP_CODE, AuthorityKind.FRCP, number, title, paras, version)
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


def parse_local_rules(body: str, code: str = LOCAL_CODE) -> list[RuleSection]:
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


def parse_rule_book(document: Document) -> list[RuleSection]:
    """Sections of a rules document: the FRCP print, or `## L.R.` quotations."""
    if re.search(r"^##\s+L\.R\.\s", document.body, re.MULTILINE):
        return parse_local_rules(document.body, document.citation_prefix or LOCAL_CODE)
    return parse_frcp(document.body, version_label(document.version))
