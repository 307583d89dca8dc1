"""LLM composer: a LangChain chat model drafts, the verifier keeps what the passages support."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Literal

import httpx
from langchain_core.exceptions import LangChainException
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, ValidationError, field_validator

from bot.answer import extractive
from bot.answer.scope import DISCLAIMER, NO_SUPPORT, abstain, caveats
from bot.answer.verify import verify
from bot.core.answer_types import Answer, Sentence, Source, Verdict
from bot.core.errors import ConfigError
from bot.core.settings import Settings
from bot.core.types import Hit, Passage

if TYPE_CHECKING:
    from bot.answer.guides import GuideMatch

log = logging.getLogger(__name__)

PROMPTS = Path(__file__).resolve().parents[2] / "prompts"

# What a provider can raise at the call boundary: LangChain's own model errors, HTTP transport
# errors, socket/OS errors, and the ValueError/RuntimeError/KeyError that SDKs use for bad
# replies. Anything else is a bug in procbot and must surface.
PROVIDER_ERRORS: tuple[type[BaseException], ...] = (
    LangChainException,
    httpx.HTTPError,
    OSError,
    ValueError,
    RuntimeError,
    KeyError,
)
try:  # the OpenAI SDK is optional; its errors do not derive from the ones above
    from openai import OpenAIError

    PROVIDER_ERRORS = (*PROVIDER_ERRORS, OpenAIError)
except ImportError:  # pragma: no cover - depends on what is installed
    pass

_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.IGNORECASE)


class DraftSentence(BaseModel):
    text: str
    citations: list[int] = []


class Draft(BaseModel):
    """The JSON the model must return."""

    verdict: Literal["yes", "no", "depends"] | None = None
    sentences: list[DraftSentence]

    @field_validator("verdict", mode="before")
    @classmethod
    def _null_words(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().lower()
            return None if value in {"", "null", "none"} else value
        return value


def load_prompt(name: str) -> Template:
    """A prompt file from prompts/ (`answer_system`, `answer_user`) as a `$name` template."""
    path = PROMPTS / f"{name}.md"
    try:
        return Template(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"Prompt file {path} cannot be read: {error.strerror}.") from error


def make_chat_model(settings: Settings) -> BaseChatModel:
    """The chat model named by `settings.llm` ("openai:gpt-4o-mini", "ollama:llama3.1")."""
    if not settings.llm:
        raise ConfigError("The llm composer needs PROCBOT_LLM, e.g. 'openai:gpt-4o-mini'.")
    from langchain.chat_models import init_chat_model

    try:
        return init_chat_model(settings.llm)
    except ImportError as error:
        raise ConfigError(
            f"PROCBOT_LLM={settings.llm!r} needs a provider package that is not installed "
            f"({error.name or 'unknown'})."
        ) from error
    except ValueError as error:
        raise ConfigError(f"PROCBOT_LLM={settings.llm!r} cannot be started: {error}") from error


def passages_block(passages: Sequence[Passage]) -> str:
    """The passages as numbered DATA blocks; text that imitates a delimiter is defused."""
    blocks = []
    for n, passage in enumerate(passages, 1):
        text = passage.text.replace("<<<", "‹‹‹").replace(">>>", "›››")
        blocks.append(f"<<<DATA {n}>>>\nsource: {passage.citation}\n{text}\n<<<END DATA {n}>>>")
    return "\n\n".join(blocks)


def guide_block(match: GuideMatch, passages: Sequence[Passage]) -> str:
    """The matched guide as a GUIDE block whose points cite the DATA blocks by number."""
    number = {p.passage_id: n for n, p in enumerate(passages, 1)}
    guide = match.verified.guide
    verdict = match.short_answer.value if match.short_answer else "null"
    lines = [f"<<<GUIDE {guide.id}>>>", f"short answer: {verdict}"]
    for point, anchor in zip(guide.points, match.verified.anchors, strict=True):
        lines.append(f"- {point.text} [{number[anchor.passage_id]}]")
    lines.append(f"<<<END GUIDE {guide.id}>>>")
    return "\n".join(lines).replace("<<<DATA", "‹‹‹DATA")


def messages(
    question: str, passages: Sequence[Passage], guide: GuideMatch | None = None
) -> list[BaseMessage]:
    """System and user messages for one answer (with the matched guide, when there is one)."""
    system = load_prompt("answer_system").safe_substitute()
    question = question.replace("<<<", "‹‹‹").replace(">>>", "›››")
    data = passages_block(passages)
    if guide is not None:
        data = f"{data}\n\n{guide_block(guide, passages)}"
    user = load_prompt("answer_user").safe_substitute(question=question, passages=data)
    return [SystemMessage(system), HumanMessage(user)]


def parse_draft(content: str) -> Draft:
    """The model's reply as a Draft; ValueError (or ValidationError) when it is not one."""
    text = _FENCE.sub("", content.strip())
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise ValueError("no JSON object in the reply")
    return Draft.model_validate(json.loads(text[start : end + 1]))


def invoke(model: BaseChatModel, prompt: list[BaseMessage], timeout_s: float) -> str:
    """The model's reply text; TimeoutError when it takes longer than `timeout_s`."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="procbot-llm")
    try:
        reply = pool.submit(model.invoke, prompt).result(timeout=timeout_s)
    except FutureTimeout as error:
        raise TimeoutError(f"no reply within {timeout_s:g} s") from error
    finally:
        # A late reply is simply discarded; the worker thread ends when the call returns.
        pool.shutdown(wait=False, cancel_futures=True)
    return reply.text if isinstance(reply.text, str) else str(reply.content)


def fallback(question: str, hits: Sequence[Hit], why: str, notes: Sequence[str] = ()) -> Answer:
    """The extractive answer, marked with why the LLM draft was not used."""
    answer = extractive.compose(question, hits)
    return replace(
        answer,
        composer=f"extractive (fallback: {why})",
        notes=(*notes, f"LLM answer not used: {why}."),
    )


def quote_for(passage: Passage, sentences: Sequence[Sentence]) -> str:
    """The passage sentence closest to what the answer says with it, verbatim."""
    said = set()
    for sentence in sentences:
        said.update(extractive.terms(sentence.text))
    spans = extractive.split_sentences(passage.text) or [(0, len(passage.text))]
    start, end = max(
        spans, key=lambda s: len(said & set(extractive.terms(passage.text[s[0] : s[1]])))
    )
    return passage.text[start:end]


def _guide_fallback(
    question: str, guide: GuideMatch, passages: Mapping[str, Passage], why: str, notes=()
) -> Answer:
    from bot.answer.guides import guide_answer

    answer = guide_answer(question, guide, passages, {})
    return replace(
        answer,
        composer=f"guide (fallback: {why})",
        notes=(*notes, f"LLM answer not used: {why}."),
    )


def compose(
    question: str,
    hits: Sequence[Hit],
    chat_model: BaseChatModel,
    timeout_s: float,
    name: str = "llm",
    guide: GuideMatch | None = None,
    known: Mapping[str, Passage] | None = None,
) -> Answer:
    """The model's answer, every citation and sentence verified; extractive when that fails.

    With a matched `guide` (whose anchor passages `known` holds), the model sees the guide and
    its anchors first, then the hits; the answer keeps the guide's short answer and must cite
    at least one of its anchors, else the guide's own answer is given.
    """
    passages = [hit.passage for hit in hits]
    if guide is not None:
        anchored = [(known or {})[a.passage_id] for a in guide.verified.anchors]
        first = list({p.passage_id: p for p in anchored}.values())
        ids = {p.passage_id for p in first}
        passages = first + [p for p in passages if p.passage_id not in ids]

        def fall(why: str, notes: Sequence[str] = ()) -> Answer:
            return _guide_fallback(question, guide, known or {}, why, notes)
    else:

        def fall(why: str, notes: Sequence[str] = ()) -> Answer:
            return fallback(question, hits, why, notes)

    if not passages:
        return abstain(question, NO_SUPPORT)
    try:
        content = invoke(chat_model, messages(question, passages, guide), timeout_s)
    except TimeoutError:
        log.warning("llm composer timed out after %.1f s", timeout_s)
        return fall("llm timeout")
    except PROVIDER_ERRORS as error:
        log.warning("llm composer failed: %s", type(error).__name__)
        return fall("llm error")
    try:
        draft = parse_draft(content)
    except (ValueError, ValidationError) as error:
        log.warning("llm reply unusable: %s", type(error).__name__)
        return fall("llm malformed output")
    drafted = [Sentence(s.text.strip(), tuple(s.citations)) for s in draft.sentences]
    verdict = Verdict(draft.verdict) if draft.verdict else None
    checked = verify(question, drafted, verdict, passages)
    if not checked.sentences:
        return fall("llm answer unsupported", checked.dropped)
    if guide is not None:
        anchors = {p.passage_id for p in first}
        cited = {passages[n - 1].passage_id for s in checked.sentences for n in s.citations}
        if not cited & anchors:
            return fall("llm answer drops the guide's sources", checked.dropped)
        # The guide's short answer is curated and verified; the draft's never replaces it.
        checked = replace(checked, verdict=guide.short_answer)
    # Renumber: only cited passages enter the source list, numbered in order of first use.
    order = list(dict.fromkeys(n for s in checked.sentences for n in s.citations))
    renumber = {old: new for new, old in enumerate(order, 1)}
    sentences = tuple(
        Sentence(s.text, tuple(renumber[n] for n in s.citations)) for s in checked.sentences
    )
    sources = tuple(
        Source(
            renumber[old],
            passages[old - 1],
            quote_for(passages[old - 1], [s for s in checked.sentences if old in s.citations]),
        )
        for old in order
    )
    return Answer(
        question=question,
        verdict=checked.verdict,
        abstained=False,
        sentences=sentences,
        sources=sources,
        disclaimer=DISCLAIMER,
        composer=f"llm:{name}",
        caveats=caveats(s.passage for s in sources),
        notes=checked.dropped,
        guide_id=guide.verified.guide.id if guide is not None else None,
    )
