"""What an order decided, what it directs, and what follows if no one complies.

Sentence by sentence (the project's sentence splitter over the order's clean text): a
directive is an obligation in the order's own voice (shall, must, should not, is directed /
ordered / required to, may file within a period), addressed to someone other than the court;
words inside quotation marks are the quoted rule's or case's, never this order's. Rulings
("is DENIED", "shall be denied", "RECOMMENDED that ... be dismissed") are decisions, not
directives; "failure to ... will result in" and "will be stricken" are consequences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.citations import find_mentions
from bot.core.text import split_sentences
from bot.ingest.parse_order import OrderText, _caption
from bot.reader.periods import Period, periods

_QUOTED = re.compile(r"\"[^\"]{1,1200}\"|“[^”]{1,1200}”")
_MODAL = re.compile(
    r"\b(?P<modal>shall|must|should\s+not|may\s+not)\b(?:\s+(?:also|not|promptly|generally|then))*"
    r"(?:\s+(?P<verb>[A-Za-z]+))?(?:\s+(?P<verb2>[A-Za-z]+))?",
    re.IGNORECASE,
)
_TOLD = re.compile(
    r"\b(?:is|are)\s+(?:hereby\s+|also\s+)*(?:directed|ordered|required|instructed)\s+to\b",
    re.IGNORECASE,
)
_GIVEN_TIME = re.compile(
    r"\b(?:is|are)\s+(?:hereby\s+)?granted\b[^.]{0,60}?\bdays?\b", re.IGNORECASE
)
_MAY_ACT = re.compile(r"\bmay\s+(?:file|serve|submit|object|respond|reply|lodge)\b", re.IGNORECASE)
# A ruling, not an obligation: "shall be denied", "must be construed by the court".
_RULING_PARTICIPLES = frozenset(
    [
        "denied",
        "granted",
        "dismissed",
        "vacated",
        "adopted",
        "overruled",
        "sustained",
        "construed",
        "deemed",
        "disregarded",
        "reserved",
    ]
)
# The subject is the court itself (not "documents filed with the Court", not its Clerk).
_COURT_SUBJECT = re.compile(
    r"^(?:\W*(?:and|but|so|in\s+general)\s+)?(?:(?:a|the|this)\s+)?(?:district\s+)?courts?"
    r"|^(?:the\s+)?undersigned|^I$",
    re.IGNORECASE,
)
# A rule stated and cited at once ("objections must be stated with specificity, Fed. R. Civ.
# P. 33(b)(4)") is the rule's obligation, not this order's.
_CITED_AFTER = re.compile(r"^[^,;.]{0,120},\s*$")
# Legal standards are addressed to anyone who might ask: "the party seeking modification must".
_GENERIC_SUBJECT = re.compile(r"\b(?:part(?:y|ies)|movants?)\s+seeking\b", re.IGNORECASE)
_REPORTED = re.compile(
    r"\b(?:was|were|had\s+been)\s+(?:also\s+)?(?:advised|informed|warned|notified)\b"
    r"|\b(?:advised|informed|warned|notified)\s+(?:plaintiffs?|defendants?|the\s+parties)\b"
    r"|\bprovides?\s+(?:that|in\s+part)\b",
    re.IGNORECASE,
)
_DECIDED = re.compile(
    r"\b(?:is|are)\s+(?:hereby\s+)?(?P<outcome>GRANTED\s+IN\s+PART|GRANTED|DENIED|DISMISSED|"
    r"VACATED|ADOPTED|STRICKEN|DISCHARGED|OVERRULED|SUSTAINED)\b"
    r"|\b(?:shall|must)\s+be\s+(?P<outcome2>granted|denied|dismissed)\b",
    re.IGNORECASE,
)
_RECOMMENDED = re.compile(
    r"\bRECOMMEND(?:S|ED)?\s+that\s+(?P<what>.{3,200}?)\s+be\s+(?P<outcome>[A-Za-z]+(?:\s+WITHOUT\s+PREJUDICE|\s+with\s+prejudice)?)",
    re.IGNORECASE,
)
_CAPTION_RULING = re.compile(
    r"\bORDER\s+(?P<outcome>GRANTING(?:\s+IN\s+PART)?|DENYING|DISMISSING|VACATING|ADOPTING)\b"
    r"(?P<what>[^()\d]{3,160})"
)
_CONSEQUENCE = re.compile(
    r"\bfail(?:ure|s|ing)?\s+to\b[^.]{0,250}?\b(?:will|may|shall|could)\s+(?:also\s+)?"
    r"(?:result\s+in|be\s+grounds\s+for|be\s+deemed|lead\s+to|subject)"
    r"|\b(?:will|may)\s+be\s+(?:stricken|returned|disregarded|dismissed)\b"
    r"|\b(?:will|may)\s+result\s+in\b",
    re.IGNORECASE,
)
_FINDINGS = re.compile(
    r"\bFINDINGS\s+AND\s+RECOMMENDATIONS?\b|\bRECOMMENDS?\s+that\b", re.IGNORECASE
)
_PARTY_FIRST = re.compile(
    r"(?:the\s+)?(?:plaintiffs?|defendants?|parties|you|counsel|petitioners?)\b", re.IGNORECASE
)
_NEW_POINT = re.compile(r"[;]|\b(?:Therefore|Accordingly|Thus|Hence)\b")
_ACTORS = (
    ("plaintiff", r"\bplaintiffs?\b|\bpetitioners?\b|\byou\b"),
    ("defendant", r"\bdefendants?(?:\(s\))?\b|\bdefense\s+counsel\b|\brespondents?\b"),
    ("clerk", r"\bclerk\b"),
    ("counsel", r"\bcounsel\b"),
    ("parties", r"\b(?:the|all|any)\s+part(?:y|ies)\b|\beach\s+party\b"),
)
#: A line shorter than this share of the longest one ends early: a break, not a wrap.
SHORT_LINE = 0.6
#: Who reads the order: the person proceeding pro se, served by mail.
SERVED_BY_MAIL = frozenset({"plaintiff", "parties"})


@dataclass(frozen=True)
class Found:
    """One sentence of the order and where it is: text, offsets into the clean text, pinpoint."""

    text: str
    start: int
    end: int
    pinpoint: str | None


@dataclass(frozen=True)
class Directive(Found):
    actor: str | None = None  # plaintiff | defendant | clerk | counsel | parties
    period: Period | None = None


@dataclass(frozen=True)
class Decision(Found):
    outcome: str = ""  # "granted", "denied", "recommended: dismissed", ...
    what: str = ""


@dataclass(frozen=True)
class Extracted:
    decided: tuple[Decision, ...]
    directives: tuple[Directive, ...]
    consequences: tuple[Found, ...]
    findings_and_recommendations: bool


def sentences(order: OrderText) -> list[Found]:
    """The order's sentences; headings and numbered items on lines of their own stay apart.

    On pleading paper the lines are known: a line in capitals only ("CONCLUSION") or one that
    stops well short of the margin before a capitalized line (a caption's "Case No. ... ORDER",
    a paragraph's end) ends what precedes it, as a line break does in plain text.
    """
    text = order.text
    headings = sorted(_line_breaks(order))
    found: list[Found] = []
    for block in re.finditer(
        r"[^\n]+(?:\n(?![ \t]*\n)(?!(?:[A-Z]\.|\d{1,2}\.|\([a-z0-9]\))\s)[^\n]+)*", text
    ):
        base = block.start()
        for start, end in split_sentences(block.group()):
            a, b = base + start, base + end
            cuts = [c for c in headings if a < c < b]
            for x, y in zip([a, *cuts], [*cuts, b], strict=True):
                piece = text[x:y]
                if piece.strip():
                    lead = len(piece) - len(piece.lstrip())
                    x, y = x + lead, x + len(piece.rstrip())
                    found.append(Found(" ".join(text[x:y].split()), x, y, order.pinpoint(x, y)))
    return found


def _line_breaks(order: OrderText) -> set[int]:
    text, lines = order.text, order.lines
    if not lines:
        return set()
    full = max(span.end - span.start for span in lines)
    breaks: set[int] = set()
    for span, after in zip(lines, [*lines[1:], None], strict=True):
        line = text[span.start : span.end]
        letters = [c for c in line if c.isalpha()]
        heading = len(letters) >= 3 and not any(c.islower() for c in letters)
        short = len(line) < SHORT_LINE * full and after is not None
        if heading or (short and text[after.start : after.start + 1].isupper()):
            breaks.update((span.start, span.end) if heading else (span.end,))
    return breaks


def _outside_quotes(sentence: str) -> str:
    """The sentence with quoted words blanked out (same length, so offsets hold)."""
    return _QUOTED.sub(lambda m: " " * len(m.group()), sentence)


def _subject(before: str) -> str:
    """The words before a modal back to the clause's start: its subject."""
    clause = re.split(r"[,;:]|\bthat\b|\bORDERED\b", before)[-1]
    return clause.strip()


def _directive_at(own: str) -> int | None:
    """Offset of the obligation in `own` (quotes blanked), or None when there is none."""
    for m in _MODAL.finditer(own):
        verb, verb2 = (m.group("verb") or "").lower(), (m.group("verb2") or "").lower()
        if verb == "be" and verb2 in _RULING_PARTICIPLES:
            continue
        if _addressed_to_court_or_anyone(own[: m.start()]) or _states_cited_rule(own, m.end()):
            continue
        # "should" advises; it directs only when said to a party by name ("Plaintiff should
        # not file ..."), never in "should not have been filed".
        if m.group("modal").lower().startswith("should") and (
            verb == "have" or not _PARTY_FIRST.match(_subject(own[: m.start()]))
        ):
            continue
        return m.start()
    for pattern in (_TOLD, _GIVEN_TIME):
        for m in pattern.finditer(own):
            if not _addressed_to_court_or_anyone(own[: m.start()]):
                return m.start()
    return None


def _addressed_to_court_or_anyone(before: str) -> bool:
    subject = _subject(before)
    return bool(_COURT_SUBJECT.fullmatch(subject) or _GENERIC_SUBJECT.search(subject))


def _states_cited_rule(own: str, end: int) -> bool:
    """True when the clause after the modal ends in a citation of a rule or statute."""
    rest = own[end:]
    for mention in find_mentions(rest):
        return bool(_CITED_AFTER.match(rest[: mention.start]))
    return False


def _actor_in(text: str) -> str | None:
    """The last party named in `text`: plaintiff, defendant, clerk, counsel or parties."""
    hits = [(m.start(), name) for name, p in _ACTORS for m in re.finditer(p, text, re.I)]
    return max(hits)[1] if hits else None


def _actor(own: str, at: int) -> str | None:
    """Who must act: the party the clause's subject names, else the agent of a passive
    ("requests shall be served by the parties"); a party named as recipient is not it."""
    # The whole clause, commas included: "Plaintiff's objections, if any, shall be filed".
    named = _actor_in(re.split(r"[;:]|\bthat\b|\bORDERED\b", own[:at])[-1])
    if named:
        return named
    agent = re.search(r"\bby\s+((?:the\s+|all\s+)?[\w()']+(?:\s+\w+)?)", own[at:])
    return _actor_in(agent.group(1)) if agent else None


def extract(order: OrderText) -> Extracted:
    """Decisions, directives and consequences of an order, in the order's own sequence."""
    caption = _caption(order.text)
    findings = bool(_FINDINGS.search(order.text))
    decided: list[Decision] = []
    directives: list[Directive] = []
    consequences: list[Found] = []
    for s in sentences(order):
        own = _outside_quotes(s.text)
        if decision := _decision(s, own):
            decided.append(decision)
        at = _directive_at(own)
        spans = periods(own, findings_are_this_order=findings)
        if at is None and (m := _MAY_ACT.search(own)) and any(p.days for p in spans):
            at = m.start()
        if at is not None and not _reported(own, at):
            period = _nearest(spans, at)
            directives.append(
                Directive(s.text, s.start, s.end, s.pinpoint, _actor(own, at), period)
            )
        if (m := _CONSEQUENCE.search(own)) and not _reported(own, m.start()):
            consequences.append(s)
    if not decided and (m := _CAPTION_RULING.search(caption)):
        what = " ".join(m.group("what").split()).strip(" .,").lower()
        decided.append(Decision(m.group(0), m.start(), m.end(), order.pinpoint(m.start(), m.end()),
                                _participle(m.group("outcome")), what))  # fmt: skip
    return Extracted(tuple(decided), tuple(directives), tuple(consequences), findings)


def _reported(own: str, at: int) -> bool:
    """True when the words at `at` report what a rule provides or what a party was told
    before ("Local Rule 110 provides that failure ...", "plaintiff was advised that ...")."""
    reports = list(_REPORTED.finditer(own[:at]))
    return bool(reports) and not _NEW_POINT.search(own[reports[-1].end() : at])


def _nearest(spans: list[Period], at: int) -> Period | None:
    """The period that governs the obligation: one that runs from an event, else the first."""
    if not spans:
        return None
    with_trigger = [p for p in spans if p.trigger or p.due]
    return (with_trigger or spans)[0]


def _participle(word: str) -> str:
    word = word.lower()
    word = " ".join(word.lower().split())
    return re.sub(r"ing\b", "ed", word).replace("denyed", "denied").replace("adopted", "adopted")


def _decision(s: Found, own: str) -> Decision | None:
    if m := _RECOMMENDED.search(own):
        outcome = "recommended: " + " ".join(m.group("outcome").lower().split())
        return Decision(
            s.text, s.start, s.end, s.pinpoint, outcome, " ".join(m.group("what").split())
        )
    m = _DECIDED.search(own)
    if not m:
        return None
    outcome = (m.group("outcome") or m.group("outcome2")).lower()
    subject = _subject(own[: m.start()])
    subject = re.sub(
        r"^(?:accordingly|therefore|based on the foregoing)\W*", "", subject, flags=re.I
    )
    return Decision(s.text, s.start, s.end, s.pinpoint, " ".join(outcome.split()), subject)
