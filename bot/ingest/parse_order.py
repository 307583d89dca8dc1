"""Court orders: pleading-paper line numbers to page:line positions, and metadata from the text."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date

from bot.core.courts import CAPTION, court_from_caption

MAX_LINE = 32  # pleading paper has 28 numbered lines; a little slack for odd templates
MIN_NUMBERED = 8  # fewer line-number tokens than this is not pleading paper
LINE_CHARS = 115  # a full pleading-paper line rarely holds more characters
WINDOW = 80  # predecessors considered per line-number candidate (keeps the search linear)

_BARE_INT = re.compile(r"\d{1,2}")
_PIPES = re.compile(r"\|{1,2}|l\|")  # OCR renders the margin rule after a line number as "|"
_SLASHES = re.compile(r"/+")  # "////" fills the unused lines at the foot of a page


@dataclass(frozen=True)
class LineSpan:
    """Characters [start, end) of the clean text sit on `line` of `page` in the original."""

    start: int
    end: int
    page: int
    line: int


@dataclass(frozen=True)
class OrderText:
    """An order's text with line numbers removed, and where each character came from."""

    text: str
    lines: tuple[LineSpan, ...] = ()

    @property
    def numbered(self) -> bool:
        return bool(self.lines)

    @property
    def pages(self) -> int:
        return max((s.page for s in self.lines), default=0)

    def pinpoint(self, start: int, end: int) -> str | None:
        """Page:line citation of text[start:end]: "2:1-6", "1:27-2:3"; None without line numbers."""
        if not self.lines or end <= start:
            return None
        starts = [s.start for s in self.lines]
        first = self.lines[max(0, bisect.bisect_right(starts, start) - 1)]
        last = self.lines[max(0, bisect.bisect_right(starts, end - 1) - 1)]
        if first.page != last.page:
            return f"{first.page}:{first.line}-{last.page}:{last.line}"
        if first.line == last.line:
            return f"{first.page}:{first.line}"
        return f"{first.page}:{first.line}-{last.line}"


def split_docket_text(body: str) -> tuple[str | None, str]:
    """The clerk's `Docket text:` line (if the file starts with one) and the order itself."""
    match = re.match(r"\s*(Docket text:[^\n]*)\n?", body)
    if not match:
        return None, body
    return match.group(1).strip(), body[match.end() :]


def _length_penalty(gap: int, steps: int) -> float:
    """Cost of `gap` characters for `steps` lines: free up to a full line each, then quadratic."""
    excess = gap - LINE_CHARS * steps
    return 0.0 if excess <= 0 else min(0.9, 0.3 * (excess / 100) ** 2)


def _line_number_chain(tokens: list[tuple[int, int, str]]) -> list[int]:
    """Token indexes that are pleading-paper line numbers, chosen by dynamic programming.

    A line number continues the sequence (n+1, or 1 after a page of 20+ lines) and the text
    between two of them fits the lines they span. Every plausible chain is scored and the
    best kept, so "42 18 U.S.C." (18 is the number) or "(ECF 21 No. 76.)" resolve by context
    instead of by greedy matching. Small gaps (a missing number in scrambled text) cost a
    little; a bare number just before a page's "1" earns a bonus as the page-number footer.
    """
    cands = [k for k, (_, _, t) in enumerate(tokens) if _BARE_INT.fullmatch(t)]
    cands = [k for k in cands if 1 <= int(tokens[k][2]) <= MAX_LINE]
    best: list[float] = []
    back: list[int] = []
    for j, kj in enumerate(cands):
        vj = int(tokens[kj][2])
        score, prev = (1.0 if vj == 1 else -2.0), -1  # chains should start at line 1
        for i in range(max(0, j - WINDOW), j):
            ki = cands[i]
            vi = int(tokens[ki][2])
            gap = tokens[kj][0] - tokens[ki][1] - 1
            if 1 <= vj - vi <= 3:
                gain = 1.0 - 0.8 * (vj - vi - 1) - _length_penalty(gap, vj - vi)
            elif vj == 1 and vi >= 20:
                footer = kj - 1 != ki and _BARE_INT.fullmatch(tokens[kj - 1][2]) is not None
                gain = 1.0 - _length_penalty(gap, 1) + (0.5 if footer else 0.0)
            else:
                continue
            if best[i] + gain > score:
                score, prev = best[i] + gain, i
        best.append(score)
        back.append(prev)
    if not best:
        return []
    j = max(range(len(best)), key=best.__getitem__)
    chain: list[int] = []
    while j >= 0:
        chain.append(cands[j])
        j = back[j]
    return chain[::-1]


def order_text(body: str) -> OrderText:
    """Clean text of an order; page:line positions when the text carries line numbers."""
    tokens = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", body)]
    chain = _line_number_chain(tokens)
    if len(chain) < MIN_NUMBERED:
        return OrderText(body.strip())
    position: dict[int, tuple[int, int]] = {}
    dropped: set[int] = set()
    page, last = 1, 0
    for k in chain:
        line = int(tokens[k][2])
        if line < last:  # numbering restarted: a new page
            footer = k - 1
            if footer not in position and tokens[footer][2] == str(page):
                dropped.add(footer)
            page += 1
        position[k] = (page, line)
        last = line
        if k + 1 < len(tokens) and _PIPES.fullmatch(tokens[k + 1][2]):
            dropped.add(k + 1)
    parts: list[str] = []
    spans: list[LineSpan] = []
    offset = 0
    where = position[chain[0]]
    for k, (_, _, word) in enumerate(tokens):
        if k in position:
            where = position[k]
            continue
        if k in dropped or _SLASHES.fullmatch(word):
            continue
        if parts:
            offset += 1
        start, offset = offset, offset + len(word)
        parts.append(word)
        if spans and (spans[-1].page, spans[-1].line) == where:
            spans[-1] = LineSpan(spans[-1].start, offset, *where)
        else:
            spans.append(LineSpan(start, offset, *where))
    return OrderText(" ".join(parts), tuple(spans))


# --- metadata from the text -------------------------------------------------------------

# The district named in a caption ("EASTERN DISTRICT OF CALIFORNIA"): bot/core/courts.py.
_COURT = CAPTION
_COURT_SHORT = re.compile(r"\b([NESCWM])\.\s?D\.\s?(Cal)(?:ifornia|\.)", re.IGNORECASE)

# "1:11-cv-01179-LJO-GSA-PC", "2:09-cv-01494 MCE KJN P", "1:21-cv-00769-NODJ-SAB (PC)",
# "CIV S-09-1568 KJM EFB P": judges' initials follow, hyphenated or spaced. Initials are
# 1-4 capitals, so a following caption word ("LOUIS", "ORDER", "MATTHEW") ends the number.
_DOCKET = re.compile(
    r"\b(?:\d:\d{2}-[A-Za-z]{2}-\d{2,5}|CIV\s+S-\d{2}-\d{3,5})"
    r"(?:[-\s](?:[A-Z]{1,4}|\(P?C\))(?![\w'’]))*"
)
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        (
            "jan january",
            "feb february",
            "mar march",
            "apr april",
            "may",
            "jun june",
            "jul july",
            "aug august",
            "sep sept september",
            "oct october",
            "nov november",
            "dec december",
        )
    )
    for m in names.split()
}
_DATED = re.compile(r"\bDated:\s*([A-Za-z]{3,9})\.?\s+(\d{1,2}),\s*(\d{4})", re.IGNORECASE)
_SIGNED_ON = re.compile(r"\bsigned by .{0,80}?\bon (\d{1,2})/(\d{1,2})/(\d{2,4})\b", re.IGNORECASE)
_JUDGE = re.compile(r"\bsigned by ((?:(?:Chief|Senior)\s+)?(?:Magistrate|District)\s+Judge\s+"
                    r"[A-Z][A-Za-z.\- ]+?)\s+on\b")  # fmt: skip
_MOTION_ECF = re.compile(
    r"\b(\d{1,4})\s+(?:(?:Plaintiff|Defendant)s?['’]s?\s+|Amended\s+|Ex\s+Parte\s+)*"
    r"(?:Motion|Request|Application|Stipulation|Objection)s?\b",
    re.IGNORECASE,
)
_CAPTION_ECF = re.compile(
    r"\((?:ECF|Dkt\.?|Doc(?:ument)?s?\.?)\s*(?:Nos?\.\s*)?(\d{1,4}(?:\s*(?:,|&|and)\s*\d{1,4})*)"
    r"\.?\)",
    re.IGNORECASE,
)
_JUSTIA_ENTRY = re.compile(r"docs\.justia\.com/cases/federal/district-courts/(?:[^/\s]+/){4}(\d+)")
_PARTY_WORD = r"(?:[A-Z][A-Z'’\-]*\.?|[A-Z]/[A-Z]|&)"
_PARTY = re.compile(rf"((?:{_PARTY_WORD}\s+)*{_PARTY_WORD}),")
_INSTITUTION = set(
    [
        "STATE",
        "PRISON",
        "COUNTY",
        "CITY",
        "DEPARTMENT",
        "MUNICIPALITY",
        "OF",
        "CSP",
        "CDCR",
        "UNITED",
        "STATES",
        "CORRECTIONS",
        "CORRECTIONAL",
        "INC.",
        "CORP.",
    ]
)
_CAPTION_WORDS = {"ORDER", "ORDERS", "DOCUMENTS", "MOTION", "COUNSEL", "CONFERENCE", "V.", "VS."}


@dataclass(frozen=True)
class OrderFacts:
    """What an order's own text says about it; None where the text does not say."""

    court: str | None = None
    case: str | None = None
    docket: str | None = None
    date: str | None = None
    judge: str | None = None
    order_ecf: int | None = None
    motion_ecf: tuple[int, ...] = ()


def looks_like_order(text: str) -> bool:
    """True for text with a court caption or an order's operative words."""
    return bool(
        re.search(r"UNITED STATES DISTRICT COURT|\bORDER\b|IT IS (?:SO|HEREBY) ORDERED", text)
    )


def infer_court(text: str) -> str | None:
    """Bluebook court abbreviation from the caption: EASTERN DISTRICT OF CALIFORNIA -> E.D. Cal."""
    if court := court_from_caption(text):
        return court
    if m := _COURT_SHORT.search(text):
        return f"{m.group(1).upper()}.D. Cal."
    return None


def infer_docket(text: str) -> str | None:
    """The first case number in the text, without a leading "No." / "Case No."."""
    m = _DOCKET.search(text)
    return " ".join(m.group(0).split()) if m else None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def infer_date(text: str, docket_text: str | None = None) -> str | None:
    """ISO date from "Dated: November 24, 2014", else from the docket's "signed ... on 9/4/2018"."""
    for m in _DATED.finditer(text):
        month = _MONTHS.get(m.group(1).lower())
        if month and (iso := _iso(int(m.group(3)), month, int(m.group(2)))):
            return iso
    if docket_text and (m := _SIGNED_ON.search(docket_text)):
        year = int(m.group(3))
        return _iso(year + 2000 if year < 100 else year, int(m.group(1)), int(m.group(2)))
    return None


def _caption(text: str) -> str:
    """The caption block: everything before the first run of ordinary lowercase prose."""
    words = list(re.finditer(r"\S+", text[:4000]))
    for k in range(len(words)):
        window = words[k : k + 8]
        if len(window) == 8 and sum(w.group()[0].islower() for w in window) >= 6:
            return text[: words[k].start()]
    return text[:1500]


def _party_name(run: str) -> str:
    """'DANIEL MASTERSON' -> 'Masterson'; institutions keep their words: 'Wasco State Prison'."""
    words = run.split()
    if set(words) & _INSTITUTION:
        # The run can start inside the caption's title ("... ORDER CSP SACRAMENTO").
        cut = max((i + 1 for i, w in enumerate(words) if w in _CAPTION_WORDS), default=0)
        return " ".join(_name_case(w) for w in words[cut:])
    return _name_case(words[-1]) if words else ""


def _name_case(word: str) -> str:
    if (len(word) <= 3 and not re.search(r"[AEIOU]", word)) or "/" in word:
        return word  # acronyms such as CSP, C/O
    parts = re.split(r"([\-'’])", word.lower())
    out = "".join(p[:1].upper() + p[1:] for p in parts)
    return re.sub(r"\bMc(\w)", lambda m: "Mc" + m.group(1).upper(), out)


def infer_case_name(text: str) -> str | None:
    """'Masterson v. Killen' from the caption's first plaintiff and first defendant."""
    caption = _caption(text)
    if court := _COURT.search(caption):  # parties come after the court's name
        caption = caption[court.end() :]
    plaintiff_at = re.search(r"\bPlaintiffs?\b", caption)
    if not plaintiff_at:
        return None
    before = _PARTY.findall(caption[: plaintiff_at.start()])
    if not before:
        return None
    plaintiff = _party_name(before[-1])
    defendant = None
    versus = re.search(r"\b(?:v|vs)\.?(?=\s)", caption[plaintiff_at.end() :], re.IGNORECASE)
    regions = []
    if versus:
        regions.append(caption[plaintiff_at.end() + versus.end() :][:600])
    regions.append(caption[plaintiff_at.end() :])
    for region in regions:
        if found := _PARTY.findall(region):
            defendant = _party_name(found[0])
            break
    if not plaintiff or not defendant:
        return None
    return f"{plaintiff} v. {defendant}"


def _numbers(group: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", group)]


def order_facts(body: str, source_url: str | None = None) -> OrderFacts:
    """Court, case name, docket, date, judge and ECF numbers as the order's text shows them."""
    docket_text, rest = split_docket_text(body)
    text = order_text(rest).text
    motions: list[int] = []
    if docket_text:
        motions = [int(m.group(1)) for m in _MOTION_ECF.finditer(docket_text)]
    if not motions:
        for m in _CAPTION_ECF.finditer(_caption(text)):
            motions.extend(n for n in _numbers(m.group(1)) if n not in motions)
    entry = _JUSTIA_ENTRY.search(source_url or "")
    judge = _JUDGE.search(docket_text or "")
    return OrderFacts(
        court=infer_court(text),
        case=infer_case_name(text),
        docket=infer_docket(text),
        date=infer_date(text, docket_text),
        judge=judge.group(1) if judge else None,
        order_ecf=int(entry.group(1)) if entry else None,
        motion_ecf=tuple(dict.fromkeys(motions)),
    )
