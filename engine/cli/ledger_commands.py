"""``wijkboekhouding new`` and ``check``: create and check a ledger."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import click

from wijkboekhouding.engine.areas import Area, AreaRegistry
from wijkboekhouding.engine.cli.app import open_ledger
from wijkboekhouding.engine.errors import format_error
from wijkboekhouding.engine.projection import check_level

MAIN = """\
; Wijkboekhouding {name} ({code})

option "title" "Wijkboekhouding {name}"
option "operating_currency" "EUR"

plugin "wijkboekhouding.plugins.areas"
; Splits the gemeente's Iv3 budget (`import iv3`) over the buurten.
plugin "wijkboekhouding.plugins.allocation"

include "areas.beancount"
include "journal.beancount"

{date} custom "fava-extension" "wijkboekhouding.plugins.fava"

{date} commodity EUR
  value-type: "financieel"
{date} commodity UUR
  value-type: "menselijk"
{date} commodity BOOM
  value-type: "natuurlijk"
{date} commodity M2GROEN
  value-type: "natuurlijk"
{date} commodity WONING
  value-type: "gebouwd"

{date} open Equity:Opening-Balances
"""

AREAS = """\
; Areas: the CBS importer appends the official wijken and buurten here;
; add streets, blocks and groups by hand.

{date} custom "area" "{code}" "{name}"
  level: "gemeente"
"""

JOURNAL = """\
; Journal: entries written by hand and by the importers.
"""


@click.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option(
    "--gemeente", required=True, help="CBS code of the gemeente, e.g. GM0202."
)
@click.option("--name", help="Name of the gemeente (default: the code).")
@click.option(
    "--start", default="2024-01-01", show_default=True, help="Date of the declarations."
)
def new(directory: str, gemeente: str, name: str | None, start: str) -> None:
    """Create a ledger skeleton for a gemeente in DIRECTORY."""
    if not re.fullmatch(r"GM\d{4}", gemeente):
        raise click.BadParameter(
            f"{gemeente!r} is not a gemeente code; use GM and four digits, e.g. GM0202",
            param_hint="--gemeente",
        )
    try:
        datetime.date.fromisoformat(start)
    except ValueError:
        raise click.BadParameter(
            f"{start!r} is not a date like 2024-01-01", param_hint="--start"
        ) from None
    folder = Path(directory)
    files = {
        "main.beancount": MAIN,
        "areas.beancount": AREAS,
        "journal.beancount": JOURNAL,
    }
    existing = [n for n in files if (folder / n).exists()]
    if existing:
        raise click.ClickException(
            f"{folder}: already holds {', '.join(existing)}; choose an empty folder"
        )
    folder.mkdir(parents=True, exist_ok=True)
    values = {"code": gemeente, "name": name or gemeente, "date": start}
    for file_name, template in files.items():
        (folder / file_name).write_text(template.format(**values), encoding="utf-8")
    click.echo(
        f"created {folder / 'main.beancount'}; import CBS areas with"
        f" `wijkboekhouding import cbs {folder / 'main.beancount'}"
        f" --table 85984NED --gemeente {gemeente}`"
    )


@click.command()
@click.argument("ledger", type=click.Path(dir_okay=False))
def check(ledger: str) -> None:
    """Run Beancount's checks and ours; exit 1 when there are errors."""
    loaded = open_ledger(ledger)
    for error in loaded.errors:
        click.echo(format_error(error), err=True)
    if loaded.errors:
        raise click.ClickException(f"{len(loaded.errors)} error(s) in {ledger}")
    click.echo(
        f"{ledger}: ok ({len(loaded.entries)} entries, {len(loaded.registry)} areas)"
    )


@click.command()
@click.argument("ledger", type=click.Path(dir_okay=False))
@click.option("--level", help="Only areas of this level.")
def areas(ledger: str, level: str | None) -> None:
    """List the areas a ledger declares: code, level, parent or members, name."""
    loaded = open_ledger(ledger)
    registry = loaded.registry
    if level is not None:
        check_level(registry, level)
    for area, depth in _tree(registry):
        if level is not None and area.level != level:
            continue
        above = " ".join(area.members) if area.is_group else (area.parent or "-")
        code = "  " * depth + area.code
        click.echo(f"{code:<18} {area.level:<9} {above:<12} {area.name}")


def _tree(registry: AreaRegistry) -> list[tuple[Area, int]]:
    """Every area depth first from the top, then the groups."""
    ordered: list[tuple[Area, int]] = []

    def visit(area: Area, depth: int) -> None:
        ordered.append((area, depth))
        for child in registry.children(area.code):
            visit(child, depth + 1)

    roots = [a for a in registry if a.parent is None and not a.is_group]
    for root in sorted(roots, key=lambda a: a.code):
        visit(root, 0)
    groups = [a for a in registry if a.is_group]
    ordered.extend((group, 0) for group in sorted(groups, key=lambda a: a.code))
    return ordered
