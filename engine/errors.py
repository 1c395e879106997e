"""Error records and exceptions shared by the engine.

Problems in a ledger are records returned beside the entries, in the shape
Beancount's own tools print (``file:line: message``).  Failures of the
program's own inputs are exceptions, one class per failure, each owning its
message; the CLI turns them into a clear line and a non-zero exit.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class LedgerError(NamedTuple):
    """A problem found in a ledger, printed by ``bean-check`` and ``check``."""

    source: dict[str, Any]
    message: str
    entry: Any


def error_at(
    meta: dict[str, Any] | None, message: str, entry: Any = None
) -> LedgerError:
    """Build an error record located at the file and line of ``meta``."""
    source = {
        "filename": (meta or {}).get("filename", "<unknown>"),
        "lineno": (meta or {}).get("lineno", 0),
    }
    return LedgerError(source, message, entry)


def format_error(error: Any) -> str:
    """Render any Beancount-style error record as ``file:line: message``."""
    source = getattr(error, "source", None) or {}
    filename = source.get("filename", "<unknown>")
    lineno = source.get("lineno", 0)
    return f"{filename}:{lineno}: {_without_traceback(str(error.message))}"


def _without_traceback(message: str) -> str:
    """Keep a message's first line and the exception that ended a traceback.

    Beancount puts a whole traceback in the message when a plugin fails to
    import or run; its last line says what went wrong.
    """
    head, marker, trace = message.partition("Traceback (most recent call last):")
    if not marker:
        return message
    lines = [line.strip() for line in trace.splitlines() if line.strip()]
    return f"{head.strip()} {lines[-1] if lines else ''}".strip()


class WijkboekhoudingError(Exception):
    """Base of every failure of the program's own inputs.

    The CLI prints ``str(error)`` and exits non-zero; subclasses build a
    message that names the file, the row or value, and what to do.
    """


class LedgerNotFound(WijkboekhoudingError):
    """The ledger file given on the command line does not exist."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"{path}: no such ledger file; give the path of the main .beancount file"
            " (create one with `wijkboekhouding new DIR --gemeente GMxxxx`)"
        )


class JournalWriteError(WijkboekhoudingError):
    """A journal file could not be written; the file is left unchanged."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(
            f"{path}: could not append ({reason}); the file is unchanged."
            " Check that the disk has space and the file and its folder are writable."
        )


class UnknownArea(WijkboekhoudingError):
    """An area code that the ledger does not declare."""

    def __init__(self, code: str, hint: str = "") -> None:
        message = f"unknown area {code!r}: the ledger declares no such area"
        super().__init__(message + (f"; {hint}" if hint else ""))


class UnknownLevel(WijkboekhoudingError):
    """A level name that no area of the ledger has."""

    def __init__(self, level: str, known: list[str]) -> None:
        super().__init__(
            f"unknown level {level!r}; this ledger has the levels: {', '.join(known)}"
        )
