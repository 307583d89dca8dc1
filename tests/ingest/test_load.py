"""read_documents: front matter or inference, and a clear DocumentError for every bad file."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from bot.core.settings import SHIPPED_KNOWLEDGE
from bot.core.types import DocKind
from bot.ingest.load import read_documents

MASTERSON = SHIPPED_KNOWLEDGE / "masterson-v-killen-2014-11-24.txt"

# The top of Gradford v. McDougall as Justia publishes it, with no front matter at all.
GRADFORD = (
    "Docket text: ORDER DENYING 48 Plaintiff's Request for Leave to File Discovery Documents "
    "signed by Magistrate Judge Gary S. Austin on 9/4/2018. (Jessen, A)\n\n"
    "1 2 3 4 5 6 7 8 UNITED STATES DISTRICT COURT 9 EASTERN DISTRICT OF CALIFORNIA 10 11 "
    "WILLIAM J. GRADFORD, 12 13 14 15 Plaintiff, v. 1:17-cv-00201-DAD-GSA-PC ORDER DENYING "
    "PLAINTIFF'S REQUEST FOR LEAVE TO FILE DISCOVERY DOCUMENTS MCDOUGALL, et al., (ECF No. 48.) "
    'Defendants. 16 17 William J. Gradford ("Plaintiff") is a prisoner proceeding pro se and in '
    "forma pauperis 18 with this civil rights action pursuant to 42 U.S.C. § 1983.\n"
)


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_shipped_masterson_loads_from_front_matter() -> None:
    documents, errors = read_documents([MASTERSON])
    assert errors == []
    (doc,) = documents
    assert doc.doc_id == "masterson-v-killen-2014-11-24"
    assert doc.kind is DocKind.ORDER
    assert doc.title == "Masterson v. Killen"
    assert doc.docket == "1:11-cv-01179-LJO-GSA-PC"
    assert doc.date == "2014-11-24"
    assert doc.complete is True
    assert doc.motion_ecf == (43,)  # "(Doc. 43.)" in the caption
    assert len(doc.content_hash) == 64


def test_metadata_inferred_without_front_matter(tmp_path: Path) -> None:
    documents, errors = read_documents([_write(tmp_path / "gradford.txt", GRADFORD)])
    assert errors == []
    (doc,) = documents
    assert doc.kind is DocKind.ORDER
    assert (doc.title, doc.court, doc.docket) == (
        "Gradford v. McDougall",
        "E.D. Cal.",
        "1:17-cv-00201-DAD-GSA-PC",
    )
    assert doc.date == "2018-09-04"  # from the docket text's "on 9/4/2018"
    assert doc.motion_ecf == (48,)


def test_front_matter_wins_and_gaps_are_filled(tmp_path: Path) -> None:
    text = '---\ntype: order\ncase: "Gradford v. McDougall (renamed)"\ncompleteness: excerpt\n---\n'
    documents, errors = read_documents([_write(tmp_path / "g.txt", text + GRADFORD)])
    assert errors == []
    (doc,) = documents
    assert doc.title == "Gradford v. McDougall (renamed)"  # front matter wins
    assert doc.docket == "1:17-cv-00201-DAD-GSA-PC"  # inferred gap
    assert doc.complete is False


def test_rules_front_matter(tmp_path: Path) -> None:
    text = (
        '---\ntype: "rules"\ntitle: "Local Rules (quoted)"\ncitation_prefix: "E.D. Cal. L.R."\n'
        'authority: "secondary: verbatim quotations"\nas_amended_to: 2022-12-01\n---\n'
        "## L.R. 110 — Sanctions\n\nquoted words\nQuoted in: Asberry v. Cate.\n"
    )
    (doc,), errors = read_documents([_write(tmp_path / "lr.md", text)])
    assert errors == []
    assert doc.kind is DocKind.RULES
    assert doc.secondary is True
    assert doc.version == "2022-12-01"  # an unquoted YAML date comes back as ISO text
    assert doc.citation_prefix == "E.D. Cal. L.R."


def test_folders_are_walked_sorted_and_readmes_skipped(tmp_path: Path) -> None:
    _write(tmp_path / "b" / "z-order.txt", GRADFORD)
    _write(tmp_path / "a-order.md", GRADFORD)
    _write(tmp_path / "README.md", "# How to add knowledge files\n\nORDER")
    _write(tmp_path / "notes.docx", b"PK\x03\x04")  # ignored inside folders
    _write(tmp_path / ".hidden" / "x.txt", GRADFORD)
    documents, errors = read_documents([tmp_path])
    assert errors == []
    assert [d.doc_id for d in documents] == ["a-order", "z-order"]


def _broken_pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _blank_pdf() -> bytes:
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)  # a scan without OCR has no text either
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "is empty"),
        ("blank.txt", b"  \n\t\n", "contains only whitespace"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("latin1.txt", "Déclaration".encode("latin-1"), "is not UTF-8 text"),
        ("unclosed.md", "---\ntype: order\ncase: X v. Y\nORDER\n", "no closing '---'"),
        ("badyaml.md", '---\ntype: "order\n---\nORDER\n', "front matter is not valid YAML"),
        ("list.md", "---\n- order\n- rules\n---\nORDER\n", "must be a mapping"),
        ("kind.md", "---\ntype: opinion\n---\nORDER\n", "type 'opinion' is unknown"),
        ("nobody.md", "---\ntype: order\n---\n\n", "no text after it"),
        ("unknown.txt", "Shopping list: eggs, milk.", "cannot tell whether"),
        ("scan.pdf", _blank_pdf(), "has no text layer; run OCR first"),
        ("broken.pdf", _broken_pdf(), "is not a readable PDF"),
    ],
)
def test_bad_files_become_errors_and_others_still_load(
    tmp_path: Path, name: str, content: bytes | str, reason: str
) -> None:
    bad = _write(tmp_path / name, content)
    good = _write(tmp_path / "zz-good.txt", GRADFORD)
    documents, errors = read_documents([bad, good])
    assert [d.doc_id for d in documents] == ["zz-good"]
    (error,) = errors
    assert error.path == str(bad)
    assert reason in error.reason
    assert str(bad) in str(error)  # the message names the file


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, no disk used
    started = time.perf_counter()
    documents, errors = read_documents([huge])
    assert time.perf_counter() - started < 0.5
    assert documents == []
    assert errors[0].reason == "is 50.0 MB; the limit is 20 MB"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("missing.txt", "does not exist"),
        ("notes.docx", "unsupported file type '.docx'; use .txt, .md or .pdf"),
    ],
)
def test_explicit_paths(tmp_path: Path, name: str, reason: str) -> None:
    if name.endswith(".docx"):
        _write(tmp_path / name, b"PK\x03\x04")
    documents, errors = read_documents([tmp_path / name])
    assert documents == []
    assert [e.reason for e in errors] == [reason]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path: Path) -> None:
    locked = _write(tmp_path / "locked.txt", GRADFORD)
    locked.chmod(0)
    try:
        documents, errors = read_documents([locked])
    finally:
        locked.chmod(0o644)
    assert documents == []
    assert errors[0].reason.startswith("cannot be read")


def test_text_pdf_is_read(tmp_path: Path) -> None:
    pdf = tmp_path / "order.pdf"
    pdf.write_bytes(_text_pdf("UNITED STATES DISTRICT COURT ORDER DENYING MOTION TO COMPEL"))
    (doc,), errors = read_documents([pdf])
    assert errors == []
    assert doc.kind is DocKind.ORDER
    assert "ORDER DENYING MOTION TO COMPEL" in doc.body


def _text_pdf(text: str) -> bytes:
    """A one-page PDF whose content stream draws `text` with a standard font."""
    stream = f"BT /F1 10 Tf 40 700 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
