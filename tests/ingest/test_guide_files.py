"""Guides files: what the loader reads, and every way a file or a guide is refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.core.answer_types import Verdict
from bot.ingest.guides import MAX_BYTES, read_guides

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "guides"


def _fixture() -> dict:
    return yaml.safe_load((FIXTURES / "discovery.yaml").read_text(encoding="utf-8"))


def _write(folder: Path, data: object, name: str = "g.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_fixture_file_reads_into_guides() -> None:
    guides, errors = read_guides([FIXTURES])
    assert errors == []
    by_id = {g.id: g for g in guides}
    letters = by_id["fixture-letters-stay-between-parties"]
    assert letters.short_answer is Verdict.NO
    assert len(letters.asks) >= 6 and letters.asks_es
    assert letters.points[0].cite == "1:11-cv-01179-LJO-GSA-PC"
    assert letters.points[0].text_es.startswith("Las cartas")
    (condition,) = letters.conditions
    assert condition.short_answer is Verdict.DEPENDS and condition.point == 1
    assert letters.related == ("fixture-settlement-talks-private",)
    assert letters.path.endswith("discovery.yaml")
    # "none" is an informational guide: no short answer at all
    assert by_id["fixture-time-to-appeal"].short_answer is None


def test_court_applies_to_every_guide_of_the_file(tmp_path: Path) -> None:
    data = _fixture()
    data["court"] = "E.D. Cal."
    guides, errors = read_guides([_write(tmp_path, data)])
    assert not errors and {g.court for g in guides} == {"E.D. Cal."}


def test_bare_yaml_no_is_the_word_no(tmp_path: Path) -> None:
    text = (FIXTURES / "discovery.yaml").read_text(encoding="utf-8")
    path = tmp_path / "bare.yaml"
    path.write_text(text.replace('short_answer: "no"', "short_answer: no"), encoding="utf-8")
    guides, errors = read_guides([path])
    assert not errors and guides[0].short_answer is Verdict.NO


# Each row breaks one guide of the fixture; the loader names the file and that guide, and
# still serves the other guides of the file.
BROKEN_GUIDE = [
    # fewer than six asks
    (lambda g: g.update(asks=g["asks"][:5]), "asks"),
    # an id that is not lowercase-with-dashes
    (lambda g: g.update(id="Letters_Stay"), "lowercase"),
    # a short answer that is not yes / no / depends / none
    (lambda g: g.update(short_answer="maybe"), "short_answer"),
    # a point without an anchor quote
    (lambda g: g["points"][0].pop("anchor"), "anchor"),
    # one point is too few, five too many
    (lambda g: g.update(points=g["points"][:1]), "points"),
    (lambda g: g.update(points=g["points"] * 2), "points"),
    # a condition pointing past the last point
    (lambda g: g["conditions"][0].update(point=7), "point 7"),
    # an unknown field (a typo of asks_es)
    (lambda g: g.update(ask_es=["hola"]), "ask_es"),
]


@pytest.mark.parametrize(("damage", "said"), BROKEN_GUIDE)
def test_broken_guide_is_reported_by_file_and_id(tmp_path: Path, damage, said: str) -> None:
    data = _fixture()
    damage(data["guides"][0])
    path = _write(tmp_path, data)
    guides, errors = read_guides([tmp_path])
    (error,) = errors
    assert str(path) in str(error) and said in str(error)
    assert error.guide_id in {data["guides"][0]["id"], "fixture-letters-stay-between-parties"}
    assert len(guides) == len(data["guides"]) - 1


BROKEN_FILE = [
    # YAML syntax error: the line is named
    ("type: guides\nguides: [\n", "not valid YAML at line"),
    # a YAML file that is not a guides file
    ("questions: []\n", "without `type: guides`"),
    # the marker without any guides
    ("type: guides\nguides: []\n", "no `guides:` list"),
    # a key the format does not have
    ("type: guides\nguide: []\n", "unknown top-level keys: guide"),
    # a court that is not a name
    ("type: guides\ncourt: 3\nguides: [{id: a}]\n", "court must be"),
    # a list item that is not a mapping
    ("type: guides\nguides: [just words]\n", "must be a mapping"),
    # YAML that tries to build Python objects is refused by the safe loader
    ("type: guides\nguides: !!python/object/apply:os.system ['true']\n", "not valid YAML"),
]


@pytest.mark.parametrize(("text", "said"), BROKEN_FILE)
def test_broken_file_is_reported_by_name(tmp_path: Path, text: str, said: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    guides, errors = read_guides([tmp_path])
    assert guides == []
    (error,) = errors
    assert str(path) in str(error) and said in str(error)


def test_oversized_and_undecodable_files_are_refused_unread(tmp_path: Path) -> None:
    (tmp_path / "big.yaml").write_bytes(b"#" * (MAX_BYTES + 1))
    (tmp_path / "latin.yml").write_bytes("type: guides # caf\xe9".encode("latin-1"))
    guides, errors = read_guides([tmp_path])
    reasons = sorted(str(e) for e in errors)
    assert guides == [] and len(reasons) == 2
    assert "KB" in reasons[0] and "not UTF-8" in reasons[1]


def test_an_id_used_twice_keeps_the_first_file(tmp_path: Path) -> None:
    first = _write(tmp_path, _fixture(), "a.yaml")
    second = _write(tmp_path, _fixture(), "b.yaml")
    guides, errors = read_guides([tmp_path])
    assert {g.path for g in guides} == {str(first)}
    assert len(errors) == len(guides)
    assert all(str(second) in str(e) and str(first) in str(e) for e in errors)


def test_same_folder_given_twice_is_read_once() -> None:
    guides, errors = read_guides([FIXTURES, FIXTURES / "discovery.yaml"])
    assert errors == [] and len(guides) == len({g.id for g in guides}) == 4


def test_hidden_files_and_other_suffixes_are_not_guides(tmp_path: Path) -> None:
    (tmp_path / ".drafts").mkdir()
    _write(tmp_path / ".drafts", _fixture())
    (tmp_path / "notes.txt").write_text("type: guides", encoding="utf-8")
    assert read_guides([tmp_path]) == ([], [])
