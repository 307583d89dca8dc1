"""Answers from guides: matching by meaning, stated conditions, Spanish, sources from anchors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.answer.assemble import ask
from bot.app.engine import Engine
from bot.core.answer_types import Verdict
from bot.core.settings import Settings
from bot.render import answer_json, answer_text

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "guides" / "discovery.yaml"
MASTERSON_LABEL = "Masterson v. Killen"


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, embedder) -> Engine:
    """Masterson v. Killen (the shipped order) and the fixture guides, indexed once."""
    from bot.core.settings import SHIPPED_KNOWLEDGE

    knowledge = tmp_path_factory.mktemp("knowledge")
    shutil.copy(SHIPPED_KNOWLEDGE / "masterson-v-killen-2014-11-24.txt", knowledge)
    shutil.copy(FIXTURE, knowledge)
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path_factory.mktemp("data"),
        knowledge=[knowledge],
    )
    engine = Engine(settings)
    engine.index()
    return engine


# The founding question as people type it; none of these is an ask of the fixture guide.
FOUNDING = [
    # a parent, third person
    "my son is locked up and wrote the guards' lawyer a letter, does he have to send the judge "
    "one too",
    # misspelled
    "shoud i send the judge a copy of my leter to the defense atorney",
    # "lawyer for the guards"
    "i wrote to the lawyer for the guards, do i also send that letter to the court",
    # "send a copy to the judge"
    "do i send a copy to the judge of the letter i wrote to opposing counsel",
    # Spanish
    "mi esposo le escribió una carta al abogado de los guardias, ¿tiene que mandarle copia al "
    "juez?",
    # all lowercase, no punctuation
    "does the court need a copy of letters i send to the defendants lawyer",
    # run-on
    "so i wrote this letter to the attorney for the prison officers about discovery and i was "
    "wondering if i should also be filing it with the court or sending the judge a copy",
    # a sister, formal wording
    "My sister corresponded with defense counsel during discovery. Must she file that "
    "correspondence with the court?",
    # first person, plain
    "Do I need to give the judge copies of my letters to the other side's attorney?",
    # the defendants' side named differently
    "should letters to the attorney general's lawyer on my case go to the court as well",
    # a husband, texting style
    "hubby wrote the state attorney a letter. judge gets a copy too??",
    # a friend asking for a prisoner
    "my friend in prison asks whether his discovery letters to the defense lawyer get filed",
]


@pytest.mark.parametrize("question", FOUNDING)
def test_founding_question_phrasings_say_no_citing_masterson(engine: Engine, question: str):
    answer = engine.ask(question)
    assert answer.guide_id == "fixture-letters-stay-between-parties", answer.notes
    assert answer.verdict is Verdict.NO
    assert answer.sources and all(MASTERSON_LABEL in s.label for s in answer.sources)


def test_guide_answer_quotes_each_anchor_from_the_real_passage(engine: Engine):
    answer = engine.ask("do I send the court my letters to the defense lawyer?")
    guide = engine.guides.by_id["fixture-letters-stay-between-parties"].guide
    assert [s.text for s in answer.sentences] == [p.text for p in guide.points]
    for source in answer.sources:
        assert source.quote in source.passage.text
    quoted = " ".join(s.quote for s in answer.sources)
    assert "Correspondence between the parties during discovery" in quoted
    assert all(s.citations for s in answer.sentences)
    # the related guide's first ask is offered as a follow-up
    assert "should i file my settlement offer with the court" in answer.related


def test_a_stated_condition_selects_its_short_answer(engine: Engine):
    answer = engine.ask(
        "i am filing a motion to compel, do i attach the letter i wrote to defense counsel"
    )
    assert answer.guide_id == "fixture-letters-stay-between-parties"
    assert answer.verdict is Verdict.DEPENDS
    # the point that states the exception comes first
    assert "motion to compel" in answer.sentences[0].text


def test_spanish_question_gets_the_spanish_points(engine: Engine):
    answer = engine.ask(
        "¿tengo que mandarle al juez copia de la carta para el abogado del otro lado?"
    )
    assert answer.guide_id == "fixture-letters-stay-between-parties"
    assert answer.sentences[0].text.startswith("Las cartas")
    # a point without text_es stays in English rather than being dropped
    assert answer.sentences[-1].text.startswith("Discovery happens")


def test_question_no_guide_or_passage_answers_is_not_in_sources(engine: Engine):
    answer = engine.ask("How many days do I have to file a petition for certiorari?")
    assert answer.abstained and answer.abstain_reason == "not_in_sources"
    assert answer.sources == () and answer.verdict is None
    (sentence,) = answer.sentences
    assert sentence.text.startswith("That is not in my sources")
    assert "discovery" in sentence.text  # what procbot covers: the served guides' topics


def test_refusals_keep_their_reasons(engine: Engine):
    answer = engine.ask("could you draft my opposition to their motion for me")
    assert answer.abstain_reason == "drafting" and answer.guide_id is None


def test_guide_answer_renders_in_text_and_json(engine: Engine):
    answer = engine.ask("should my settlement offer be filed with the court?")
    text = answer_text(answer)
    assert "No" in text.split("\n", 1)[0]  # the short answer leads
    assert "Related questions:" in text and MASTERSON_LABEL in text
    data = answer_json(answer)
    assert data["guide_id"] == "fixture-settlement-talks-private"
    assert data["related"] and data["sources"][0]["label"].startswith(MASTERSON_LABEL)


def test_without_a_matcher_the_passage_path_answers(engine: Engine):
    retriever = engine.retriever
    answer = ask(
        "should my letters to defense counsel be filed with the court",
        lambda q, k: retriever.search(q, k=k),
        engine.settings,
    )
    assert answer.guide_id is None


def _llm_answer(engine: Engine, reply: str):
    import json

    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    retriever = engine.retriever
    return ask(
        "do I send the court my letters to the defense lawyer?",
        lambda q, k: retriever.search(q, k=k),
        engine.settings,
        chat_model=FakeListChatModel(responses=[json.dumps(json.loads(reply))]),
        guides=engine.guides,
    )


def test_llm_composer_sees_the_guide_and_keeps_its_citations_and_short_answer(engine: Engine):
    # The draft cites [1], the guide's first anchor passage, and claims the wrong short answer.
    answer = _llm_answer(
        engine,
        '{"verdict": "yes", "sentences": [{"text": "Correspondence between the parties during '
        'discovery should not be filed with the court.", "citations": [1]}]}',
    )
    assert answer.composer.startswith("llm:")
    assert answer.guide_id == "fixture-letters-stay-between-parties"
    assert answer.verdict is Verdict.NO  # the guide's, not the draft's
    assert MASTERSON_LABEL in answer.sources[0].label
    assert answer.related


def test_llm_draft_the_verifier_empties_falls_back_to_the_guide(engine: Engine):
    answer = _llm_answer(
        engine,
        '{"verdict": "no", "sentences": [{"text": "You must file every letter within 14 days '
        'under Rule 37.", "citations": [1]}]}',
    )
    assert answer.composer.startswith("guide (fallback")
    assert answer.guide_id == "fixture-letters-stay-between-parties"
    assert answer.verdict is Verdict.NO
    assert "14" not in " ".join(s.text for s in answer.sentences)


class _RivalMatcher:
    """The engine's matcher, with a rival guide answering otherwise just below the match."""

    def __init__(self, matcher, gap: float, margin: float) -> None:
        self.matcher, self.gap, self.margin = matcher, gap, margin

    def __getattr__(self, name: str):
        return getattr(self.matcher, name)

    def match(self, question: str, vector=None):
        from dataclasses import replace

        found = self.matcher.match(question, vector)
        rival = found.score.dense - self.gap
        return replace(found, rival=rival, answer_margin=self.margin)


LETTER = "do i send the judge a copy of my letter to the defense lawyer"


def test_only_a_guide_that_answers_otherwise_is_a_rival(engine):
    # Every fixture guide served over Masterson alone answers "no": none is a rival.
    assert {v.guide.short_answer for v in engine.guides.by_id.values()} == {Verdict.NO}
    match = engine.guides.match(LETTER)
    assert match.rival is None and match.short_answer is Verdict.NO


@pytest.mark.parametrize(
    ("gap", "margin", "verdict"),
    [
        (0.10, 0.05, Verdict.NO),  # the rival is well below: the firm answer stands
        (0.02, 0.05, None),  # the rival is nearly as close: no short answer
        (0.05, 0.05, Verdict.NO),  # exactly the margin is enough
    ],
)
def test_a_firm_guide_answer_needs_its_margin_over_a_rival(engine, gap, margin, verdict):
    guides = _RivalMatcher(engine.guides, gap, margin)
    answer = ask(
        LETTER, lambda q, k: engine.retriever.search(q, k=k), engine.settings, guides=guides
    )
    # The guide answers either way, with its points and sources; only the short answer goes.
    assert answer.guide_id == "fixture-letters-stay-between-parties"
    assert answer.verdict is verdict
    assert answer.sentences and answer.sources
    assert any("withheld" in note for note in answer.notes) is (verdict is None)


def test_a_depends_answer_does_not_need_a_margin(engine):
    question = "i am filing a motion to compel, do i attach the letter i wrote to defense counsel"
    match = _RivalMatcher(engine.guides, 0.0, 1.0).match(question)
    assert match.stated_answer is Verdict.DEPENDS and match.short_answer is Verdict.DEPENDS


def test_a_question_naming_a_statute_that_is_not_indexed_is_not_in_sources(engine):
    answer = engine.ask("What does 28 U.S.C. § 1391 say about where I can file my lawsuit?")
    assert answer.abstain_reason == "not_in_sources" and answer.sources == ()
