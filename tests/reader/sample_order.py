"""A court order written for these tests (not a real case), as paragraphs."""

# An order written for these tests (not a real case): caption, background, the operative
# directive with a period from service, and the consequence of not complying.
ORDER = [
    "UNITED STATES DISTRICT COURT",
    "EASTERN DISTRICT OF CALIFORNIA",
    "JOHN DOE, Plaintiff, v. RICHARD ROE, et al., Defendants.",
    "Case No. 1:20-cv-01234-ABC-PC ORDER DENYING PLAINTIFF'S MOTION TO APPOINT COUNSEL AND "
    "DIRECTING PLAINTIFF TO FILE AN OPPOSITION (ECF Nos. 40, 42)",
    "Plaintiff is a state prisoner proceeding pro se in this civil rights action. On May 1, 2020, "
    "Defendants filed a motion for summary judgment. (ECF No. 40.) Plaintiff has not filed an "
    "opposition. On May 20, 2020, Plaintiff asked the court to appoint counsel. (ECF No. 42.)",
    "There is no right to appointed counsel in a civil action, and the court finds no "
    "exceptional circumstances here. Accordingly, IT IS HEREBY ORDERED that Plaintiff's motion "
    "to appoint counsel is DENIED.",
    "IT IS FURTHER ORDERED that Plaintiff shall file an opposition or a statement of "
    "non-opposition to the motion for summary judgment within thirty (30) days from the date "
    "of service of this order. Failure to comply with this order will result in a "
    "recommendation that this action be dismissed.",
    "IT IS SO ORDERED.",
    "Dated: June 5, 2020",
]
