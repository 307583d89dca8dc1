"""Drafting and advice requests recognized by meaning, first and third person, and the
procedural questions that share their words and must be answered."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from bot.answer import scope
from bot.answer.requests import RequestScreen, _unit, examples, fitted_screen

GUIDES = Path(__file__).resolve().parents[2] / "knowledge" / "guides"

# Each row: a message, and the reason it is declined (None: it is answered). None of these is
# an example of data/requests.yaml; the shipped guides' asks count as procedure, as at run time.
ROWS = [
    # procbot asked to write a paper for someone else
    ("could you write up a complaint for my stepson", scope.DRAFTING),
    ("my grandma wants you to fill out her court forms", scope.DRAFTING),
    ("draft the motion for appointment of counsel for my boyfriend", scope.DRAFTING),
    # ... and for the person
    ("please prepare an opposition for me to send in", scope.DRAFTING),
    # a forecast of someone else's case
    ("is my nephew going to win against the prison", scope.ADVICE),
    ("does my fiance have a winning case", scope.ADVICE),
    ("will the jury give my dad any money", scope.ADVICE),
    # ... and of the person's own
    ("am i likely to beat the officers at trial", scope.ADVICE),
    # procedure that says "write", "form", "win", "chances" or "case": answered
    ("how does my stepson write a motion to compel", None),
    ("what form does my boyfriend use to ask for a lawyer", None),
    ("what happens after one side wins a motion for summary judgment", None),
    ("if my dad wins his case can the prison appeal", None),
    ("can my grandma mail the court the forms she filled in", None),
    ("what are the chances of getting a hearing on a motion in this court", None),
    ("how long does my nephew have to file his objections", None),
    ("Can I get a lawyer appointed?", None),
]


@pytest.fixture(scope="module")
def screen(embedder) -> RequestScreen:
    asks = [
        str(ask)
        for path in sorted(GUIDES.glob("*.yaml"))
        for guide in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("guides", ())
        for ask in guide.get("asks") or ()
    ]
    vectors = {k: _unit(embedder.embed_documents(list(v))) for k, v in examples().items()}
    return RequestScreen.fit(vectors, np.asarray(embedder.embed_documents(asks)))


@pytest.mark.parametrize(("message", "reason"), ROWS)
def test_requests_are_recognized_by_meaning(message, reason, screen, embedder) -> None:
    found = screen.reason(embedder.embed_query(message))
    assert found == reason, screen.likelihood(embedder.embed_query(message))


def test_every_example_kind_is_present_and_the_examples_are_data() -> None:
    found = examples()
    assert set(found) == {scope.DRAFTING, scope.ADVICE, "procedure"}
    assert all(len(rows) >= 20 for rows in found.values())


def test_a_question_unlike_any_example_is_answered(screen, embedder) -> None:
    # Below the floor, nothing is declined: a vague message is for the other stages.
    assert screen.reason(embedder.embed_query("banana")) is None


def test_the_screen_reads_its_weights_as_scikit_learn_predicts(embedder) -> None:
    # The same fit, scored by scikit-learn and by the screen's own softmax over its weights.
    from sklearn.linear_model import LogisticRegression

    vectors = {k: _unit(embedder.embed_documents(list(v))) for k, v in examples().items()}
    screen = RequestScreen.fit(vectors)
    rows = np.vstack([vectors[k] for k in screen.kinds])
    labels = [k for k in screen.kinds for _ in range(len(vectors[k]))]
    model = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000).fit(rows, labels)
    messages = [message for message, _ in ROWS]
    expected = model.predict_proba(_unit(embedder.embed_documents(messages)))
    for message, row in zip(messages, expected, strict=True):
        likely = screen.likelihood(embedder.embed_query(message))
        assert list(likely) == [str(k) for k in model.classes_]
        assert np.allclose(list(likely.values()), row, atol=1e-4), message


def test_a_fitted_screen_is_kept_and_read_back_without_fitting(embedder, tmp_path, monkeypatch):
    vectors = {k: _unit(embedder.embed_documents(list(v))) for k, v in examples().items()}
    first = fitted_screen(vectors, None, tmp_path)
    [kept] = tmp_path.glob("screen-*.npz")

    def no_fit(*args, **kwargs):
        raise AssertionError("fitted again although its weights were kept")

    monkeypatch.setattr(RequestScreen, "fit", no_fit)
    again = fitted_screen(vectors, None, tmp_path)
    assert again.kinds == first.kinds and np.array_equal(again.coef, first.coef)
    # Other examples are another screen, never a stale file's; a damaged file is fitted again.
    monkeypatch.undo()
    fewer = {k: v[:-1] for k, v in vectors.items()}
    fitted_screen(fewer, None, tmp_path)
    assert len(list(tmp_path.glob("screen-*.npz"))) == 2
    kept.write_bytes(b"not a numpy file")
    assert fitted_screen(vectors, None, tmp_path).kinds == first.kinds
