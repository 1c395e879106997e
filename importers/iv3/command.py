"""``wijkboekhouding import iv3``: a gemeente's budget by taakveld into a ledger."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import click
from beancount.core import data

from wijkboekhouding.engine import journal
from wijkboekhouding.engine.cli.app import open_ledger
from wijkboekhouding.engine.ledger import Ledger
from wijkboekhouding.engine.model import GEMEENTE, META_RECORDED
from wijkboekhouding.importers.iv3 import entries as iv3_entries
from wijkboekhouding.importers.iv3.catalogue import KINDS, TABLES, gemeenten
from wijkboekhouding.importers.iv3.errors import (
    BadGemeenteCode,
    GemeenteNotDeclared,
    UnknownGemeente,
)
from wijkboekhouding.importers.iv3.source import (
    DEFAULT_TIMEOUT,
    Iv3Figures,
    fetch,
    read_csv,
)

log = logging.getLogger(__name__)

CATALOG = "dataderden.cbs.nl"
ALLOCATION_PLUGIN = "wijkboekhouding.plugins.allocation"


def gemeente_name(code: str, name: str | None) -> str:
    """The name an Iv3 file uses for a gemeente: given, or from the bundled table."""
    if not re.fullmatch(r"GM\d{4}", code):
        raise BadGemeenteCode(code)
    if name:
        return name
    known = gemeenten()
    if code not in known:
        raise UnknownGemeente(code, [f"{c} {n}" for c, n in known.items()])
    return known[code]


def plan_entries(
    ledger: Ledger,
    found: Iv3Figures,
    gemeente: str,
    name: str,
    year: int,
    kind: str,
) -> list[data.Directive]:
    """Check the ledger can take the entries, and build them."""
    area = ledger.registry.get(gemeente)
    if area is None or area.level != GEMEENTE:
        raise GemeenteNotDeclared(str(ledger.path), gemeente)
    opened = {e.account for e in ledger.entries if isinstance(e, data.Open)}
    euro = any(
        isinstance(e, data.Commodity) and e.currency == iv3_entries.CURRENCY
        for e in ledger.entries
    )
    return iv3_entries.build(
        found, gemeente, name, year, kind, opened=opened, euro_declared=euro
    )


def render_plain(entries: list[data.Directive]) -> str:
    """The entries as they would be written, without the ``recorded`` stamp."""
    plain = []
    for entry in entries:
        stamped = journal.stamp(entry, "")
        meta = {k: v for k, v in stamped.meta.items() if k != META_RECORDED}
        plain.append(stamped._replace(meta=meta))
    return journal.render(plain)


@click.command()
@click.argument("ledger", type=click.Path(dir_okay=False))
@click.option(
    "--gemeente", required=True, help="CBS code of the gemeente, e.g. GM0202."
)
@click.option("--year", required=True, type=int, help="Year of the budget, e.g. 2024.")
@click.option("--kind", required=True, type=click.Choice(sorted(KINDS)))
@click.option(
    "--from",
    "source_file",
    type=click.Path(dir_okay=False),
    help="An Iv3 CSV file (;-separated, x EUR 1,000); without it, read CBS online.",
)
@click.option(
    "--name", help="The gemeente's name in the file (default: bundled table)."
)
@click.option(
    "--catalog-url",
    default=CATALOG,
    show_default=True,
    help="CBS catalog host[:port]; http://host:port for plain HTTP.",
)
@click.option(
    "--table", help="CBS table id (default: by year, e.g. 45067NED for 2024)."
)
@click.option(
    "--journal",
    "journal_file",
    type=click.Path(dir_okay=False),
    help="The file to append to (default: LEDGER); include it from LEDGER.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds to wait for each answer of the CBS catalog.",
)
@click.option("--dry-run", is_flag=True, help="Print the entries, write nothing.")
def command(
    ledger: str,
    gemeente: str,
    year: int,
    kind: str,
    source_file: str | None,
    name: str | None,
    catalog_url: str,
    table: str | None,
    journal_file: str | None,
    timeout: float,
    dry_run: bool,
) -> None:
    """Import a gemeente's Iv3 lasten and baten per taakveld."""
    label = gemeente_name(gemeente, name)
    loaded = open_ledger(ledger, require_clean=True)

    # Read every figure first: nothing is written unless all of it is good.
    if source_file:
        found = read_csv(Path(source_file), gemeente, label)
    else:
        table_id = table or TABLES.get(year)
        if table_id is None:
            raise click.BadParameter(
                f"no known CBS Iv3 table for {year}; pass --table ID or --from FILE",
                param_hint="--year",
            )
        found = fetch(table_id, gemeente, year, kind, catalog_url, timeout)
    new = plan_entries(loaded, found, gemeente, label, year, kind)

    if dry_run:
        click.echo(render_plain(new), nl=False)
        return
    target = Path(journal_file) if journal_file else Path(ledger)
    result = journal.append(target, new, known_ids=loaded.ids())
    click.echo(
        f"{target}: appended {len(result.written)} taakveld entries of {label}"
        f" ({kind} {year}, from {found.origin});"
        f" {len(result.skipped)} already present"
    )
    # The figures count once the main file includes them.
    main = Path(ledger)
    included = {Path(f).resolve() for f in loaded.files}
    if target.resolve() not in included and journal.include_once(main, target):
        click.echo(f"{ledger}: now includes {target}")
    if ALLOCATION_PLUGIN not in loaded.plugins:
        click.echo(
            f"note: {ledger} keeps these figures at gemeente level; add"
            f' `plugin "{ALLOCATION_PLUGIN}"` after the areas plugin to'
            " allocate them to the buurten",
            err=True,
        )
