"""What an answer is made of: its short answer, cited sentences, sources and the conversation."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.core.deadline_types import Deadline
from bot.core.types import Passage


class Verdict(StrEnum):
    YES = "yes"
    NO = "no"
    DEPENDS = "depends"


@dataclass(frozen=True)
class Turn:
    """One earlier message of a conversation, for follow-up questions."""

    role: str  # "user" or "assistant"
    text: str


@dataclass(frozen=True)
class Source:
    """One numbered entry of an answer's source list."""

    n: int  # the number the sentences cite as [n]
    passage: Passage
    quote: str  # the words of the passage the answer relies on, verbatim

    @property
    def label(self) -> str:
        return self.passage.label

    @property
    def pinpoint(self) -> str | None:
        return self.passage.pinpoint


@dataclass(frozen=True)
class Sentence:
    """One sentence of an answer's explanation and the sources it cites."""

    text: str
    citations: tuple[int, ...] = ()  # source numbers


@dataclass(frozen=True)
class Answer:
    """What `ask` returns: short answer, cited sentences, sources, caveats, disclaimer."""

    question: str
    verdict: Verdict | None  # only for questions that ask for a decision
    abstained: bool
    sentences: tuple[Sentence, ...]
    sources: tuple[Source, ...]
    disclaimer: str
    composer: str  # "extractive", "llm:openai:gpt-4o-mini", or a fallback note
    latency_ms: float = 0.0
    abstain_reason: str | None = None  # "out_of_scope", "advice", ..., "not_in_sources"
    caveats: tuple[str, ...] = ()  # excerpt, older version, known only as quoted
    notes: tuple[str, ...] = field(default=())  # composer remarks (e.g. why it fell back)
    guide_id: str | None = None  # the guide that answered, when one did
    related: tuple[str, ...] = ()  # suggested follow-up questions
    deadline: Deadline | None = None  # a time question whose period could be counted
    needs: tuple[str, ...] = ()  # what the question lacks, e.g. ("trigger_date", "service")
