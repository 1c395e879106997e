"""``wijkboekhouding import table``: a resident's spreadsheet into the ledger."""

from __future__ import annotations

from pathlib import Path

import click

from wijkboekhouding.engine.cli.app import open_ledger
from wijkboekhouding.engine.ledger import Ledger
from wijkboekhouding.importers.table.convert import convert
from wijkboekhouding.importers.table.facts import (
    LedgerFacts,
    require_clean_declarations,
)
from wijkboekhouding.importers.table.mapping import load_mapping
from wijkboekhouding.importers.table.reader import read_table
from wijkboekhouding.importers.table.review import Extraction, Outcome, commit, report


def extract_table(
    ledger: Ledger, file: Path, mapping_path: Path, sheet: str | None = None
) -> Extraction:
    """Read a table with its mapping and turn it into entries (nothing written).

    Raises:
      MappingError: the mapping cannot be used.
      UnreadableFile: the file cannot be read or misses a column.
    """
    mapping = load_mapping(mapping_path)
    table = read_table(
        file,
        sheet=sheet,
        default_sheet=mapping.sheet,
        encoding=mapping.encoding,
        delimiter=mapping.delimiter,
    )
    return convert(table, mapping, LedgerFacts.of(ledger))


def import_table(
    ledger_path: str | Path,
    file: str | Path,
    mapping: str | Path,
    *,
    sheet: str | None = None,
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    recorded: str | None = None,
    journal: str | Path | None = None,
) -> Outcome:
    """Import a table into a ledger: every row, or (with bad rows) nothing.

    Raises:
      RejectedFile: some rows are bad and ``skip_bad_rows`` is off.
      MappingError, UnreadableFile, JournalWriteError: see their messages.
    """
    ledger = open_ledger(str(ledger_path), require_clean=True)
    require_clean_declarations(ledger)
    extraction = extract_table(ledger, Path(file), Path(mapping), sheet)
    return commit(
        ledger,
        extraction,
        dry_run=dry_run,
        skip_bad_rows=skip_bad_rows,
        recorded=recorded,
        target=journal,
    )


@click.command()
@click.argument("ledger", type=click.Path(dir_okay=False))
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--mapping",
    "mapping",
    required=True,
    type=click.Path(dir_okay=False),
    help="TOML file that maps the columns to entries.",
)
@click.option("--sheet", help="Sheet of an xlsx file (default: the mapping's).")
@click.option(
    "--journal",
    "journal",
    type=click.Path(dir_okay=False),
    help="File to append to (default: the ledger's journal.beancount).",
)
@click.option("--dry-run", is_flag=True, help="Show what would be appended.")
@click.option(
    "--skip-bad-rows", is_flag=True, help="Import the good rows, list the bad ones."
)
def command(
    ledger: str,
    file: str,
    mapping: str,
    sheet: str | None,
    dry_run: bool,
    skip_bad_rows: bool,
    journal: str | None,
) -> None:
    """Append the rows of a CSV or xlsx FILE to LEDGER, as MAPPING says."""
    outcome = import_table(
        ledger,
        file,
        mapping,
        sheet=sheet,
        dry_run=dry_run,
        skip_bad_rows=skip_bad_rows,
        journal=journal,
    )
    report(outcome, dry_run=dry_run)
