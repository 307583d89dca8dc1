"""Question-set files: a YAML list of questions with the verdict, authorities and sources expected.

Format (see evals/README.md):

    questions:
      - id: q001                       # unique across the files evaluated together
        question: "Should I file my letter to defense counsel with the court?"
        verdict: "no"                  # yes | no | depends | abstain | not_in_sources | null
        authorities: ["Fed. R. Civ. P. 5(d)", "E.D. Cal. L.R. 250.2"]  # any-of; may be empty
        sources: ["masterson-v-killen-2014-11-24"]  # any-of document ids (file name, no extension)
        origin: "where the expected answer comes from"  # optional notes: origin, topic, note
        topic: "filing discovery"
        nuggets:                       # facts the answer must state; each a list of alternative
          - ["not be filed", "don't file"]   # case-insensitive regular expressions

An expected authority is met by a retrieved or cited authority that equals it or lies inside it
(`5(d)` is met by `5(d)(1)(A)`). Authorities are stored in their canonical spelling.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from bot.core.cite_parse import parse_authority
from bot.core.errors import InputError, QuestionSetError
from bot.core.types import DocKind, Document

VerdictLabel = Literal["yes", "no", "depends", "abstain", "not_in_sources"]
ABSTAIN = "abstain"
#: In scope, but no indexed source holds its law: procbot must say "not in my sources".
NOT_IN_SOURCES = "not_in_sources"
VERDICT_LABELS = ("yes", "no", "depends", ABSTAIN, NOT_IN_SOURCES)

#: File endings people paste by mistake into `sources`; a document id has none.
_FILE_ENDINGS = (".txt", ".md", ".pdf", ".yaml", ".yml")
_TOP_LEVEL_KEYS = {"questions", "description"}


class Question(BaseModel):
    """One evaluation question and what a correct answer must show."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)

    id: str
    question: str
    verdict: VerdictLabel | None = None
    authorities: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    origin: str | None = None
    topic: str | None = None
    note: str | None = None
    nuggets: tuple[tuple[str, ...], ...] = ()

    @field_validator("id", "question", mode="before")
    @classmethod
    def _nonempty_text(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            raise ValueError("must not be empty")
        return value.strip() if isinstance(value, str) else value

    @field_validator("verdict", mode="before")
    @classmethod
    def _yaml_booleans(cls, value: Any) -> Any:
        # YAML 1.1 reads a bare `no` / `yes` as a boolean; the writer meant the word.
        if isinstance(value, bool):
            return "yes" if value else "no"
        return value

    @field_validator("authorities", "sources", mode="before")
    @classmethod
    def _listed(cls, value: Any) -> Any:
        if value is None:
            return ()
        if isinstance(value, str):
            raise ValueError('must be a list, e.g. ["Fed. R. Civ. P. 5(d)"]')
        return value

    @field_validator("sources")
    @classmethod
    def _document_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for source in value:
            if "/" in source or "\\" in source or source.lower().endswith(_FILE_ENDINGS):
                raise ValueError(
                    f"{source!r} is not a document id: "
                    "use the file name without folder or extension"
                )
            if not source.strip():
                raise ValueError("a document id must not be empty")
        return value

    @field_validator("nuggets", mode="before")
    @classmethod
    def _nugget_regexes(cls, value: Any) -> Any:
        if value is None:
            return ()
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise ValueError('must be a list of facts, each a list of regexes, e.g. [["21 days"]]')
        for n, fact in enumerate(value):
            if isinstance(fact, str) or not isinstance(fact, list | tuple) or not fact:
                raise ValueError(
                    f"fact {n + 1} must be a non-empty list of alternative regexes, "
                    'e.g. ["21 days", "twenty-one days"]'
                )
            for pattern in fact:
                if not isinstance(pattern, str) or not pattern.strip():
                    raise ValueError(f"fact {n + 1}: every alternative must be a non-empty string")
                try:
                    re.compile(pattern, re.IGNORECASE)
                except re.error as error:
                    raise ValueError(
                        f"fact {n + 1}: {pattern!r} is not a valid regular expression ({error})"
                    ) from None
        return value

    @property
    def expects_abstain(self) -> bool:
        """Must be refused (out of scope, advice, drafting, injection)."""
        return self.verdict == ABSTAIN

    @property
    def expects_not_in_sources(self) -> bool:
        """In scope, but its law is in no indexed source: procbot must decline to answer."""
        return self.verdict == NOT_IN_SOURCES

    @property
    def in_scope(self) -> bool:
        """Should get an answer: neither a refusal nor a "not in my sources" question."""
        return self.verdict not in (ABSTAIN, NOT_IN_SOURCES)


def load_questions(path: Path) -> list[Question]:
    """Read and validate one question-set file; errors name the file, question and field."""
    name = str(path)
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise QuestionSetError(name, "file not found") from None
    except UnicodeDecodeError:
        raise QuestionSetError(name, "is not UTF-8 text") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise QuestionSetError(name, f"is not valid YAML{where}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("questions"), list):
        raise QuestionSetError(name, "needs a top-level `questions:` list")
    extra = sorted(set(raw) - _TOP_LEVEL_KEYS)
    if extra:
        raise QuestionSetError(name, f"unknown top-level key {extra[0]!r}", field=str(extra[0]))
    if not raw["questions"]:
        raise QuestionSetError(name, "the `questions` list is empty")

    questions: list[Question] = []
    seen: set[str] = set()
    for position, entry in enumerate(raw["questions"], start=1):
        question = _validated(name, position, entry)
        if question.id in seen:
            raise QuestionSetError(name, "duplicate id", qid=question.id, field="id")
        seen.add(question.id)
        questions.append(question)
    return questions


def load_question_sets(paths: Sequence[Path]) -> list[Question]:
    """Questions of several files, in order; ids must be unique across all of them."""
    if not paths:
        raise QuestionSetError("(no file)", "give at least one question file")
    questions: list[Question] = []
    owner: dict[str, Path] = {}
    for path in paths:
        for question in load_questions(path):
            if question.id in owner:
                raise QuestionSetError(
                    str(path), f"id also used in {owner[question.id]}", qid=question.id, field="id"
                )
            owner[question.id] = path
            questions.append(question)
    return questions


def _validated(name: str, position: int, entry: object) -> Question:
    label = f"#{position}"
    if not isinstance(entry, dict):
        raise QuestionSetError(name, "each question must be a mapping of keys", qid=label)
    qid = entry.get("id")
    qid_text = str(qid) if isinstance(qid, str) and qid.strip() else label
    try:
        question = Question.model_validate(entry)
    except ValidationError as error:
        first = error.errors()[0]
        loc = first["loc"]
        field = str(loc[0]) if loc else None
        raise QuestionSetError(name, _reason(first), qid=qid_text, field=field) from None
    if question.nuggets and not question.in_scope:
        raise QuestionSetError(
            name,
            f"a question labelled {question.verdict!r} gets no answer whose facts could be checked",
            qid=qid_text,
            field="nuggets",
        )
    return question.model_copy(
        update={"authorities": _canonical(name, qid_text, question.authorities)}
    )


def _canonical(name: str, qid: str, authorities: Iterable[str]) -> tuple[str, ...]:
    ids: list[str] = []
    for text in authorities:
        try:
            ids.append(parse_authority(text).id)
        except InputError:
            raise QuestionSetError(
                name,
                f"{text!r} is not a citation the grammar can read",
                qid=qid,
                field="authorities",
            ) from None
    return tuple(dict.fromkeys(ids))


def _reason(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return f"unknown key (allowed: {', '.join(Question.model_fields)})"
    if kind == "literal_error":
        return f"{error.get('input')!r} is not one of {', '.join(VERDICT_LABELS)} or null"
    message = str(error.get("msg", "invalid value"))
    return message.removeprefix("Value error, ")


def book_editions(questions: Sequence[Question], documents: Sequence[Document]) -> list[Question]:
    """The questions with each expected rule book widened to its other indexed versions.

    A question written against the 2022 Civil Rules is met by the 2024 print of the same rules:
    with both indexed, lookups and answers serve the newest version that has the rule, and that
    is the same source. Two files are versions of one book when both are rule books with the same
    citation prefix and court and different versions; statute files are never merged (one title's
    sections are separate files of one edition).
    """
    books: dict[tuple[str, str], list[Document]] = {}
    for document in documents:
        if document.kind == DocKind.RULES and document.citation_prefix and document.version:
            books.setdefault((document.citation_prefix, document.court or ""), []).append(document)
    editions: dict[str, list[str]] = {
        document.doc_id: [d.doc_id for d in book if d.version != document.version]
        for book in books.values()
        for document in book
    }
    widened = []
    for question in questions:
        extra = [e for source in question.sources for e in editions.get(source, [])]
        sources = tuple(dict.fromkeys((*question.sources, *extra)))
        changed = sources != question.sources
        widened.append(question.model_copy(update={"sources": sources}) if changed else question)
    return widened
