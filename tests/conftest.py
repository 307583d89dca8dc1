"""Shared fixtures: tmp_path data folders, the real corpus when present, one embedder a session."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.settings import SHIPPED_KNOWLEDGE, Settings
from bot.core.types import DocKind, Document, Passage

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("PROCBOT_CORPUS", REPO.parent / "shared" / "corpus"))
MASTERSON = SHIPPED_KNOWLEDGE / "masterson-v-killen-2014-11-24.txt"


@pytest.fixture(autouse=True)
def _no_stray_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read a developer's .env or PROCBOT_* variables by accident."""
    for name in list(os.environ):
        if name.startswith("PROCBOT_") or name in {"CHROMA_URL", "TELEGRAM_BOT_TOKEN"}:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Embedded-store settings whose data folder is a fresh tmp_path."""
    return Settings(_env_file=None, data_dir=tmp_path / "data", knowledge=[SHIPPED_KNOWLEDGE])


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared reference corpus; tests that need it skip cleanly when it is absent."""
    if not (CORPUS / "README.md").is_file():
        pytest.skip(f"reference corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def embedder():
    """The default embedder (all-MiniLM-L6-v2, shipped in a package), loaded once a session."""
    from bot.index.embed import make_embedder

    os.environ["HF_HUB_OFFLINE"] = "1"
    return make_embedder(Settings(_env_file=None))


@pytest.fixture(params=["embedded", "server"])
def store_mode(request: pytest.FixtureRequest) -> str:
    """Run a test against the embedded store and, when CHROMA_TEST_URL is set, a Chroma server."""
    if request.param == "server" and not os.environ.get("CHROMA_TEST_URL"):
        pytest.skip("CHROMA_TEST_URL is not set (start `chroma run` to test the server store)")
    return request.param


@pytest.fixture
def store_settings(settings: Settings, store_mode: str) -> Iterator[Settings]:
    """`settings` for the store mode; server tests get their own collection, dropped after."""
    if store_mode == "embedded":
        yield settings
        return
    import uuid

    from bot.index.store import open_client

    served = settings.model_copy(
        update={
            "chroma_url": os.environ["CHROMA_TEST_URL"],
            "collection": f"test-{uuid.uuid4().hex[:12]}",
        }
    )
    yield served
    client = open_client(served)
    for collection in client.list_collections():
        if collection.name.startswith(served.collection):
            client.delete_collection(collection.name)


#: How chunk.py heads FRCP 5(d)(1) passages: rule, subdivision and paragraph titles.
RULE5 = (
    "Serving and Filing Pleadings and Other Papers — Filing — "
    "Required Filings; Certificate of Service"
)

#: Short real texts for hand-built passages: (doc, authority, heading, version, provenance, text).
SAMPLE_TEXTS = [
    # knowledge/masterson-v-killen-2014-11-24.txt, first paragraph (cites § 1983)
    ("masterson", None, None, None, None,
     'Daniel Masterson ("Plaintiff") is a state prisoner proceeding pro se and in forma '
     "pauperis in this civil rights action filed pursuant to 42 U.S.C. § 1983."),
    # the same order, the whole ruling paragraph (cites L.R. 250.2-250.4)
    ("masterson", None, None, None, None,
     "Plaintiff's request to meet and confer should not have been filed with the court. "
     "Plaintiff is advised that discovery is meant to be conducted among the parties only, "
     "without notice to the court, unless a discovery dispute arises. The court's Discovery "
     "and Scheduling Order instructs the parties not to file discovery requests and responses "
     "with the court unless required by Local Rules 250.2, 250.3, and 250.4. (Doc. 42 ¶1.) "
     "Correspondence between the parties during discovery should not be filed with the court "
     "unless it is at issue, such as when a motion to compel is filed. Moreover, settlement "
     "negotiations are considered confidential and ordinarily should not be filed with the "
     "court. Inasmuch as Plaintiff's request is directed only to defense counsel and not to "
     "the court, the court shall not consider the request or make any ruling on it."),
    # rules/frcp-2022-12-01.md, Rule 5(d)(1)(A) (hyphenation repaired; the title is a heading)
    ("frcp", "Fed. R. Civ. P. 5(d)(1)(A)", f"{RULE5} — Papers after the Complaint",
     "as amended to Dec. 1, 2022", None,
     "Any paper after the complaint that is required to be "
     "served must be filed no later than a reasonable time after service. But disclosures "
     "under Rule 26(a)(1) or (2) and the following discovery requests and responses must not "
     "be filed until they are used in the proceeding or the court orders filing."),
    # rules/frcp-2022-12-01.md, Rule 5(d)(1)(B), first sentence
    ("frcp", "Fed. R. Civ. P. 5(d)(1)(B)", f"{RULE5} — Certificate of Service",
     "as amended to Dec. 1, 2022", None,
     "No certificate of service is required when a paper is "
     "served by filing it with the court's electronic-filing system."),
    # rules/frcp-2022-12-01.md, Rule 26(b)(1), first sentence
    ("frcp", "Fed. R. Civ. P. 26(b)(1)",
     "Duty to Disclose; General Provisions Governing Discovery — Discovery Scope and Limits — "
     "Scope in General", "as amended to Dec. 1, 2022", None,
     "Unless otherwise limited by court order, the scope of discovery "
     "is as follows: Parties may obtain discovery regarding any nonprivileged matter that is "
     "relevant to any party's claim or defense and proportional to the needs of the case."),
    # rules/edcal-local-rules-quoted.md, L.R. 183(b) as quoted in 2019
    ("local", "E.D. Cal. L.R. 183(b)", "L.R. 183(b) — Address changes of parties", None,
     "Quoted in: Berman v. Dept. of Police & City of Vacaville (E.D. Cal. 2019)",
     '"A party appearing in propria persona shall keep the Court and opposing parties '
     'advised as to his or her current address."'),
    # the same file, the 2006 wording of L.R. 183(b)
    ("local", "E.D. Cal. L.R. 183(b)", "L.R. 183(b) — Address changes of parties",
     "earlier version (L.R. 83-183(b), 2006)",
     "Quoted in: Cauton v. USA, No. CV F 06 0015 REC SMS P (E.D. Cal. Feb. 8, 2006)",
     'Earlier version (L.R. 83-183(b), 2006) read "within sixty (60) days thereafter".'),
    # statutes/28-usc-1915-1915a.md, § 1915(e)(1)
    ("statute", "28 U.S.C. § 1915(e)(1)", "Proceedings in forma pauperis", None, None,
     "The court may request an attorney to represent any person unable to afford counsel."),
]  # fmt: skip

SAMPLE_DOCUMENTS = {
    "masterson": Document(
        "masterson-v-killen-2014-11-24", "masterson.txt", DocKind.ORDER, "Masterson v. Killen",
        "", "hash-masterson", court="E.D. Cal.",
    ),
    "frcp": Document(
        "frcp-2022-12-01", "frcp.md", DocKind.RULES, "Federal Rules of Civil Procedure", "",
        "hash-frcp", version="2022-12-01",
    ),
    "local": Document(
        "edcal-local-rules-quoted", "local.md", DocKind.RULES, "E.D. Cal. Local Rules (quoted)",
        "", "hash-local", court="E.D. Cal.", secondary=True,
    ),
    "statute": Document(
        "28-usc-1915-1915a", "usc.md", DocKind.STATUTE, "28 U.S.C. §§ 1915, 1915A", "",
        "hash-statute",
    ),
}  # fmt: skip


@pytest.fixture
def sample_entries() -> list[tuple[Document, list[Passage]]]:
    """Documents with passages built by hand from short real corpus text (see SAMPLE_TEXTS)."""
    import hashlib

    from bot.core.citations import authority_ids

    entries: dict[str, list[Passage]] = {key: [] for key in SAMPLE_DOCUMENTS}
    for key, authority, heading, version, provenance, text in SAMPLE_TEXTS:
        doc = SAMPLE_DOCUMENTS[key]
        found = entries[key]
        anchor = f"{doc.doc_id}\x00{authority}\x00{len(found)}\x00{text}"
        entries[key].append(
            Passage(
                hashlib.sha256(anchor.encode()).hexdigest()[:16],
                doc.doc_id,
                doc.kind,
                text,
                authority or doc.title,
                len(found),
                authority=authority,
                heading=heading,
                mentions=tuple(a for a in authority_ids(text, doc.court) if a != authority),
                court=doc.court,
                version=version,
                provenance=provenance,
            )
        )
    return [(SAMPLE_DOCUMENTS[key], found) for key, found in entries.items()]


@pytest.fixture(scope="session")
def corpus_index(corpus: Path, tmp_path_factory: pytest.TempPathFactory, embedder):
    """The whole reference corpus indexed once a session: (settings, IndexReport)."""
    from bot.index.build import build_index

    settings = Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("corpus-index"))
    return settings, build_index(settings, [corpus], embedder)


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    """A knowledge folder of its own holding a copy of the shipped Masterson v. Killen order."""
    folder = tmp_path / "knowledge"
    folder.mkdir()
    shutil.copy(MASTERSON, folder / MASTERSON.name)
    return folder
