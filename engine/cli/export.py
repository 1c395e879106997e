"""``wijkboekhouding export``: the postings table as CSV, Excel or Parquet."""

from __future__ import annotations

from pathlib import Path

import click

from wijkboekhouding.engine.cli.app import open_ledger
from wijkboekhouding.engine.export import export as write_export
from wijkboekhouding.engine.postings import in_period, known_at


@click.command()
@click.argument("ledger", type=click.Path(dir_okay=False))
@click.argument("output", type=click.Path(dir_okay=False))
@click.option("--period", help="2024, 2024-03, 2024-03-15 or a range 2023..2024.")
@click.option("--as-known-at", help="Only events recorded until this ISO date or time.")
def export(
    ledger: str, output: str, period: str | None, as_known_at: str | None
) -> None:
    """Write every posting of LEDGER to OUTPUT (.csv, .xlsx or .parquet)."""
    loaded = open_ledger(ledger, require_clean=True, use_snapshot=not as_known_at)
    frame = in_period(known_at(loaded.frame, as_known_at), period)
    rows = write_export(frame, Path(output))
    click.echo(f"{output}: {rows} postings")
