"""A guide: a curated, cited answer, its points, conditions and where its anchors were found."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.answer_types import Verdict


@dataclass(frozen=True)
class GuidePoint:
    """One plain-language point of a guide and the verbatim words of the authority it rests on."""

    text: str
    cite: str  # an order's docket number or a rule/statute citation, as the guide writes it
    anchor: str  # copied verbatim from the indexed text of `cite`
    text_es: str | None = None  # the point in Spanish, when the guide gives one


@dataclass(frozen=True)
class GuideCondition:
    """A stated circumstance that changes a guide's short answer ("unless it is an exhibit")."""

    when: str
    cues: tuple[str, ...]  # phrases that state the circumstance, matched by meaning
    short_answer: Verdict | None  # None: informational ("none")
    point: int | None = None  # 0-based index of the point that states the exception


@dataclass(frozen=True)
class Guide:
    """A curated, cited answer to one procedural question, read from a guides file."""

    id: str  # unique across every guides file
    topic: str
    asks: tuple[str, ...]  # ways people type the question
    short_answer: Verdict | None  # None: informational ("none")
    points: tuple[GuidePoint, ...]
    path: str  # the guides file it came from, for error messages
    asks_es: tuple[str, ...] = ()
    conditions: tuple[GuideCondition, ...] = ()
    related: tuple[str, ...] = ()  # ids of nearby guides
    court: str | None = None  # "E.D. Cal." when the guide applies to one court only


@dataclass(frozen=True)
class GuideAnchor:
    """Where a point's anchor was found at index time: a span of one indexed passage."""

    passage_id: str
    start: int  # offsets into passage.text: the quote is passage.text[start:end]
    end: int


@dataclass(frozen=True)
class VerifiedGuide:
    """A guide whose every anchor was found in its authority's indexed text."""

    guide: Guide
    anchors: tuple[GuideAnchor, ...]  # parallel to guide.points


@dataclass(frozen=True)
class GuideAsk:
    """One text a question is matched against: an ask, or a condition's cue."""

    guide_id: str
    text: str
    spanish: bool = False  # one of the guide's asks_es
    condition: int | None = None  # index of the condition this text is a cue of
