"""Domain exceptions whose messages are safe to show to the person who caused them."""

from __future__ import annotations


def quoted(text: str, limit: int = 60) -> str:
    """`text` quoted for a message, cut short: people paste whole paragraphs into lookups."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


class ProcbotError(Exception):
    """Base class: `str(error)` is a complete, user-safe sentence."""


class ConfigError(ProcbotError):
    """A setting is missing or has a value the program cannot use."""


class InputError(ProcbotError):
    """A question, query or citation the program cannot work with as given."""


class DocumentError(ProcbotError):
    """A knowledge file that cannot be read; names the file so it can be fixed."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class GuideError(DocumentError):
    """A guides file, or one guide in it, that cannot be served; names the file and the guide."""

    def __init__(self, path: str, reason: str, guide_id: str | None = None) -> None:
        super().__init__(path, f"guide {guide_id!r}: {reason}" if guide_id else reason)
        self.guide_id = guide_id
        self.problem = reason


class BusyError(ProcbotError):
    """Another process holds the data folder's writer lock for longer than we may wait."""


class IndexDamagedError(ProcbotError):
    """A generation's files cannot be read back; names the file and the repairing command."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(
            f"The index in {where} is damaged: {problem}. Run `procbot index` to rebuild it "
            "from PROCBOT_KNOWLEDGE (or `procbot index --replace PATH` for another set)."
        )


class IndexMissingError(ProcbotError):
    """Search or answering was asked for before anything was indexed."""

    def __init__(self, where: str) -> None:
        super().__init__(f"Nothing is indexed in {where} yet. Run `procbot index` first.")


class RuleNotFoundError(ProcbotError):
    """A rule lookup that matches nothing in the knowledge base; never answered by guessing."""

    def __init__(self, query: str, hint: str | None = None) -> None:
        message = f"{quoted(query)} is not in the knowledge base; there is no text to show."
        super().__init__(f"{message} {hint}" if hint else message)
        self.query = query
        self.hint = hint


class QuestionSetError(ProcbotError):
    """A question-set file that does not follow the documented format."""

    def __init__(self, path: str, reason: str, qid: str | None = None, field: str | None = None):
        where = path + (f", question {qid}" if qid else "")
        where += f", field {field!r}" if field else ""
        super().__init__(f"{where}: {reason}")
        self.path, self.qid, self.field, self.reason = path, qid, field, reason
