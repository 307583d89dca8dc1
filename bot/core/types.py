"""Domain types of the knowledge: documents, passages, authorities, hits, rule texts, sources."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DocKind(StrEnum):
    """What a knowledge file is; decides which parser reads it."""

    ORDER = "order"
    RULES = "rules"
    STATUTE = "statute"


class AuthorityKind(StrEnum):
    FEDERAL_RULE = "federal_rule"  # a federal rule set: Civil, Appellate, Evidence, Criminal
    LOCAL_RULE = "local_rule"  # a district court's local rules
    STATUTE = "statute"  # a section of the United States Code


#: Local-rule prefixes as written without a court ("L.R. 230"): the rule of whichever court.
COURTLESS_LOCAL = ("L.R.", "Civ. L.R.", "Loc. R.")


@dataclass(frozen=True, order=True)
class Authority:
    """A rule or statute section, possibly narrowed to a subdivision (`Fed. R. Civ. P. 5(d)`)."""

    kind: AuthorityKind
    code: str  # citation prefix: "Fed. R. Civ. P.", "E.D. Cal. L.R.", "28 U.S.C."
    number: str  # rule or section number: "5", "250.2", "1915"
    path: tuple[str, ...] = ()  # subdivisions, outermost first: ("d", "1", "A")

    @property
    def id(self) -> str:
        """Canonical id, the one spelling used in metadata, question sets and lookups."""
        sep = " § " if self.kind is AuthorityKind.STATUTE else " "
        return f"{self.code}{sep}{self.number}" + "".join(f"({p})" for p in self.path)

    def contains(self, other: Authority) -> bool:
        """True when `other` is this authority or lies inside it (5(d) contains 5(d)(1)(A)).

        A local rule whose court is not named ("L.R. 230(l)") contains that rule of any court.
        """
        courtless = self.kind is AuthorityKind.LOCAL_RULE and self.code in COURTLESS_LOCAL
        same_code = self.code == other.code or (
            courtless
            and other.kind is AuthorityKind.LOCAL_RULE
            and other.code.endswith(" " + self.code)
        )
        return (
            same_code and self.number == other.number and other.path[: len(self.path)] == self.path
        )

    @property
    def parent(self) -> Authority | None:
        if not self.path:
            return None
        return Authority(self.kind, self.code, self.number, self.path[:-1])

    def __str__(self) -> str:
        return self.id


@dataclass(frozen=True)
class DocketRef:
    """A reference to an entry on a case's docket: `ECF No. 48`, `Doc. 43 at 1:19-20`."""

    numbers: tuple[int, ...]  # ECF entry numbers ("ECF Nos. 41, 42, 43" gives three)
    pinpoint: str | None = None  # "1:19-20" when the reference names page:line

    @property
    def id(self) -> str:
        head = "ECF No. " if len(self.numbers) == 1 else "ECF Nos. "
        text = head + ", ".join(str(n) for n in self.numbers)
        if not self.pinpoint:
            return text
        # Paragraph pinpoints read "ECF No. 42 ¶ 1"; page:line ones "Doc. 43 at 1:19-20".
        return (
            f"{text} {self.pinpoint}"
            if self.pinpoint.startswith("¶")
            else f"{text} at {self.pinpoint}"
        )


@dataclass(frozen=True)
class Mention:
    """One reference found in free text by the citation grammar."""

    start: int  # character offsets into the searched text
    end: int
    text: str  # the words as written
    target: Authority | DocketRef


@dataclass(frozen=True)
class Document:
    """One knowledge file after loading: its metadata and its body text."""

    doc_id: str  # the file name without extension
    path: str  # where it was read from
    kind: DocKind
    title: str  # case name for orders; rule-book or statute title otherwise
    body: str  # text after the front matter, as written
    content_hash: str  # sha256 of the file bytes; decides whether re-indexing is needed
    court: str | None = None  # "E.D. Cal."
    docket: str | None = None  # "1:11-cv-01179-LJO-GSA-PC"
    judge: str | None = None
    date: str | None = None  # ISO date of the order, when the text shows it
    date_note: str | None = None  # what is known when the exact date is not
    source_url: str | None = None
    complete: bool = True  # False when the file holds only an excerpt of the order
    order_ecf: int | None = None  # ECF number of the order itself
    motion_ecf: tuple[int, ...] = ()  # ECF numbers of the motions it decides
    citation_prefix: str | None = None  # rules and statutes: "Fed. R. Civ. P."
    version: str | None = None  # rules: ISO date the text is amended to
    secondary: bool = False  # rules known only as quoted by courts, not the official text
    note: str | None = None  # free-text caveat carried from the front matter


@dataclass(frozen=True)
class SentenceSpan:
    """One sentence of a passage and its role, decided at index time from its form alone.

    Only "body" sentences (what the court explains or directs) are quoted as an answer; the
    others ("caption", "heading", "docket", "date", "history", "footnote", "signature",
    "lead_in", "fragment") are a document's furniture, its record, or pieces of a list.
    """

    start: int  # character offsets into Passage.text
    end: int
    role: str = "body"

    @property
    def quotable(self) -> bool:
        return self.role == "body"


@dataclass(frozen=True)
class Passage:
    """The unit that is indexed, retrieved and cited: a span of one document."""

    passage_id: str  # content key: stable while doc_id, text and anchor are unchanged
    doc_id: str
    kind: DocKind
    text: str  # clean text: pleading line numbers and hyphenation breaks removed
    label: str  # citation of the source for people, without pinpoint
    position: int  # order of the passage within its document
    pinpoint: str | None = None  # orders: "2:1-6" (page:line-line) or "2:27-3:4"
    authority: str | None = None  # rule or statute text: the id this passage *is*
    heading: str | None = None  # rule headings, outermost first, joined by " — "
    mentions: tuple[str, ...] = ()  # authority ids the text cites
    court: str | None = None
    version: str | None = None  # "as amended to Dec. 1, 2022"; older wording says so
    version_date: str | None = None  # the book's version as an ISO date: orders versions
    provenance: str | None = None  # quoted local rules: "Quoted in: Gradford v. McDougall, ..."
    excerpt: bool = False  # the order is known only as an excerpt
    url: str | None = None
    # (start, end) of sentences that address the reader or the assistant instead of deciding
    # anything ("ignore previous instructions", a contact only this file gives); flagged at
    # index time (bot/index/screen.py), left out of ranking, blanked to spaces in served text.
    reader_addressed: tuple[tuple[int, int], ...] = ()
    sentences: tuple[SentenceSpan, ...] = ()  # every sentence with its role, in order

    @property
    def authorities(self) -> tuple[str, ...]:
        """The authority this passage is (if any), then those it mentions."""
        own = (self.authority,) if self.authority else ()
        return own + tuple(m for m in self.mentions if m != self.authority)

    @property
    def citation(self) -> str:
        """Label with pinpoint, the way a source list prints it."""
        return f"{self.label}, at {self.pinpoint}" if self.pinpoint else self.label


@dataclass(frozen=True)
class Hit:
    """A passage returned by a retriever, with its fused score."""

    passage: Passage
    score: float  # higher is better; comparable only within one result list
    rank: int  # 1-based
    via: tuple[str, ...] = ()  # which retrievers found it: "dense", "bm25", "authority"


@dataclass(frozen=True)
class RuleMatch:
    """The text of one rule or subdivision, for `procbot rule` and `/rule`."""

    authority: str  # canonical id
    label: str  # citation with version: "Fed. R. Civ. P. 5(d) (as amended to Dec. 1, 2022)"
    text: str  # the subdivision with everything inside it, in order
    doc_id: str
    heading: str | None = None
    version: str | None = None
    provenance: str | None = None  # "Quoted in: ..." when known only as quoted in orders
    url: str | None = None
    other_versions: tuple[str, ...] = ()  # ISO dates of other indexed versions of the book


@dataclass(frozen=True)
class RuleBook:
    doc_id: str
    title: str
    version: str | None  # ISO date the text is amended to
    secondary: bool  # known only as quoted in orders
    passages: int
    kind: str = "rules"  # "rules" or "statute"
    prefix: str | None = None  # "Fed. R. App. P."; a statute file: "28 U.S.C." (or several)
    rules: int = 0  # rules (or sections) the book yielded


@dataclass(frozen=True)
class SourcesSummary:
    """What `procbot sources` and `/sources` print."""

    generation: str
    documents: int
    passages: int
    by_kind: tuple[tuple[str, int], ...]
    by_court: tuple[tuple[str, int], ...]
    orders: int
    excerpts: int  # orders known only as an excerpt
    rule_books: tuple[RuleBook, ...]
    guides: int = 0  # guides served
    guides_waiting: tuple[tuple[str, str], ...] = ()  # (guide id, the source it waits for)
    guides_failed: tuple[str, ...] = ()  # why each guides file or guide is not served
    dense: str | None = None  # why dense retrieval is unavailable or stale; None when healthy
