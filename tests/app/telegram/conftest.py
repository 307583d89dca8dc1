"""Fixtures shared by the Telegram tests: a real rule-book excerpt to index beside the order."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

# Fed. R. Civ. P. 1 and 5(d)(1), verbatim from ../shared/corpus/rules/frcp-2022-12-01.md (its
# front matter, lines 266-268, 522-524, 544 and 589-597), so `/rule 5(d)` has real text to show
# without the corpus. The rule-book parser starts reading at Rule 1 and needs an earlier
# subdivision before (d) to see the outline.
FRCP_5_D_EXCERPT = """---
type: "rules"
court: "U.S. district courts"
title: "Federal Rules of Civil Procedure"
citation_prefix: "Fed. R. Civ. P."
as_amended_to: "2022-12-01"
source: "House Committee on the Judiciary print (GPO, 2023), converted to Markdown by a third party"
source_url: "https://www.uscourts.gov/rules-policies/current-rules-practice-procedure/federal-rules-civil-procedure"
---
# Rule 1. Scope and Purpose

These rules govern the procedure in all civil actions and pro- ceedings in the United States district courts, except as stated in Rule 81. They should be construed, administered, and employed by the court and the parties to secure the just, speedy, and inexpen- sive determination of every action and proceeding.

# Rule 5. Serving and Filing Pleadings and Other Papers

# (a) SERVICE: WHEN REQUIRED.

(2) If a Party Fails to Appear. No service is required on a party who is in default for failing to appear. But a pleading that asserts a new claim for relief against such a party must be served on that party under Rule 4.

# (d) FILING.

# (1) Required Filings; Certificate of Service.

(A) Papers after the Complaint. Any paper after the com- plaint that is required to be served must be filed no later than a reasonable time after service. But disclosures under Rule 26(a)(1) or (2) and the following discovery requests and responses must not be filed until they are used in the proceeding or the court orders filing: depositions, interrog- atories, requests for documents or tangible things or to permit entry onto land, and requests for admission.

(B) Certificate of Service. No certificate of service is re- quired when a paper is served by filing it with the court’s electronic-filing system.
"""  # noqa: E501


# Fed. R. Civ. P. 1 and 33(a)-(b)(2), verbatim from ../shared/corpus/rules/frcp-2022-12-01.md
# (lines 2338-2352 for Rule 33), so the interrogatories deadline has its indexed period.
FRCP_33_EXCERPT = """---
type: "rules"
court: "U.S. district courts"
title: "Federal Rules of Civil Procedure"
citation_prefix: "Fed. R. Civ. P."
as_amended_to: "2022-12-01"
source_url: "https://www.uscourts.gov/rules-policies/current-rules-practice-procedure/federal-rules-civil-procedure"
---
# Rule 1. Scope and Purpose

These rules govern the procedure in all civil actions and pro- ceedings in the United States district courts, except as stated in Rule 81.

# Rule 33. Interrogatories to Parties

# (a) IN GENERAL.

(1) Number. Unless otherwise stipulated or ordered by the court, a party may serve on any other party no more than 25 written interrogatories, including all discrete subparts. Leave to serve additional interrogatories may be granted to the ex- tent consistent with Rule 26(b)(1) and (2).

# (b) ANSWERS AND OBJECTIONS.

(1) Responding Party. The interrogatories must be answered:

(A) by the party to whom they are directed; or (B) if that party is a public or private corporation, a partnership, an association, or a governmental agency, by any officer or agent, who must furnish the information available to the party.

(2) Time to Respond. The responding party must serve its an- swers and any objections within 30 days after being served with the interrogatories. A shorter or longer time may be stip- ulated to under Rule 29 or be ordered by the court.
"""  # noqa: E501
CORPUS = Path(
    os.environ.get("PROCBOT_CORPUS", Path(__file__).resolve().parents[4] / "shared" / "corpus")
)


def rules_1_to_5(frcp: Path, folder: Path) -> Path | None:
    """Rules 1 to 5 of the corpus's FRCP (front matter kept), in `folder`; None without it.

    Rule 5 as a whole is longer than one Telegram message, and five rules index in seconds
    where the whole book takes minutes.
    """
    if not frcp.is_file():
        return None
    text = frcp.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    start = body.index("# Rule 1. Scope and Purpose")
    end = body.index("# Rule 5.1.")
    folder.mkdir(exist_ok=True)
    (folder / "frcp-rules-1-5.md").write_text(f"---\n{front}---\n{body[start:end]}", "utf-8")
    return folder


@dataclass(frozen=True)
class E2EIndex:
    """One index the emulator modules serve: shipped knowledge and real rule text."""

    data_dir: Path
    knowledge: tuple[Path, ...]
    full_rules: bool  # the corpus's Rules 1-5 (else only the Rule 5(d) excerpt)


@pytest.fixture(scope="session")
def e2e_index(tmp_path_factory: pytest.TempPathFactory, rule_excerpt_dir: Path) -> E2EIndex:
    """Indexed once per session; each emulator module starts its own `procbot serve` on it
    (modules run one after another, so two servers never share the folder at once)."""
    from bot.app.engine import Engine
    from bot.core.settings import SHIPPED_KNOWLEDGE, Settings

    root = tmp_path_factory.mktemp("e2e-index")
    rules = rules_1_to_5(CORPUS / "rules" / "frcp-2022-12-01.md", root / "rules")
    rule_33 = root / "rule-33"
    rule_33.mkdir()
    (rule_33 / "frcp-33-excerpt.md").write_text(FRCP_33_EXCERPT, encoding="utf-8")
    knowledge = (SHIPPED_KNOWLEDGE, rules or rule_excerpt_dir, rule_33)
    data_dir = root / "data"
    Engine(Settings(_env_file=None, data_dir=data_dir, knowledge=list(knowledge))).index()
    return E2EIndex(data_dir, knowledge, rules is not None)


@pytest.fixture(scope="session")
def rule_excerpt_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A knowledge folder holding only the Rule 5(d) excerpt."""
    # Module-scoped indexes load the model outside the function-scoped env fixture.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["ANONYMIZED_TELEMETRY"] = "False"
    folder = tmp_path_factory.mktemp("rules")
    (folder / "frcp-5d-excerpt.md").write_text(FRCP_5_D_EXCERPT, encoding="utf-8")
    return folder
