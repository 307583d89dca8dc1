"""Scope: when not to answer (screening, abstentions) and the limits every answer states."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.core.answer_types import Answer, Sentence, Turn
from bot.core.types import DocKind, Passage

EMPTY = "empty"
INJECTION = "injection"
DRAFTING = "drafting"
ADVICE = "advice"
OUT_OF_SCOPE = "out_of_scope"
NO_SUPPORT = "no_support"

#: Said once in every answer; names no organisation and no number to call.
DISCLAIMER = "This is legal information, not legal advice about your case."

#: What procbot can do, said the same way in every refusal; no phone numbers or organisations.
CAN_HELP = (
    "procbot answers procedural questions about federal civil cases and district courts' local "
    "rules (filing, discovery, deadlines, motions, appointment of counsel, change of address), "
    "and looks up indexed rules by number (for example Fed. R. Civ. P. 5, when the FRCP is "
    "indexed)."
)

REPLIES = {
    EMPTY: "Your message has no words to search for. Please ask your question in words.",
    INJECTION: "procbot follows its own instructions only and cannot change how it works.",
    DRAFTING: "procbot cannot write or draft filings for you.",
    ADVICE: (
        "procbot cannot predict how your case will turn out or advise you about your own case."
    ),
    OUT_OF_SCOPE: "That question is outside what procbot covers.",
    NO_SUPPORT: (
        "The sources procbot has do not answer that question, so it will not guess. "
        "Try naming the step you are asking about (for example filing, discovery, a deadline, "
        "or a motion)."
    ),
}


def reply(reason: str) -> str:
    """The short, helpful message shown instead of an answer for `reason`."""
    head = REPLIES.get(reason, REPLIES[NO_SUPPORT])
    return f"{head} {CAN_HELP}"


# Attempts to change the assistant's role or reveal its setup; legal questions never use these.
# "ignore the court's instructions" and "forget the instructions the judge gave" are legal
# questions: only procbot's own ("your", "previous", "system") instructions make an injection.
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b\s+(?:all\s+|any\s+|of\s+)*(?:the\s+)?"
    r"(?:your|previous|prior|above|earlier|preceding|system|original|initial)\b[^.?!]{0,30}?"
    r"\b(?:instructions?|prompts?|rules|guidelines|directions|programming)\b"
    r"|\b(?:ignore|disregard|forget|override)\b.{0,40}\brules you\b"
    r"|\byou are now\b|\bfrom now on,? you\b|\bsystem prompt\b|\bdeveloper mode\b|\bjailbreak"
    r"|\bpretend (?:to be|you are|you're)\b|\bact as (?:an?|my) (?!pro se\b)"
    r"|\breveal (?:your|the) (?:prompt|instructions)\b|\bdo anything now\b",
    re.IGNORECASE | re.DOTALL,
)

_DRAFT_VERB = r"(?:write|draft|prepare|compose|type up|fill out|fill in|make|do|create)"
_FILING = (
    r"(?:motion|complaint|petition|brief|opposition|reply|response|declaration|letter|filing|"
    r"objections?|appeal|answer|pleading|interrogatories|requests?|subpoena|document|paper|form)"
)
# Only requests that procbot itself produce the paper: "can you write my motion", "draft ... for
# me". "Can I make a request for production?" and "Can you tell me how to make a request for
# production?" ask about procedure and must stay in scope: the writing verb must be said to
# procbot, with the paper as its object.
_DRAFTING = re.compile(
    rf"\b(?:can|could|would|will)\s+(?:you|u|procbot)\s+(?:please\s+)?{_DRAFT_VERB}\s+"
    rf"(?:up\s+|out\s+)?(?:me\s+)?(?:my|a|an|the|this|that|our|some)?\s*(?:[\w-]+\s+){{0,3}}?"
    rf"{_FILING}s?\b"
    rf"|\b(?:write|draft|prepare|compose|type up|fill out)\b.{{0,60}}\bfor me\b"
    # "help me write" asks procbot only when said to it, not "is my cellmate allowed to help me"
    rf"|^\s*(?:please\s+|pls\s+)?help me (?:write|draft|prepare)\b"
    rf"|\b(?:can|could|would|will)\s+(?:you|u|procbot)\s+help me (?:write|draft|prepare)\b"
    rf"|^\s*(?:please\s+|pls\s+)?(?:write|draft|compose|fill out|fill in)\b"
    rf"|\bmake me an?\s+(?:[\w-]+\s+){{0,2}}?{_FILING}s?\b"
    rf"|\bi need (?:you|u) to (?:write|draft|prepare|fill|sign|make|type)\b"
    # Signing someone else's name is never a procedural question procbot can help with.
    rf"|\bsign (?:it|this|that|them|the [\w-]+)?\s*(?:with|in|using|as) (?:his|her|their"
    rf"|someone(?: else)?'?s|my [\w-]+'?s) name\b",
    re.IGNORECASE,
)

_ADVICE = re.compile(
    r"\bwill i (?:win|lose|get|be awarded|prevail|beat)\b"
    r"|\bam i going to (?:win|lose|get)\b"
    # "my chances of getting counsel appointed" asks the standard for appointment (§ 1915(e)(1))
    r"|\b(?:my|our) (?:chances?|odds)\b(?!\s+(?:of|for)\s+(?:getting\s+|having\s+)?(?:an?\s+)?"
    r"(?:counsel|lawyer|attorney|appointment|appointed))"
    r"|\bchances? (?:of|that) (?:me|i|my)\b"
    r"|\bhow much (?:money|cash|damages|compensation)\b.{0,30}\b(?:i|me|get|win|worth)\b"
    r"|\bhow much (?:will|would|could|can) i (?:get|win|recover)\b"
    r"|\bwhat is my case worth\b|\bis my case (?:good|strong|weak|worth|winnable)\b"
    r"|\bdo i have a (?:good |strong |winning )?case\b"
    r"|\bshould i (?:sue|settle|accept|take the (?:deal|settlement)|drop my case|plead)\b"
    r"|\bwill the (?:judge|court|jury) (?:rule (?:for|in favor|in my favor|against)|side with"
    r"|believe me|find (?:for|in favor|against))"
    # A forecast of a ruling on the person's own papers. "Will the court dismiss my case if I
    # don't update my address?" names a condition: that asks what a rule does (L.R. 183(b)).
    r"|\bwill (?:the|this|my) (?:judge|court|magistrate|jury) (?:grant|deny|approve|reject"
    r"|dismiss|throw out|accept)\s+(?:my|our|the)\b(?![^?]*\b(?:if|unless|when|because)\b)"
    r"|\bwhat will the (?:jury|judge|court) (?:decide|think|award|give me)\b(?![^?]*\bif\b)"
    r"|\b(?:is|are) my (?:[\w-]+\s+){0,3}?(?:claims?|case|motion|lawsuit|evidence)\b[^?]{0,40}"
    r"\b(?:strong|good|solid|weak) enough\b"
    r"|\bhow likely (?:is it )?(?:that )?(?:i|i'?ll|my|the (?:judge|court|jury))\b",
    re.IGNORECASE,
)

# Topics outside federal civil procedure; a procedural word nearby does not bring them back in.
_OUT_OF_SCOPE = re.compile(
    r"\b(?:recipes?|bake|baking|cook(?:ing)?|weather|horoscope|football|basketball|lottery"
    r"|poems?|songs?|jokes?|video games?"
    r"|divorce|child custody|custody of (?:my|our|the) (?:child|children|kids?|son|daughter)"
    r"|child support|alimony|marriage|prenup|adoption"
    r"|immigration|immigrant|deport(?:ed|ation)?|asylum|visa|green card|citizenship|uscis"
    r"|taxes|income tax|irs|tax return|w-2|bankruptcy|chapter (?:7|11|13)"
    r"|sentencing|sentence reduction|plea (?:deal|bargain)|criminal (?:appeal|conviction|charges?)"
    r"|resentenc\w*"
    r"|parole board|parole hearing|probation officer|dui|speeding ticket|traffic ticket"
    r"|landlord|eviction|lease|will and testament|probate|real estate|mortgage"
    r"|stock market|crypto\w*|bitcoin)\b",
    re.IGNORECASE,
)

_WORD = re.compile(r"[^\W_]", re.UNICODE)


def screen(question: str, history: Sequence[Turn] = ()) -> str | None:
    """Why not to answer `question` ("empty", "injection", "drafting", "advice", "out_of_scope").

    Only the person's own words are screened: retrieved text is data and never reaches here.
    `history` is accepted for follow-ups; an elliptical follow-up ("what about taxes?") is
    screened on its own words, which is where a new topic shows up.
    """
    del history  # earlier turns were screened when they were asked
    text = question.strip()
    if not _WORD.search(text):
        return EMPTY
    if _INJECTION.search(text):
        return INJECTION
    if _DRAFTING.search(text):
        return DRAFTING
    if _ADVICE.search(text):
        return ADVICE
    if _OUT_OF_SCOPE.search(text):
        return OUT_OF_SCOPE
    return None


def caveats(passages: Iterable[Passage]) -> tuple[str, ...]:
    """What the reader must know about the sources: excerpts, old versions, quoted rules."""
    notes: list[str] = []
    for p in passages:
        name = p.authority or p.label
        version = (p.version or "").strip()
        if p.excerpt:
            notes.append(
                f"{p.label} is known here only as an excerpt; the full order may say more."
            )
        if re.search(r"\b(?:earlier|former|superseded|older|previous)\b", version, re.I):
            notes.append(
                f"{name} is quoted here in an older version ({version}); the current "
                "rule may read differently."
            )
        if p.provenance:
            notes.append(
                f"{name} is known here only as quoted in a court order ({p.provenance}), "
                "not from the official text."
            )
        if p.authority and version and not p.provenance and p.kind is not DocKind.ORDER:
            clean = version.removeprefix("as ").strip()
            notes.append(f"{name}: quoted as {clean}; check for later amendments.")
    return tuple(dict.fromkeys(notes))


def abstain(question: str, reason: str, composer: str = "extractive") -> Answer:
    """An answer that declines, saying why and what procbot can help with."""
    return Answer(
        question=question,
        verdict=None,
        abstained=True,
        sentences=(Sentence(reply(reason)),),
        sources=(),
        disclaimer=DISCLAIMER,
        composer=composer,
        abstain_reason=reason,
    )
