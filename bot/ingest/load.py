"""Load knowledge files (.txt, .md, .pdf) into Documents; bad files are reported, never raised."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import yaml
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from bot.core.errors import DocumentError
from bot.core.types import DocKind, Document
from bot.ingest.guides import SUFFIXES as GUIDE_SUFFIXES
from bot.ingest.parse_order import looks_like_order, order_facts

SUFFIXES = (".txt", ".md", ".pdf")
MAX_BYTES = 20 * 1024 * 1024
#: Front matter is a few lines of metadata; more than this is not front matter.
MAX_FRONT_MATTER = 16 * 1024
#: Terminal control sequences (CSI, OSC, other ESC sequences, 8-bit CSI) and the C0/C1
#: control characters other than tab and line breaks: a document's text must never drive the
#: terminal it is printed on.
_TERMINAL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, clearing the screen
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, hyperlinks
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[@-Z\\-_]?"  # other escapes, and a lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]"
)


class _NoAliasLoader(yaml.SafeLoader):
    """YAML's safe loader without aliases: `*name` lets a few lines expand to gigabytes."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in front matter", mark
            )
        return super().compose_node(parent, index)


def strip_terminal_controls(text: str) -> str:
    """`text` without escape sequences or control characters (tabs and line breaks kept)."""
    return _TERMINAL.sub("", text)


_MB = 1024 * 1024


def read_documents(paths: Iterable[Path | str]) -> tuple[list[Document], list[DocumentError]]:
    """Every knowledge file under `paths`, in sorted order, and one error per file that failed."""
    documents: list[Document] = []
    errors: list[DocumentError] = []
    for path in _files(paths, errors):
        if not _printable_name(path):
            errors.append(
                DocumentError(
                    shown(path), "has a file name that is not UTF-8; rename it to index it"
                )
            )
            continue
        try:
            documents.append(read_document(path))
        except DocumentError as error:
            errors.append(error)
        except OSError as error:
            errors.append(DocumentError(str(path), f"cannot be read ({error.strerror or error})"))
    return documents, errors


def _printable_name(path: Path) -> bool:
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown(path: Path | str) -> str:
    """A path as a message can print it: undecodable bytes as \\xNN escapes."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _files(paths: Iterable[Path | str], errors: list[DocumentError]) -> list[Path]:
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden and _wanted(child):
                    found.append(child)
        elif path.is_file():
            if path.suffix.lower() in SUFFIXES:
                found.append(path)
            elif path.suffix.lower() in GUIDE_SUFFIXES:
                pass  # a guides file, named on its own: bot.ingest.guides reads it
            else:
                reason = f"unsupported file type {path.suffix or '(none)'!r}; use .txt, .md or .pdf"
                errors.append(DocumentError(str(path), reason))
        elif path.exists() or path.is_symlink():
            errors.append(DocumentError(str(path), "is not a regular file or folder"))
        else:
            errors.append(DocumentError(str(path), "does not exist"))
    return found


def _wanted(path: Path) -> bool:
    # README.md files in knowledge folders document the folder; they are not knowledge.
    return path.suffix.lower() in SUFFIXES and path.name.lower() != "readme.md"


def read_document(path: Path) -> Document:
    """One knowledge file; raises DocumentError naming the file and the problem."""
    where = str(path)
    size = path.stat().st_size  # checked before reading, so a huge file costs nothing
    if size > MAX_BYTES:
        raise DocumentError(where, f"is {size / _MB:.1f} MB; the limit is {MAX_BYTES // _MB} MB")
    if size == 0:
        raise DocumentError(where, "is empty")
    data = path.read_bytes()
    text = _pdf_text(where, data) if path.suffix.lower() == ".pdf" else _plain_text(where, data)
    text = strip_terminal_controls(text)
    if not text.strip():
        raise DocumentError(where, "contains only whitespace")
    meta, body = _front_matter(where, text)
    if not body.strip():
        raise DocumentError(where, "has front matter but no text after it")
    return _document(path, meta, body, hashlib.sha256(data).hexdigest())


def _plain_text(where: str, data: bytes) -> str:
    if b"\x00" in data:
        raise DocumentError(where, "looks like a binary file, not text (it contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DocumentError(
            where, f"is not UTF-8 text (undecodable byte at offset {error.start})"
        ) from None


def _pdf_text(where: str, data: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(where, "is an encrypted PDF; save an unencrypted copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        raise DocumentError(where, f"is not a readable PDF ({type(error).__name__})") from None
    text = "\n".join(pages)
    if not text.strip():
        raise DocumentError(where, "has no text layer; run OCR first")
    return text


def _front_matter(where: str, text: str) -> tuple[dict[str, object], str]:
    """YAML between a first line `---` and the next `---` line; absent front matter is fine."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, text
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            break
    else:
        raise DocumentError(where, "front matter starts with '---' but has no closing '---' line")
    front = "".join(lines[1:end])
    if len(front) > MAX_FRONT_MATTER:
        raise DocumentError(
            where,
            f"front matter is {len(front):,} characters; the limit is {MAX_FRONT_MATTER:,} "
            "(it holds a few fields such as type, case, court, date)",
        )
    try:
        meta = yaml.load(front, Loader=_NoAliasLoader)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as error:
        mark = getattr(error, "problem_mark", None)
        at = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "syntax error"
        raise DocumentError(where, f"front matter is not valid YAML{at}: {problem}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise DocumentError(where, "front matter must be a mapping of `field: value` lines")
    return meta, "".join(lines[end + 1 :])


def _field(meta: dict[str, object], name: str) -> str | None:
    value = meta.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _kind(where: str, meta: dict[str, object], body: str) -> DocKind:
    declared = _field(meta, "type")
    if declared is not None:
        try:
            return DocKind(declared.lower())
        except ValueError:
            raise DocumentError(
                where, f"front matter type {declared!r} is unknown; use order, rules or statute"
            ) from None
    if re.search(
        r"^(?:#{1,6}\s*)?(?:\d{1,2}\s+U\.S\.C\.\s*)?§\s*\d+[A-Za-z]*\.\s", body, re.MULTILINE
    ):
        return DocKind.STATUTE
    if re.search(r"^(?:#+\s*)?(?:Rule\s+\d+\.\s|#+\s*L\.R\.\s+\d)", body, re.MULTILINE):
        return DocKind.RULES
    if looks_like_order(body):
        return DocKind.ORDER
    raise DocumentError(
        where,
        "cannot tell whether this is an order, rules or a statute; "
        "add front matter with `type: order` (or rules, statute)",
    )


def _document(path: Path, meta: dict[str, object], body: str, content_hash: str) -> Document:
    where = str(path)
    kind = _kind(where, meta, body)
    common = {
        "doc_id": path.stem,
        "path": where,
        "kind": kind,
        "body": body,
        "content_hash": content_hash,
        "source_url": _field(meta, "source_url"),
        "note": _field(meta, "note"),
        "date_note": _field(meta, "date_note"),
    }
    if kind is DocKind.ORDER:
        facts = order_facts(body, common["source_url"])
        return Document(
            **common,
            title=_field(meta, "case") or facts.case or path.stem,
            court=_field(meta, "court") or facts.court,
            docket=_field(meta, "docket") or facts.docket,
            judge=_field(meta, "judge") or facts.judge,
            # A front-matter date_note says the date is uncertain: do not guess one from the text.
            date=_field(meta, "date") or (None if _field(meta, "date_note") else facts.date),
            complete=(_field(meta, "completeness") or "complete").lower() != "excerpt",
            order_ecf=_int(meta.get("order_ecf")) or facts.order_ecf,
            motion_ecf=facts.motion_ecf,
        )
    heading = re.search(r"^#+\s*(.+)$", body, re.MULTILINE)
    return Document(
        **common,
        title=_field(meta, "title") or (heading.group(1).strip("# ") if heading else path.stem),
        court=_field(meta, "court"),
        citation_prefix=_field(meta, "citation_prefix"),
        version=_field(meta, "as_amended_to") or _short(_field(meta, "version")),
        secondary=(_field(meta, "authority") or "").lower().startswith("secondary"),
    )


def _short(version: str | None) -> str | None:
    """A free-text version without its parenthetical detail: "United States Code, 2023 Edition"."""
    return re.split(r"\s+\(|;\s", version, maxsplit=1)[0].strip() if version else None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
