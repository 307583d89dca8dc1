"""Question-set files: accepted spellings and every rejection naming file, question and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.errors import QuestionSetError
from bot.evaluate.questions import book_editions, load_question_sets, load_questions
from bot.ingest.load import read_documents

DEV_SET = Path(__file__).resolve().parents[2] / "evals" / "dev.yaml"

# The expected answer of the founding example: Masterson v. Killen (knowledge/).
GOOD = """
questions:
  - id: q001
    question: "Should I file my letter to defense counsel with the court?"
    verdict: "no"
    authorities: ["Fed. R. Civ. P. 5(d)", "L.R. 250.2"]
    sources: ["masterson-v-killen-2014-11-24"]
    origin: "Correspondence between the parties during discovery should not be filed"
    topic: "filing discovery"
"""


def write(tmp_path: Path, text: str, name: str = "set.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_file_loads_with_canonical_authorities(tmp_path: Path) -> None:
    [question] = load_questions(write(tmp_path, GOOD))
    assert question.id == "q001"
    assert question.verdict == "no"
    # "L.R. 250.2" is the loose spelling orders use; the set stores the canonical id. No court
    # is named, so none is assumed: the id keeps "L.R." and matches that rule of any court.
    assert question.authorities == ("Fed. R. Civ. P. 5(d)", "L.R. 250.2")
    assert question.sources == ("masterson-v-killen-2014-11-24",)
    assert question.topic == "filing discovery"
    assert question.in_scope and not question.expects_abstain


def test_bare_yaml_yes_and_no_mean_the_words(tmp_path: Path) -> None:
    text = GOOD.replace('verdict: "no"', "verdict: no")
    assert load_questions(write(tmp_path, text))[0].verdict == "no"


def test_null_verdict_and_missing_lists_are_informational(tmp_path: Path) -> None:
    text = """
questions:
  - id: x1
    question: "How long to bake a pound cake?"
    verdict: abstain
  - id: i1
    question: "show me the text of rule 26(b)(1)"
    verdict: null
    authorities: ["Fed. R. Civ. P. 26(b)(1)"]
"""
    abstain, lookup = load_questions(write(tmp_path, text))
    assert abstain.expects_abstain and abstain.authorities == () and abstain.sources == ()
    assert lookup.verdict is None and lookup.in_scope


REJECTIONS = [
    # (description, replacement applied to GOOD, expected qid, expected field, words in reason)
    ("unknown key", ('topic: "filing discovery"', 'topik: "x"'), "q001", "topik", "unknown key"),
    ("missing id", ("- id: q001\n    question", "- question"), "#1", "id", "required"),
    (
        "empty question",
        ('question: "Should I file my letter', 'question: "  "\n    note: "'),
        "q001",
        "question",
        "empty",
    ),
    ("bad verdict", ('verdict: "no"', 'verdict: "maybe"'), "q001", "verdict", "'maybe'"),
    (
        "unparseable authority",
        ('"L.R. 250.2"', '"the rules about letters"'),
        "q001",
        "authorities",
        "not a citation",
    ),
    (
        "authorities not a list",
        (
            'authorities: ["Fed. R. Civ. P. 5(d)", "L.R. 250.2"]',
            'authorities: "Fed. R. Civ. P. 5(d)"',
        ),
        "q001",
        "authorities",
        "list",
    ),
    (
        "source with extension",
        ('"masterson-v-killen-2014-11-24"', '"masterson-v-killen-2014-11-24.txt"'),
        "q001",
        "sources",
        "without folder or extension",
    ),
    (
        "source with folder",
        ('"masterson-v-killen-2014-11-24"', '"orders/masterson-v-killen-2014-11-24"'),
        "q001",
        "sources",
        "not a document id",
    ),
]


@pytest.mark.parametrize(
    ("replace", "qid", "field", "words"),
    [row[1:] for row in REJECTIONS],
    ids=[row[0] for row in REJECTIONS],
)
def test_rejections_name_file_question_and_field(
    tmp_path: Path, replace: tuple[str, str], qid: str, field: str, words: str
) -> None:
    assert replace[0] in GOOD
    path = write(tmp_path, GOOD.replace(*replace))
    with pytest.raises(QuestionSetError) as caught:
        load_questions(path)
    error = caught.value
    assert (error.path, error.qid, error.field) == (str(path), qid, field)
    assert words in error.reason
    assert str(path) in str(error) and f"question {qid}" in str(error)


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    entry = GOOD.split("questions:\n", 1)[1]
    path = write(tmp_path, "questions:\n" + entry + entry)
    with pytest.raises(QuestionSetError) as caught:
        load_questions(path)
    assert (caught.value.qid, caught.value.field) == ("q001", "id")
    assert "duplicate" in caught.value.reason


def test_ids_must_be_unique_across_files(tmp_path: Path) -> None:
    first, second = write(tmp_path, GOOD, "a.yaml"), write(tmp_path, GOOD, "b.yaml")
    with pytest.raises(QuestionSetError) as caught:
        load_question_sets([first, second])
    assert caught.value.path == str(second) and str(first) in caught.value.reason


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("questions: [unclosed", "not valid YAML"),
        ("- id: q001\n  question: a list, not a mapping\n", "top-level `questions:` list"),
        ("questions: {id: q001}\n", "top-level `questions:` list"),
        ("questions: []\n", "empty"),
        ("questions:\n  - just a string\n", "mapping"),
        ("title: dev\nquestions:\n  - {id: a, question: b}\n", "unknown top-level key"),
    ],
)
def test_files_that_are_not_question_sets(tmp_path: Path, text: str, words: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(QuestionSetError) as caught:
        load_questions(path)
    assert words in str(caught.value) and str(path) in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(QuestionSetError, match="file not found"):
        load_questions(tmp_path / "nope.yaml")


def test_the_shipped_dev_set_is_valid_and_covers_the_brief() -> None:
    questions = load_questions(DEV_SET)
    assert len(questions) >= 70
    abstain = [q for q in questions if q.expects_abstain]
    assert len(abstain) >= 10
    # Every in-scope question says what a right answer rests on.
    assert all(q.authorities or q.sources for q in questions if q.in_scope)
    assert all(q.origin for q in questions)
    topics = {q.topic for q in questions}
    for topic in ("filing discovery", "appointment of counsel", "subpoenas", "change of address"):
        assert topic in topics


# A made-up question of the test's own (no evaluation set holds it), with two expected facts.
FACTS = """      - ['\\b25\\b', 'twenty-five']
      - ["unless the court (orders|requires) otherwise"]
"""
WITH_NUGGETS = (
    """
questions:
  - id: n001
    question: "how many paper copies of my brief does the circuit clerk want"
    verdict: null
    nuggets:
"""
    + FACTS
    + """  - id: n002
    question: "what is the state deadline for a parole board appeal"
    verdict: not_in_sources
"""
)


def test_nuggets_and_the_not_in_sources_label_load(tmp_path: Path) -> None:
    facts, missing = load_questions(write(tmp_path, WITH_NUGGETS))
    assert facts.nuggets == (
        ("\\b25\\b", "twenty-five"),
        ("unless the court (orders|requires) otherwise",),
    )
    assert facts.in_scope and not facts.expects_not_in_sources
    # Declining is what this question expects: it is neither in scope nor a refusal.
    assert missing.expects_not_in_sources
    assert not missing.in_scope and not missing.expects_abstain
    assert missing.nuggets == ()


NUGGET_REJECTIONS = [
    # (description, nuggets block replacing the valid one, words in the reason)
    ("bad regex", "      - ['(unclosed']\n", "'(unclosed' is not a valid regular expression"),
    ("a fact as a bare string", "      - 'twenty-five'\n", "fact 1 must be a non-empty list"),
    ("an empty fact", "      - []\n", "fact 1 must be a non-empty list"),
    ("an empty alternative", "      - ['25', '  ']\n", "fact 1: every alternative"),
    ("second fact bad", "      - ['25']\n      - ['[a-']\n", "fact 2: '[a-'"),
]


@pytest.mark.parametrize(
    ("block", "words"),
    [row[1:] for row in NUGGET_REJECTIONS],
    ids=[row[0] for row in NUGGET_REJECTIONS],
)
def test_bad_nuggets_name_file_question_and_field(tmp_path: Path, block: str, words: str) -> None:
    path = write(tmp_path, WITH_NUGGETS.replace(FACTS, block))
    with pytest.raises(QuestionSetError) as caught:
        load_questions(path)
    error = caught.value
    assert (error.path, error.qid, error.field) == (str(path), "n001", "nuggets")
    assert words in error.reason


@pytest.mark.parametrize("label", ["abstain", "not_in_sources"])
def test_nuggets_on_a_question_that_gets_no_answer_are_rejected(tmp_path: Path, label: str) -> None:
    text = f"questions:\n  - id: r1\n    question: x\n    verdict: {label}\n    nuggets: [['y']]\n"
    with pytest.raises(QuestionSetError) as caught:
        load_questions(write(tmp_path, text))
    assert (caught.value.qid, caught.value.field) == ("r1", "nuggets")
    assert label in caught.value.reason


def _rule_book(tmp_path: Path, name: str, prefix: str, version: str) -> Path:
    # A rule book's front matter as the corpora write it; the body is one real rule heading.
    path = tmp_path / f"{name}.md"
    path.write_text(
        f"---\ntype: rules\ntitle: Federal Rules\ncitation_prefix: {prefix}\n"
        f"as_amended_to: '{version}'\n---\n\n## Rule 5. Serving and Filing Pleadings\n\n"
        "(a) Service: When Required.\n",
        encoding="utf-8",
    )
    return path


def test_a_rule_book_source_is_met_by_its_other_versions_only(tmp_path: Path) -> None:
    documents, errors = read_documents(
        [
            _rule_book(tmp_path, "civil-2022", "Fed. R. Civ. P.", "2022-12-01"),
            _rule_book(tmp_path, "civil-2024", "Fed. R. Civ. P.", "2024-12-01"),
            _rule_book(tmp_path, "appellate-2024", "Fed. R. App. P.", "2024-12-01"),
        ]
    )
    assert not errors
    asked = load_questions(
        write(
            tmp_path,
            "questions:\n"
            "  - {id: a1, question: 'how is a paper served', sources: [civil-2022]}\n"
            "  - {id: a2, question: 'how is an appeal taken', sources: [appellate-2024]}\n"
            "  - {id: a3, question: 'what did the court say', sources: [an-order]}\n",
        )
    )
    civil, appellate, order = book_editions(asked, documents)
    # The 2024 print of the same rules is the same source; the appellate rules are not.
    assert civil.sources == ("civil-2022", "civil-2024")
    # One version only, and a file that is not a rule book: nothing to widen.
    assert appellate.sources == ("appellate-2024",)
    assert order.sources == ("an-order",)
