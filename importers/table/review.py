"""Review and write what an import produced: all rows valid, or nothing written.

Both the table and the bank importer first turn a whole file into entries
and a list of bad rows, then hand both to :func:`commit`, which

- rejects the whole file when any row is bad (unless the user asked to skip
  bad rows), listing every bad row with its row number, column, value and
  what to do;
- leaves out entries whose ``id`` (or the id an earlier version of the
  importer gave them) the ledger already holds, so importing the same file
  twice adds nothing;
- on ``--dry-run`` only says what would be written;
- otherwise appends everything in one :func:`journal.append` call, so the
  ledger is never half-written.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import click
from beancount.core import data

from wijkboekhouding.engine import journal
from wijkboekhouding.engine.errors import WijkboekhoudingError
from wijkboekhouding.engine.ledger import Ledger
from wijkboekhouding.engine.model import META_ID

log = logging.getLogger(__name__)

JOURNAL_NAME = "journal.beancount"
META_FORMER_ID = "__former_id__"
"""Hidden metadata (never written): the id an earlier version gave an entry."""


@dataclass(frozen=True)
class BadRow:
    """One row that cannot be imported, and what the user should do about it."""

    row: int
    column: str
    value: str
    advice: str

    def describe(self) -> str:
        """The row as one line of the rejection message."""
        where = f"row {self.row}" if self.row else "file"
        column = f", column {self.column!r}" if self.column else ""
        return f"{where}{column}, value {self.value!r}: {self.advice}"


def count_rows(bad: Sequence[BadRow]) -> int:
    """How many rows are bad; a row with several bad cells counts once."""
    return len({problem.row for problem in bad if problem.row})


def tally(bad: Sequence[BadRow]) -> str:
    """``3 bad row(s)``, with the problems of the whole file when there are any."""
    rows = count_rows(bad)
    whole = sum(1 for problem in bad if not problem.row)
    parts = [f"{rows} bad row(s)"] if rows or not whole else []
    if whole:
        parts.append(f"{whole} problem(s) with the whole file")
    return " and ".join(parts)


class RejectedFile(WijkboekhoudingError):
    """A file with bad rows; nothing of it was written."""

    def __init__(self, file: str, bad: Sequence[BadRow]) -> None:
        self.file = file
        self.bad = tuple(bad)
        lines = [f"  {row.describe()}" for row in self.bad]
        super().__init__(
            f"{file}: rejected, {tally(self.bad)}; nothing was written."
            " Correct them, or import the other rows with --skip-bad-rows:\n"
            + "\n".join(lines)
        )


class UnreadableFile(WijkboekhoudingError):
    """A file that cannot be read as a whole (encoding, sheet, layout)."""

    def __init__(self, file: str, problem: str) -> None:
        self.file = file
        super().__init__(f"{file}: {problem}; nothing was written")


@dataclass(frozen=True)
class Extraction:
    """What an importer made of one file, before anything is written."""

    file: str
    entries: tuple[data.Directive, ...]
    bad: tuple[BadRow, ...] = ()
    rows: int = 0


@dataclass(frozen=True)
class Outcome:
    """What :func:`commit` did or, on a dry run, would do."""

    target: Path
    new: tuple[data.Directive, ...]
    duplicates: int
    skipped: tuple[BadRow, ...]
    written: bool
    recorded: str | None = None
    dry_run: bool = False
    notes: tuple[str, ...] = field(default=())

    def summary(self) -> str:
        """One line: new, duplicate and rejected rows."""
        verb = "would append" if self.dry_run else "appended"
        return (
            f"{verb} {len(self.new)} new entr{'y' if len(self.new) == 1 else 'ies'}"
            f" to {self.target}; {self.duplicates} already in the ledger;"
            f" {count_rows(self.skipped)} bad row(s) skipped"
        )


class JournalNotIncluded(WijkboekhoudingError):
    """A ``--journal`` file that the ledger does not include."""

    def __init__(self, journal_path: str, ledger: str) -> None:
        super().__init__(
            f"{journal_path} is not part of the ledger {ledger}; add"
            f' `include "{Path(journal_path).name}"` to {ledger} first, so that'
            " what is appended there is seen (and not imported twice)"
        )


def journal_file(ledger: Ledger, chosen: str | Path | None = None) -> Path:
    """The file imports append to.

    The ``chosen`` file when given (it must be one of the ledger's files),
    else the ledger's ``journal.beancount``, else the main file.

    Raises:
      JournalNotIncluded: the chosen file is not part of the ledger.
    """
    if chosen is not None:
        wanted = Path(chosen).resolve()
        if wanted not in {Path(name).resolve() for name in ledger.files}:
            raise JournalNotIncluded(str(chosen), str(ledger.path))
        return Path(chosen)
    for name in ledger.files:
        path = Path(name)
        if path.name == JOURNAL_NAME:
            return path
    return ledger.path


def entry_id(entry: data.Directive) -> str | None:
    """The ``id`` metadata of an entry, if any."""
    value = (entry.meta or {}).get(META_ID)
    return None if value is None else str(value)


def entry_ids(entry: data.Directive) -> set[str]:
    """The ``id`` of an entry and the one an earlier version gave it, if any."""
    meta = entry.meta or {}
    return {str(meta[key]) for key in (META_ID, META_FORMER_ID) if meta.get(key)}


def unknown(entries: Sequence[data.Directive], known: set[str]) -> list[data.Directive]:
    """The entries that the ledger holds under none of their ids."""
    return [entry for entry in entries if not entry_ids(entry) & known]


def commit(
    ledger: Ledger,
    extraction: Extraction,
    *,
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    recorded: str | None = None,
    target: str | Path | None = None,
) -> Outcome:
    """Write an extraction to the ledger, all of it or nothing.

    Raises:
      RejectedFile: the file has bad rows and ``skip_bad_rows`` is off.
      JournalNotIncluded: ``target`` is not one of the ledger's files.
      JournalWriteError: the journal could not be written; it is unchanged.
    """
    path = journal_file(ledger, target)
    if extraction.bad and not skip_bad_rows:
        raise RejectedFile(extraction.file, extraction.bad)
    for bad in extraction.bad:
        log.info("%s: skipped %s", extraction.file, bad.describe())

    # Leave out what the ledger already holds.
    known = ledger.ids()
    new = unknown(extraction.entries, known)
    duplicates = len(extraction.entries) - len(new)
    if dry_run or not new:
        return Outcome(
            path, tuple(new), duplicates, extraction.bad, False, dry_run=dry_run
        )
    result = journal.append(path, new, known_ids=known, recorded=recorded)
    return Outcome(path, tuple(new), duplicates, extraction.bad, True, result.recorded)


def report(outcome: Outcome, *, dry_run: bool) -> None:
    """Print what an import did: the entries on a dry run, skipped rows, a summary."""
    if dry_run and outcome.new:
        click.echo(journal.render(outcome.new).lstrip("\n"))
    for bad in outcome.skipped:
        verb = "skipped" if bad.row else "warning:"
        click.echo(f"{verb} {bad.describe()}", err=True)
    for note in outcome.notes:
        click.echo(note, err=True)
    click.echo(outcome.summary())
