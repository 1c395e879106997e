"""``wijkboekhouding import cbs`` and ``wijkboekhouding download cbs``."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import click

from wijkboekhouding.engine.errors import WijkboekhoudingError
from wijkboekhouding.importers.cbs.fetch import Catalog
from wijkboekhouding.importers.cbs.fetch import download as fetch_parts
from wijkboekhouding.importers.cbs.importer import (
    check_gemeente,
    check_table,
    run_import,
)
from wijkboekhouding.importers.cbs.table import (
    CbsTable,
    build_table,
    read_snapshot,
    write_snapshot,
)

_TABLE_HELP = "CBS table id, e.g. 85984NED (Kerncijfers wijken en buurten 2024)."
_GEMEENTE_HELP = "CBS code of the gemeente, e.g. GM0202."
_CATALOG_HELP = (
    "CBS server as HOST[:PORT] (default opendata.cbs.nl); a local host such as"
    " 127.0.0.1:8765 is reached over plain HTTP and never through a proxy."
)
_TIMEOUT_HELP = "Seconds to wait for each answer of the CBS server."


def _online(
    table: str, gemeente: str, catalog_url: str | None, timeout: float
) -> CbsTable:
    catalog = Catalog.parse(catalog_url)
    parts = fetch_parts(table, gemeente, catalog, timeout)
    return build_table(table, parts, gemeente, catalog.host)


@click.command()
@click.argument("ledger", type=click.Path(dir_okay=False))
@click.option("--table", required=True, help=_TABLE_HELP)
@click.option("--gemeente", required=True, help=_GEMEENTE_HELP)
@click.option("--catalog-url", default=None, metavar="HOST[:PORT]", help=_CATALOG_HELP)
@click.option(
    "--from",
    "from_dir",
    type=click.Path(file_okay=False),
    default=None,
    metavar="DIR",
    help="Import a snapshot written by `wijkboekhouding download cbs` (offline).",
)
@click.option(
    "--year",
    type=int,
    default=None,
    help="Year of the figures (default: the table's period).",
)
@click.option(
    "--dry-run", is_flag=True, help="Show what would be written; write nothing."
)
@click.option(
    "--timeout", type=float, default=60.0, show_default=True, help=_TIMEOUT_HELP
)
def command(
    ledger: str,
    table: str,
    gemeente: str,
    catalog_url: str | None,
    from_dir: str | None,
    year: int | None,
    dry_run: bool,
    timeout: float,
) -> None:
    """Import a CBS Kerncijfers wijken en buurten table into LEDGER.

    Appends the gemeente's areas, observations, stocks and estimated flows to
    cbs.beancount beside LEDGER (the main file), which is included once.
    Importing again writes nothing; figures CBS revised are corrected.
    """
    try:
        gemeente, table = check_gemeente(gemeente), check_table(table)
        if from_dir is not None:
            reader = partial(read_snapshot, Path(from_dir), table, gemeente)
        else:
            reader = partial(_online, table, gemeente, catalog_url, timeout)
        summary, _ = run_import(
            Path(ledger), gemeente, reader, year=year, dry_run=dry_run
        )
    except WijkboekhoudingError as exc:
        raise click.ClickException(str(exc)) from exc
    for line in summary.lines():
        click.echo(line)


@click.group()
def download() -> None:
    """Download data for importing later, offline."""


@download.command(name="cbs")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--table", required=True, help=_TABLE_HELP)
@click.option("--gemeente", required=True, help=_GEMEENTE_HELP)
@click.option("--catalog-url", default=None, metavar="HOST[:PORT]", help=_CATALOG_HELP)
@click.option(
    "--timeout", type=float, default=60.0, show_default=True, help=_TIMEOUT_HELP
)
def download_cbs(
    directory: str, table: str, gemeente: str, catalog_url: str | None, timeout: float
) -> None:
    """Save a table's rows for one gemeente in DIRECTORY.

    The layout is the one cbsodata.download_data(dir=...) writes (one JSON
    array per OData name); import it with `import cbs --from DIRECTORY`.
    """
    try:
        gemeente, table = check_gemeente(gemeente), check_table(table)
        catalog = Catalog.parse(catalog_url)
        parts = fetch_parts(table, gemeente, catalog, timeout)
        checked = build_table(table, parts, gemeente, catalog.host)
    except WijkboekhoudingError as exc:
        raise click.ClickException(str(exc)) from exc
    written = write_snapshot(Path(directory), parts)
    click.echo(
        f"saved table {checked.table_id} ({checked.title}) for {gemeente}:"
        f" {len(checked.rows)} areas in {len(written)} files under {directory}"
    )
