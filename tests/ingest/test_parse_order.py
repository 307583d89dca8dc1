"""Pleading-paper line numbers become page:line pinpoints; order metadata comes from the text."""

from __future__ import annotations

import pytest

from bot.ingest.parse_order import (
    infer_case_name,
    infer_court,
    infer_date,
    infer_docket,
    order_facts,
    order_text,
    split_docket_text,
)

# Gradford v. McDougall, No. 1:17-cv-00201 (E.D. Cal. Sept. 4, 2018), Justia text, page 1 to 2:2.
GRADFORD = (
    "1 2 3 4 5 6 7 8 UNITED STATES DISTRICT COURT 9 EASTERN DISTRICT OF CALIFORNIA 10 11 "
    "WILLIAM J. GRADFORD, 12 13 14 15 Plaintiff, v. 1:17-cv-00201-DAD-GSA-PC ORDER DENYING "
    "PLAINTIFF'S REQUEST FOR LEAVE TO FILE DISCOVERY DOCUMENTS MCDOUGALL, et al., (ECF No. 48.) "
    'Defendants. 16 17 William J. Gradford ("Plaintiff") is a prisoner proceeding pro se and in '
    "forma pauperis 18 with this civil rights action pursuant to 42 U.S.C. § 1983. This action "
    "now proceeds with 19 Plaintiff's initial Complaint, filed on February 13, 2017, against "
    "defendants Tiexiera and 20 McCarthy for retaliation in violation of the First Amendment. "
    "(ECF No. 1.) 21 On March 23, 2018, the court issued a discovery and scheduling order, "
    "opening discovery 22 and setting out pretrial deadlines for the parties. (ECF No. 33.) The "
    "deadline to complete 23 discovery, including the filing of motions to compel, expired on "
    "August 23, 2018. Thus, 24 discovery is now closed. Plaintiff filed three motions to compel "
    "on June 4, 2018, which are 25 pending. (ECF Nos. 41, 42, 43.) 26 On August 30, 2018, "
    "Plaintiff filed a request for leave to file discovery documents. (ECF 27 No. 48.) Therein, "
    'Plaintiff requests leave "to file interrogatories, admissions, and evidence in 28 this case '
    'with the court." (Id.) 1 1 To the extent that Plaintiff seeks to file his discovery '
    "documents as evidence in this case, 2 his request is denied pursuant to Local Rules 250.2, "
    "250.3, and 250.4, which provide that"
)

# (PC) Nuno v. Eslick, No. 1:21-cv-00769 (E.D. Cal.), ecases.us text: no page-number footer
# before page 2, and "975 28 F.2d" / "42 18 U.S.C." put a line number inside a citation.
NUNO = (
    "1 2 3 4 5 6 7 8 UNITED STATES DISTRICT COURT 9 EASTERN DISTRICT OF CALIFORNIA 10 11 "
    "GUILLERMO NUNO, No. 1:21-cv-00769-NODJ-SAB (PC) 12 Plaintiff, ORDER GRANTING, IN PART, "
    "PLAINTIFF'S MOTION TO MODIFY THE 13 v. SCHEDULING ORDER 14 D. ESLICK, et al. (ECF No. 75) "
    "15 Defendants. 16 17 Plaintiff is proceeding pro se and in forma pauperis in this action "
    "filed pursuant to 42 18 U.S.C. § 1983. 19 Currently before the Court is Plaintiff's motion "
    "to modify the scheduling order, filed 20 December 4, 2023. (ECF No. 75.) Defendants filed a "
    "response on December 11, 2023. (ECF 21 No. 76.) Although the time to file a reply has not "
    "expired, the Court deems a reply unnecessary. 22 Local Rule 230(l). 23 I. 24 DISCUSSION 25 "
    'Under Federal Rule of Civil Procedure 16(b)(4), a scheduling order "may be modified 26 '
    "only for good cause and with the judge's consent.\" Good cause requires a showing of due 27 "
    "diligence, which is the primary factor considered. Johnson v. Mammoth Recreations, Inc., "
    "975 28 F.2d 604, 609 (9th Cir. 1992); see also Sprague v. Fin. Credit Network, Inc., 2018 "
    "WL 4616688, 1 at *4 (E.D. Cal. Sept. 25, 2018)"
)


@pytest.mark.parametrize(
    ("body", "quote", "pinpoint"),
    [
        # Gradford 1:17-18: the first sentence of the order, across two pleading lines.
        (GRADFORD, 'William J. Gradford ("Plaintiff") is a prisoner', "1:17"),
        (GRADFORD, "42 U.S.C. § 1983. This action now proceeds with", "1:18"),
        # "August 23, 2018." is a date, not line number 23 followed by text.
        (GRADFORD, "expired on August 23, 2018. Thus,", "1:23"),
        # "(ECF 27 No. 48.)": 27 is a line number inside the citation.
        (GRADFORD, "(ECF No. 48.) Therein,", "1:26-27"),
        # "28 ... (Id.) 1 1 To the extent": page footer "1", then line 1 of page 2.
        (GRADFORD, 'this case with the court." (Id.) To the extent', "1:28-2:1"),
        (GRADFORD, "his request is denied pursuant to Local Rules 250.2", "2:2"),
        # Nuno: "42 18 U.S.C." -> the 18 is the line number; the citation is rejoined.
        (NUNO, "pursuant to 42 U.S.C. § 1983.", "1:17-18"),
        (NUNO, "(ECF No. 76.) Although", "1:20-21"),
        (NUNO, "Inc., 975 F.2d 604, 609 (9th Cir. 1992)", "1:27-28"),
        # Nuno has no footer: the bare "1" after line 28 starts page 2.
        (NUNO, "2018 WL 4616688, at *4 (E.D. Cal. Sept. 25, 2018)", "1:28-2:1"),
    ],
)
def test_pinpoints_of_real_lines(body: str, quote: str, pinpoint: str) -> None:
    clean = order_text(body)
    start = clean.text.index(quote)  # the quote is in the clean text, numbers removed
    assert clean.pinpoint(start, start + len(quote)) == pinpoint


def test_clean_text_keeps_numbers_that_are_words() -> None:
    clean = order_text(GRADFORD)
    assert "(ECF Nos. 41, 42, 43.) On August 30, 2018, Plaintiff filed" in clean.text
    assert "Local Rules 250.2, 250.3, and 250.4, which provide that" in clean.text
    assert clean.text.startswith("UNITED STATES DISTRICT COURT EASTERN DISTRICT OF CALIFORNIA")
    assert clean.pages == 2
    # Every position is a real pleading line, in order.
    positions = [(s.page, s.line) for s in clean.lines]
    assert positions == sorted(positions)
    assert all(1 <= line <= 28 for _, line in positions)


def test_plain_text_has_no_pinpoints() -> None:
    # Masterson v. Killen is plain text: "(Doc. 43 at 1:19-20.)" is a citation, not a number run.
    text = "of settlement.\" (Doc. 43 at 1:19-20.)\n\nPlaintiff's request to meet and confer"
    clean = order_text(text)
    assert clean.text == text
    assert not clean.numbered
    assert clean.pinpoint(0, 10) is None


def test_docket_text_line_is_split_off() -> None:
    body = (
        "Docket text: ORDER DENYING 48 Plaintiff's Request for Leave to File Discovery Documents"
        " signed by Magistrate Judge Gary S. Austin on 9/4/2018. (Jessen, A)\n\n" + GRADFORD
    )
    docket, rest = split_docket_text(body)
    assert docket is not None and docket.startswith("Docket text: ORDER DENYING 48")
    assert rest.lstrip().startswith("1 2 3 4 5 6 7 8 UNITED STATES")
    facts = order_facts(body, "https://docs.justia.com/cases/federal/district-courts/california/"
                        "caedce/1:2017cv00201/310815/49")  # fmt: skip
    assert facts.motion_ecf == (48,)
    assert facts.order_ecf == 49  # Justia's URL ends with the order's docket entry
    assert facts.date == "2018-09-04"
    assert facts.judge == "Magistrate Judge Gary S. Austin"
    assert facts.case == "Gradford v. McDougall"
    assert facts.docket == "1:17-cv-00201-DAD-GSA-PC"
    assert facts.court == "E.D. Cal."


@pytest.mark.parametrize(
    ("text", "docket"),
    [
        ("No. 2:19-cv-1663 TLN KJN P Plaintiff,", "2:19-cv-1663 TLN KJN P"),  # Head v. County
        ("EARL WARNER, vs. No. CIV S-09-1568 KJM EFB P MATTHEW L. CATE", "CIV S-09-1568 KJM EFB P"),
        (
            "1:11-cv-01179-LJO-GSA-PC\n\nORDER RE PLAINTIFF'S",
            "1:11-cv-01179-LJO-GSA-PC",
        ),  # Masterson
        ("NUNO, No. 1:21-cv-00769-NODJ-SAB (PC) Plaintiff,", "1:21-cv-00769-NODJ-SAB (PC)"),
        ("1:08-cv-01655-AWI-GSA-PC LOUIS BRANCH,", "1:08-cv-01655-AWI-GSA-PC"),  # Branch
        ("Plaintiff is a state prisoner proceeding pro se.", None),
    ],
)
def test_docket_numbers(text: str, docket: str | None) -> None:
    assert infer_docket(text) == docket


@pytest.mark.parametrize(
    ("caption", "name"),
    [
        # Masterson v. Killen, plain text caption
        ("UNITED STATES DISTRICT COURT EASTERN DISTRICT OF CALIFORNIA\n\nDANIEL MASTERSON,\n\n"
         "Plaintiff,\n\nVS.\n\nSUZANNE KILLEN, et al.,\n\nDefendants.\n\n1:11-cv-01179",
         "Masterson v. Killen"),
        # Epps v. CSP Sacramento: an institution keeps all its words, the title word "ORDER" drops
        ("FOR THE EASTERN DISTRICT OF CALIFORNIA ROBERT EPPS, No. 2:14-cv-1347 MCE AC P "
         "Plaintiff, v. ORDER CSP SACRAMENTO, et al., Defendants. Plaintiff is a state prisoner "
         "proceeding pro se and in forma pauperis with a civil rights action",
         "Epps v. CSP Sacramento"),
        # Bays v. Calhoun (casetext), one line
        ("JERRY WAYNE BAYS, Plaintiff, v. T. CALHOUN, et al., Defendants.", "Bays v. Calhoun"),
        # no caption at all (Solomon v. Negrete as published)
        ("ORDER\n\nALLISON CLAIRE, Magistrate Judge.", None),
    ],
)  # fmt: skip
def test_case_names(caption: str, name: str | None) -> None:
    assert infer_case_name(caption) == name


@pytest.mark.parametrize(
    ("text", "docket_text", "iso"),
    [
        ("Dated: November 24, 2014 /s/ Gary S. Austin", None, "2014-11-24"),  # Masterson
        ("DATED: August 23, 2011", None, "2011-08-23"),  # Asberry v. Cate
        # Williams v. Wasco: "Date: August 9, 2017" is the settlement conference, not the order.
        ("Date: August 9, 2017 Time: 9:30 a.m.", None, None),
        ("", "ORDER signed by Magistrate Judge Allison Claire on 12/3/14 DENYING 15", "2014-12-03"),
    ],
)
def test_dates(text: str, docket_text: str | None, iso: str | None) -> None:
    assert infer_date(text, docket_text) == iso


@pytest.mark.parametrize(
    ("text", "court"),
    [
        ("IN THE UNITED STATES DISTRICT COURT FOR THE EASTERN DISTRICT OF CALIFORNIA", "E.D. Cal."),
        ("United States District Court, E.D. California", "E.D. Cal."),  # Sierra (findacase)
        ("ORDER", None),
    ],
)
def test_courts(text: str, court: str | None) -> None:
    assert infer_court(text) == court


@pytest.mark.parametrize(
    ("docket_text", "motions"),
    [
        # Epps v. CSP Sacramento
        ("ORDER signed by Magistrate Judge Allison Claire on 12/3/14 DENYING 15 Motion to Appoint "
         "Counsel; Within thirty days from the date of this order", (15,)),
        # Thomas v. Ravera: "Plaintiff's 30 motion"
        ("ORDERING the Clerk to provide plaintiff a signed but otherwise blank subpoena duces "
         "tecum form with this order. Plaintiff's 30 motion for issuance of a subpoena", (30,)),
        # Williams v. Wasco: courtroom and dates are not motions
        ("ORDER Granting Plaintiff's 50 Motion for Settlement Conference signed by Magistrate "
         "Judge Michael J. Seng on 04/14/2017. Settlement Conference set for 8/9/2017 at 09:30 "
         "AM in Courtroom 25 (KJN)", (50,)),
    ],
)  # fmt: skip
def test_motion_ecf_from_docket_text(docket_text: str, motions: tuple[int, ...]) -> None:
    facts = order_facts(f"Docket text: {docket_text}\n\nORDER")
    assert facts.motion_ecf == motions


def test_motion_ecf_from_caption() -> None:
    # Masterson v. Killen: "(Doc. 43.)" in the caption; "(Doc. 1.)" in the body is not a motion.
    body = (
        "DANIEL MASTERSON,\n\nPlaintiff,\n\nVS.\n\nSUZANNE KILLEN, et al.,\n\nDefendants.\n\n"
        "ORDER RE PLAINTIFF'S REQUEST TO DEFENSE COUNSEL (Doc. 43.)\n\nDaniel Masterson "
        '("Plaintiff") is a state prisoner proceeding pro se and in forma pauperis in this civil '
        "rights action filed pursuant to 42 U.S.C. § 1983. Plaintiff filed the Complaint "
        "commencing this action on July 18, 2011. (Doc. 1.)"
    )
    assert order_facts(body).motion_ecf == (43,)


def test_numbered_corpus_orders_recover_consistent_lines(corpus) -> None:
    """Exactly the orders whose front matter says "line numbers" get positions, and sane ones."""
    from pathlib import Path

    from bot.ingest.load import read_documents

    documents, errors = read_documents([corpus / "orders"])
    assert not errors
    expected = {d.doc_id for d in documents if "line numbers" in Path(d.path).read_text()[:1200]}
    found = set()
    for document in documents:
        clean = order_text(split_docket_text(document.body)[1])
        if not clean.numbered:
            continue
        found.add(document.doc_id)
        positions = [(s.page, s.line) for s in clean.lines]
        assert positions == sorted(positions), document.doc_id
        assert clean.pages == 2, document.doc_id  # the excerpts reach into page 2
        assert all(1 <= line <= 28 for _, line in positions), document.doc_id
    assert found == expected
    assert len(found) == 21
