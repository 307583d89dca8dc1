"""Rule books (the FRCP print, quoted local rules) into sections with ids, headings, versions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.types import Authority, AuthorityKind, Document

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

# Words a heading keeps in lower case; anything else in a heading is capitalized.
SMALL_WORDS = frozenset(
    "a an and as at but by for from in into of on or the to under upon with after".split()  # noqa: SIM905
)
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
        return None, text
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
    letter = re.match(r"\s*[A-Z][A-Z’']+\b", after) is not None
    valid = []
    for level, n in _levels(label):
        if level < len(path):
            step = n - path[level][1]
            lenient = at_paragraph or (level == 0 and letter)
            ok = step == 1 or (lenient and 1 < step <= 3)
        elif not path and level == 0 and at_paragraph:
            ok = True  # the first subdivision of an excerpt may start anywhere
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
        if not (at_paragraph or at == last_end):
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
        path, labels = [*path[:level], reading], [*labels[:level], m.group(1)]
        nodes.append((tuple(labels), level, given.get(at) if at_paragraph else None, []))
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


# --- the FRCP print ---------------------------------------------------------------------

_RULE_HEAD = re.compile(r"Rule (\d{1,2}(?:\.\d)?)\.\s+(.*)$")
_STOP = re.compile(r"(?:APPENDIX OF FORMS|SUPPLEMENTAL RULES)\b")
_FOOTNOTE = re.compile(r"\d{1,2} (?:[A-Z][a-z]+ ){1,}")  # "1 Title amended December 29, 1948"
_AMENDED = re.compile(r"\s*\(As amended\b[^()]*(?:\([^()]*\)[^()]*)*\)")

# Rules whose heading line this print lost: their official title and how their text starts.
# Rules 30 and 31 also lost the "(a)" line that opens them; it is put back.
LOST_RULES = {
    "12": ("Defenses and Objections: When and How Presented; Motion for Judgment on the "
           "Pleadings; Consolidating Motions; Waiving Defenses; Pretrial Hearing",
           "(a) TIME TO SERVE A RESPONSIVE PLEADING.", None),
    "30": ("Depositions by Oral Examination", "(1) Without Leave. A party may, by oral",
           "(a) WHEN A DEPOSITION MAY BE TAKEN."),
    "31": ("Depositions by Written Questions", "(1) Without Leave. A party may, by written",
           "(a) WHEN A DEPOSITION MAY BE TAKEN."),
    "34": ("Producing Documents, Electronically Stored Information, and Tangible Things, or "
           "Entering onto Land, for Inspection and Other Purposes",
           "(a) IN GENERAL. A party may serve on any other party a request", None),
    "50": ("Judgment as a Matter of Law in a Jury Trial; Related Motion for a New Trial; "
           "Conditional Ruling", "(a) JUDGMENT AS A MATTER OF LAW.", None),
}  # fmt: skip


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
        if lost and line.startswith(lost[1]):
            rules.append((str(_rule_key(number)[0] + 1), lost[0], []))
            if lost[2]:
                rules[-1][2].append(Paragraph(lost[2]))
            rules[-1][2].append(Paragraph(line))
            continue
        if hashed and line[0].islower() and any(t[0].endswith(line) for t in LOST_RULES.values()):
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
