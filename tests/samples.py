"""Real passages shared by the answer and rendering tests: short excerpts of the shipped
Masterson order and of corpus orders and rules, with their labels, and helpers that rank them."""

from __future__ import annotations

import re

from bot.core.types import DocKind, Hit, Passage

MASTERSON_LABEL = "Masterson v. Killen, No. 1:11-cv-01179-LJO-GSA-PC (E.D. Cal. Nov. 24, 2014)"
GRADFORD_LABEL = "Gradford v. McDougall, No. 1:17-cv-00201-DAD-GSA-PC (E.D. Cal. Sept. 4, 2018)"
EPPS_LABEL = "Epps v. CSP Sacramento, No. 2:14-cv-1347 MCE AC P (E.D. Cal. Dec. 3, 2014)"
FRCP_2022 = "as amended to Dec. 1, 2022"

# Passages as the chunker hands them over, copied from /work/shared/corpus (pleading-paper line
# numbers and "an- swer" hyphenation breaks removed, as Passage.text promises).
PASSAGES = {
    # knowledge/masterson-v-killen-2014-11-24.txt, the ruling paragraph (complete order)
    "masterson": Passage(
        passage_id="masterson-2",
        doc_id="masterson-v-killen-2014-11-24",
        kind=DocKind.ORDER,
        text=(
            "Plaintiff's request to meet and confer should not have been filed with the court. "
            "Plaintiff is advised that discovery is meant to be conducted among the parties only, "
            "without notice to the court, unless a discovery dispute arises. The court's Discovery "
            "and Scheduling Order instructs the parties not to file discovery requests and "
            "responses with the court unless required by Local Rules 250.2, 250.3, and 250.4. "
            "(Doc. 42 ¶1.) Correspondence between the parties during discovery should not be filed "
            "with the court unless it is at issue, such as when a motion to compel is filed. "
            "Moreover, settlement negotiations are considered confidential and ordinarily should "
            "not be filed with the court. Inasmuch as Plaintiff's request is directed only to "
            "defense counsel and not to the court, the court shall not consider the request or "
            "make any ruling on it."
        ),
        label=MASTERSON_LABEL,
        position=2,
        mentions=("E.D. Cal. L.R. 250.2", "E.D. Cal. L.R. 250.3", "E.D. Cal. L.R. 250.4"),
        court="E.D. Cal.",
    ),
    # knowledge/masterson-v-killen-2014-11-24.txt, the background paragraph
    "masterson-background": Passage(
        passage_id="masterson-1",
        doc_id="masterson-v-killen-2014-11-24",
        kind=DocKind.ORDER,
        text=(
            "This case is presently in the discovery phase, pursuant to the court's Discovery and "
            "Scheduling Order issued on November 14, 2014. (Doc. 42.) On November 21, 2014, "
            "Plaintiff filed a request to meet and confer by telephone with defense counsel, to "
            'discuss "resolution of any and all issues, including but not limited to the '
            'possibility of settlement." (Doc. 43 at 1:19-20.)'
        ),
        label=MASTERSON_LABEL,
        position=1,
        court="E.D. Cal.",
    ),
    # orders/edcal/gradford-v-mcdougall-2018-09-04.txt, page 2 lines 1-6 (excerpt ends mid-line)
    "gradford": Passage(
        passage_id="gradford-2",
        doc_id="gradford-v-mcdougall-2018-09-04",
        kind=DocKind.ORDER,
        text=(
            "To the extent that Plaintiff seeks to file his discovery documents as evidence "
            "in this case, his request is denied pursuant to Local Rules 250.2, 250.3, and "
            "250.4, which provide that interrogatories, requests for production, and requests"
            ' for admission, responses, and proofs of service thereof "shall not be filed '
            "unless and until there is a proceeding in which the document or proof of service"
            ' is at issue." L.R. 250.2, 250.3, 250.4 Therefore, Plaintiff should not file '
            "discovery documents with the court"
        ),
        label=GRADFORD_LABEL,
        position=2,
        pinpoint="2:1-6",
        mentions=("E.D. Cal. L.R. 250.2", "E.D. Cal. L.R. 250.3", "E.D. Cal. L.R. 250.4"),
        court="E.D. Cal.",
        excerpt=True,
        url="https://docs.justia.com/cases/federal/district-courts/california/caedce/"
        "1:2017cv00201/310815/49",
    ),
    # rules/frcp-2022-12-01.md, Rule 5(d)(1)(A)
    "frcp-5d1A": Passage(
        passage_id="frcp-5d1A",
        doc_id="frcp-2022-12-01",
        kind=DocKind.RULES,
        text=(
            "(A) Papers after the Complaint. Any paper after the complaint that is required to be "
            "served must be filed no later than a reasonable time after service. But disclosures "
            "under Rule 26(a)(1) or (2) and the following discovery requests and responses must "
            "not be filed until they are used in the proceeding or the court orders filing: "
            "depositions, interrogatories, requests for documents or tangible things or to permit "
            "entry onto land, and requests for admission."
        ),
        label="Fed. R. Civ. P. 5(d)(1)(A)",
        position=40,
        authority="Fed. R. Civ. P. 5(d)(1)(A)",
        heading="Rule 5. Serving and Filing Pleadings and Other Papers — (d) Filing",
        mentions=("Fed. R. Civ. P. 26(a)(1)",),
        version=FRCP_2022,
    ),
    # rules/frcp-2022-12-01.md, Rule 16(b)(4)
    "frcp-16b4": Passage(
        passage_id="frcp-16b4",
        doc_id="frcp-2022-12-01",
        kind=DocKind.RULES,
        text="(4) Modifying a Schedule. A schedule may be modified only for good cause and with "
        "the judge’s consent.",
        label="Fed. R. Civ. P. 16(b)(4)",
        position=120,
        authority="Fed. R. Civ. P. 16(b)(4)",
        version=FRCP_2022,
    ),
    # rules/edcal-local-rules-quoted.md, L.R. 183(b) (current wording, quoted in three orders)
    "lr-183b": Passage(
        passage_id="lr-183b",
        doc_id="edcal-local-rules-quoted",
        kind=DocKind.RULES,
        text=(
            '"A party appearing in propria persona shall keep the Court and opposing parties '
            "advised as to his or her current address. If mail directed to a plaintiff in "
            "propria persona by the Clerk is returned by the U.S. Postal Service, and if such "
            "plaintiff fails to notify the Court and opposing parties within sixty-three (63) "
            "days thereafter of a current address, the Court may dismiss the action without "
            'prejudice for failure to prosecute."'
        ),
        label="E.D. Cal. L.R. 183(b)",
        position=3,
        authority="E.D. Cal. L.R. 183(b)",
        court="E.D. Cal.",
        provenance="Quoted in: Bays v. Calhoun, No. 1:16-cv-01780-DAD-MJS (PC) (E.D. Cal. "
        "Feb. 14, 2017)",
    ),
    # rules/edcal-local-rules-quoted.md, the earlier (2006) wording of L.R. 183(b)
    "lr-183b-2006": Passage(
        passage_id="lr-183b-2006",
        doc_id="edcal-local-rules-quoted",
        kind=DocKind.RULES,
        text='Earlier version (L.R. 83-183(b), 2006) read "within sixty (60) days thereafter".',
        label="E.D. Cal. L.R. 183(b)",
        position=4,
        authority="E.D. Cal. L.R. 183(b)",
        court="E.D. Cal.",
        version="earlier version (L.R. 83-183(b), 2006)",
        provenance="Quoted in: Cauton v. USA, No. CV F 06 0015 REC SMS P (E.D. Cal. Feb. 8, 2006)",
    ),
    # rules/edcal-local-rules-quoted.md, L.R. 230(l)
    "lr-230l": Passage(
        passage_id="lr-230l",
        doc_id="edcal-local-rules-quoted",
        kind=DocKind.RULES,
        text=(
            '"Opposition, if any, to the granting of the motion shall be served and filed by the '
            "responding party not more than twenty-one (21) days after the date of service of "
            'the motion." "Failure of the responding party to file an opposition or to file a '
            "statement of no opposition may be deemed a waiver of any opposition to the granting "
            'of the motion and may result in the imposition of sanctions."'
        ),
        label="E.D. Cal. L.R. 230(l)",
        position=5,
        authority="E.D. Cal. L.R. 230(l)",
        court="E.D. Cal.",
        provenance="Quoted in: Warner v. Cate, No. CIV S-09-1568 KJM EFB P (E.D. Cal. Apr. 19, "
        "2012)",
    ),
    # orders/edcal/epps-v-csp-sacramento-2014-12-03.txt, page 1 line 21 to page 2 line 3
    "epps": Passage(
        passage_id="epps-2",
        doc_id="epps-v-csp-sacramento-2014-12-03",
        kind=DocKind.ORDER,
        text=(
            "District courts may not require counsel to represent indigent prisoners in § 1983 "
            "cases. Mallard v. United States Dist. Court, 490 U.S. 296, 298 (1989). However, "
            'where willing counsel is available, the district court "may request an attorney to '
            'represent any person unable to afford counsel." 28 U.S.C. § 1915(e)(1); Agyeman v. '
            "Corrections Corp. of America, 390 F.3d 1101, 1103 (9th Cir. 2004), cert. denied, 545 "
            'U.S. 1128 (2005). The district court may appoint such counsel where "exceptional '
            'circumstances" exist. Palmer v. Valdez, 560 F.3d 965, 970 (9th Cir. 2009), cert. '
            "denied, 559 U.S. 906 (2010) (citing Agyeman, 390 F.3d at 1103)."
        ),
        label=EPPS_LABEL,
        position=2,
        pinpoint="1:21-2:3",
        mentions=("42 U.S.C. § 1983", "28 U.S.C. § 1915(e)(1)"),
        court="E.D. Cal.",
        excerpt=True,
    ),
    # statutes/28-usc-1915-1915a.md, § 1915(e)(1)
    "usc-1915e1": Passage(
        passage_id="usc-1915e1",
        doc_id="28-usc-1915-1915a",
        kind=DocKind.STATUTE,
        text="(1) The court may request an attorney to represent any person unable to afford "
        "counsel.",
        label="28 U.S.C. § 1915(e)(1)",
        position=9,
        authority="28 U.S.C. § 1915(e)(1)",
    ),
    # orders/edcal/pc-nuno-v-eslick.txt, page 1 lines 25-28
    "nuno": Passage(
        passage_id="nuno-2",
        doc_id="pc-nuno-v-eslick",
        kind=DocKind.ORDER,
        text=(
            'Under Federal Rule of Civil Procedure 16(b)(4), a scheduling order "may be modified '
            "only for good cause and with the judge's consent.\" Good cause requires a showing of "
            "due diligence, which is the primary factor considered. Johnson v. Mammoth "
            "Recreations, Inc., 975 F.2d 604, 609 (9th Cir. 1992)."
        ),
        label="(PC) Nuno v. Eslick, No. 1:21-cv-00769-NODJ-SAB (PC) (E.D. Cal.)",
        position=2,
        pinpoint="1:25-28",
        mentions=("Fed. R. Civ. P. 16(b)(4)",),
        court="E.D. Cal.",
        excerpt=True,
    ),
}

_WORD = re.compile(r"[a-z]+")
_COMMON = frozenset(("the", "a", "an", "i", "my", "to", "of", "and", "or", "in", "on", "for"))


def rank_by_overlap(query: str, k: int) -> list[Hit]:
    """A tiny stand-in retriever: passages ranked by shared words with the query, and first
    the rule or statute whose number the query names (as the real authority route does)."""
    asked = set(_WORD.findall(query.lower())) - _COMMON
    scored = []
    for passage in PASSAGES.values():
        shared = len(asked & set(_WORD.findall(passage.text.lower())))
        if passage.authority and passage.authority.rsplit(" ", 1)[-1] in query:
            shared += 100
        if shared:
            scored.append((shared, passage.position, passage))
    scored.sort(key=lambda row: (-row[0], row[1]))
    return [Hit(p, float(s), rank) for rank, (s, _, p) in enumerate(scored[:k], 1)]


def hits(*names: str) -> list[Hit]:
    return [Hit(PASSAGES[n], 1.0 / i, i) for i, n in enumerate(names, 1)]
