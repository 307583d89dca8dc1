"""Fixtures shared by the Telegram tests: a real rule-book excerpt to index beside the order."""

from __future__ import annotations

import os
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


@pytest.fixture(scope="session")
def rule_excerpt_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A knowledge folder holding only the Rule 5(d) excerpt."""
    # Module-scoped indexes load the model outside the function-scoped env fixture.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["ANONYMIZED_TELEMETRY"] = "False"
    folder = tmp_path_factory.mktemp("rules")
    (folder / "frcp-5d-excerpt.md").write_text(FRCP_5_D_EXCERPT, encoding="utf-8")
    return folder
