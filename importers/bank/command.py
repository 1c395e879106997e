"""``wijkboekhouding import bank``: a bank statement into the ledger."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from wijkboekhouding.engine.cli.app import open_ledger
from wijkboekhouding.importers.bank.importers import find_importer
from wijkboekhouding.importers.bank.rules import load_rules
from wijkboekhouding.importers.table.facts import require_clean_declarations
from wijkboekhouding.importers.table.review import (
    Outcome,
    commit,
    count_rows,
    report,
)


def import_bank(
    ledger_path: str | Path,
    file: str | Path,
    rules: str | Path | None = None,
    *,
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    recorded: str | None = None,
    journal: str | Path | None = None,
) -> Outcome:
    """Import a statement: every line and its closing balance, or nothing.

    Raises:
      RejectedFile: some lines are bad and ``skip_bad_rows`` is off.
      UnreadableFile, UnknownIban, OpeningMismatch, ClosingMismatch,
      RulesError, JournalWriteError: see their messages.
    """
    ledger = open_ledger(str(ledger_path), require_clean=True)
    require_clean_declarations(ledger)
    loaded_rules = load_rules(Path(rules) if rules is not None else None)
    importer = find_importer(Path(file), loaded_rules)
    extraction = importer.extraction(file, ledger.entries)
    outcome = commit(
        ledger,
        extraction,
        dry_run=dry_run,
        skip_bad_rows=skip_bad_rows,
        recorded=recorded,
        target=journal,
    )
    if extraction.bad:
        reason = (
            "lines were skipped"
            if count_rows(extraction.bad)
            else "the statement's balances do not add up"
        )
        note = f"no balance assertion was written, as {reason}"
        outcome = replace(outcome, notes=(note,))
    return outcome


@click.command()
@click.argument("ledger", type=click.Path(dir_okay=False))
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--rules",
    type=click.Path(dir_okay=False),
    help="TOML rules that assign accounts from counterparty or description.",
)
@click.option(
    "--journal",
    "journal",
    type=click.Path(dir_okay=False),
    help="File to append to (default: the ledger's journal.beancount).",
)
@click.option("--dry-run", is_flag=True, help="Show what would be appended.")
@click.option(
    "--skip-bad-rows", is_flag=True, help="Import the good lines, list the bad ones."
)
def command(
    ledger: str,
    file: str,
    rules: str | None,
    journal: str | None,
    dry_run: bool,
    skip_bad_rows: bool,
) -> None:
    """Append a bank statement FILE (CAMT.053, ING, Rabobank, ABN AMRO) to LEDGER."""
    outcome = import_bank(
        ledger,
        file,
        rules,
        dry_run=dry_run,
        skip_bad_rows=skip_bad_rows,
        journal=journal,
    )
    report(outcome, dry_run=dry_run)
