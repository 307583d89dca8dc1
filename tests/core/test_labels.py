"""Short labels for the body of an answer, full citations under its quotes, safe links."""

from __future__ import annotations

import pytest

from bot.core.labels import authority_label, case_name, safe_url, short_label
from bot.core.types import DocKind, Passage


@pytest.mark.parametrize(
    ("authority", "label"),
    [
        ("Fed. R. Civ. P. 5(d)(1)(A)", "FRCP 5(d)(1)(A)"),  # the rule set's short name (data)
        ("Fed. R. App. P. 4(c)(1)", "FRAP 4(c)(1)"),
        ("Fed. R. Evid. 801(d)(2)", "FRE 801(d)(2)"),
        ("E.D. Cal. L.R. 230(l)", "L.R. 230(l)"),  # the district is the reader's own
        ("28 U.S.C. § 1915(g)", "28 U.S.C. § 1915(g)"),  # statutes are already short
        ("not a citation", "not a citation"),  # kept as written, never guessed
    ],
)
def test_authority_labels(authority: str, label: str) -> None:
    assert authority_label(authority) == label


@pytest.mark.parametrize(
    ("label", "name"),
    [
        # knowledge/masterson-v-killen-2014-11-24.txt, as chunk.order_label writes it
        (
            "Masterson v. Killen, No. 1:11-cv-01179-LJO-GSA-PC (E.D. Cal. Nov. 24, 2014)",
            "Masterson v. Killen",
        ),
        # a docket written "CIV S-..." in older E.D. Cal. orders
        ("Ruiz v. Ames, CIV S-09-1234 GEB (E.D. Cal. 2011)", "Ruiz v. Ames"),
        # a long caption keeps the first party on each side
        (
            "Johnny Lee Smith, et al. v. Warden Jones of the California Prison, et al., No. 1:14 "
            "(E.D. Cal. 2015)",
            "Johnny Lee Smith v. Warden Jones of the California Prison",
        ),
    ],
)
def test_case_names(label: str, name: str) -> None:
    assert case_name(label) == name


def test_order_short_label_is_name_court_and_year() -> None:
    passage = Passage(
        passage_id="p",
        doc_id="masterson",
        kind=DocKind.ORDER,
        text="...",
        label="Masterson v. Killen, No. 1:11-cv-01179-LJO-GSA-PC (E.D. Cal. Nov. 24, 2014)",
        position=0,
        pinpoint="2:1-6",
        court="E.D. Cal.",
    )
    assert short_label(passage) == "Masterson v. Killen (E.D. Cal. 2014)"


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://www.uscourts.gov/rules", "https://www.uscourts.gov/rules"),
        ("https://www.govinfo.gov/x (converted 2023)", "https://www.govinfo.gov/x"),  # a note
        ("  https://law.justia.com/a  ", "https://law.justia.com/a"),
        ("javascript:alert(1)", None),
        ("www.example.org", None),  # no scheme: not a link Telegram would open
        ("https://x.org/<b>", None),
        (None, None),
    ],
)
def test_safe_url(url: str | None, safe: str | None) -> None:
    assert safe_url(url) == safe
