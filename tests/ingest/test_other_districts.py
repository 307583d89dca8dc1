"""Orders of other districts: labelled with their own court, their local rules cited in its form."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ingest.chunk import passages
from bot.ingest.load import read_document

# orders/ndfla-jones-v-state-2008-01-23.txt (corpus-plus): front matter and two sentences.
JONES = """---
type: "order"
court: "N.D. Fla."
case: "Jones v. State"
docket: "5:07cv294-RS/MD"
date: "2008-01-23"
completeness: "complete"
---
Opinion
Case No. 5:07cv294-RS/MD.
January 23, 2008
ORDER
The documents are not on plain 8½-inch × 11-inch paper as required by N.D. Fla. Loc. R. 5.1(B)(3). "An application to the court for an order shall be by motion." Fed.R.Civ.P. 7(b)(1).
"""  # noqa: E501

# orders/ndcal-saddozai-v-atchley-2024-01-10.txt (corpus-plus): the opening lines.
SADDOZAI = """---
type: "order"
court: "N.D. Cal."
case: "Saddozai v. Atchley"
docket: "20-cv-07534 BLF (PR)"
date: "2024-01-10"
---
Opinion
20-cv-07534 BLF (PR)
01-10-2024
Plaintiff, a state inmate, filed the instant pro se civil rights action pursuant to 42 U.S.C. § 1983 against prison staff and officials at Salinas Valley State Prison.
"""  # noqa: E501


@pytest.mark.parametrize(
    ("text", "court", "label", "mentions"),
    [
        (JONES, "N.D. Fla.", "Jones v. State, No. 5:07cv294-RS/MD (N.D. Fla. Jan. 23, 2008)",
         {"N.D. Fla. Loc. R. 5.1(B)(3)", "Fed. R. Civ. P. 7(b)(1)"}),
        (SADDOZAI, "N.D. Cal.",
         "Saddozai v. Atchley, No. 20-cv-07534 BLF (PR) (N.D. Cal. Jan. 10, 2024)",
         {"42 U.S.C. § 1983"}),
    ],
)  # fmt: skip
def test_orders_are_labelled_with_their_own_court(tmp_path: Path, text, court, label, mentions):
    path = tmp_path / "order.txt"
    path.write_text(text, encoding="utf-8")
    found = passages(read_document(path))
    assert {p.label for p in found} == {label}
    assert {p.court for p in found} == {court}
    assert mentions <= {m for p in found for m in p.mentions}
    assert not any("E.D. Cal." in m for p in found for m in p.mentions)
