"""``wijkboekhouding report``: balances and flows at any area level."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_EVEN, Decimal

import click
import pandas as pd

from wijkboekhouding.engine.areas import AreaRegistry
from wijkboekhouding.engine.cli.app import emit, open_ledger
from wijkboekhouding.engine.costs import costs_report
from wijkboekhouding.engine.errors import UnknownArea
from wijkboekhouding.engine.ledger import Ledger
from wijkboekhouding.engine.model import INHABITANTS
from wijkboekhouding.engine.postings import in_period, known_at, period_bounds
from wijkboekhouding.engine.privacy import suppress
from wijkboekhouding.engine.projection import balances, check_level, flows_by_area

FLOW_COLUMNS = (
    "area",
    "name",
    "unit",
    "inflow",
    "outflow",
    "internal",
    "net",
    "local_share",
    "inhabitants",
    "net_per_inhabitant",
)


def select(ledger: Ledger, period: str | None, as_known_at: str | None) -> pd.DataFrame:
    """The postings of a period, as known at a time."""
    return in_period(known_at(ledger.frame, as_known_at), period)


def reference_date(period: str | None) -> datetime.date | None:
    """The last day of a period, for observations that hold at that time."""
    if not period:
        return None
    return period_bounds(period)[1] - datetime.timedelta(days=1)


def flows_table(
    ledger: Ledger,
    frame: pd.DataFrame,
    level: str,
    unit: str,
    period: str | None = None,
) -> pd.DataFrame:
    """One row per area at ``level``: inflow, outflow, internal, net, per inhabitant."""
    registry = ledger.registry
    check_level(registry, level)
    found = flows_by_area(frame, registry, level)
    on = reference_date(period)
    rows = []
    for area in registry.at_level(level):
        flows = found.get((area.code, unit))
        if flows is None:
            continue
        people = ledger.observations.value(registry, area.code, INHABITANTS, on)
        share = flows.local_share
        rows.append(
            {
                "area": area.code,
                "name": area.name,
                "unit": unit,
                "inflow": flows.inflow,
                "outflow": flows.outflow,
                "internal": flows.internal,
                "net": flows.net,
                "local_share": _round(share, "0.0001") if share is not None else None,
                "inhabitants": people,
                "net_per_inhabitant": _round(flows.net / people, "0.01")
                if people
                else None,
            }
        )
    return pd.DataFrame(rows, columns=list(FLOW_COLUMNS))


def _round(value: Decimal, places: str) -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_EVEN)


def boundaries(registry: AreaRegistry, codes: pd.Series) -> str:
    """Say whose boundaries the areas of a report follow."""
    years: dict[str, int] = {}
    by_hand = 0
    for code in dict.fromkeys(codes):
        area = registry.get(str(code))
        year = area.meta.get("cbs-year") if area is not None else None
        if year is None:
            by_hand += 1
        else:
            years[str(year)] = years.get(str(year), 0) + 1
    parts = [f"CBS {year} ({count} areas)" for year, count in sorted(years.items())]
    if by_hand:
        parts.append(f"declared in the ledger ({by_hand} areas)")
    return "Boundaries: " + "; ".join(parts)


def within(
    registry: AreaRegistry, table: pd.DataFrame, area: str | None
) -> pd.DataFrame:
    """Keep the rows of areas that lie inside ``area`` (all rows for None)."""
    if not area:
        return table
    if area not in registry:
        raise UnknownArea(area, "see them with `wijkboekhouding areas LEDGER`")
    return table[table["area"].map(lambda code: registry.contains(area, code))]


def check_unit(loaded: Ledger, unit: str | None) -> None:
    """Refuse a unit that no posting of the ledger is counted in."""
    if unit is None:
        return
    units = sorted(set(loaded.frame["unit"]))
    if unit not in units:
        raise click.ClickException(
            f"unknown unit {unit!r}; this ledger has the units: {', '.join(units)}"
        )


@click.command()
@click.argument("ledger", type=click.Path(dir_okay=False))
@click.option(
    "--level",
    default="wijk",
    show_default=True,
    help="Area level: gemeente, wijk, buurt, a finer level or groep.",
)
@click.option(
    "--by",
    "by",
    default="account:1",
    show_default=True,
    help="account:N, value-type, sector, unit, method, source, or flows.",
)
@click.option("--period", help="2024, 2024-03, 2024-03-15 or a range 2023..2024.")
@click.option(
    "--unit", help="Only this unit (EUR, UUR, BOOM, ...); flows default to EUR."
)
@click.option("--area", help="Only areas inside this area.")
@click.option("--as-known-at", help="Only events recorded until this ISO date or time.")
@click.option(
    "--costs", is_flag=True, help="Public spending allocated to --area, by taakveld."
)
@click.option(
    "--fresh", is_flag=True, help="Load the ledger afresh, ignoring its snapshot."
)
@click.option(
    "--min-inhabitants",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Blank the figures of areas with fewer inhabitants (0: show all).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
def report(
    ledger: str,
    level: str,
    by: str,
    period: str | None,
    unit: str | None,
    area: str | None,
    as_known_at: str | None,
    costs: bool,
    fresh: bool,
    min_inhabitants: int,
    fmt: str,
) -> None:
    """Balances or flows of every area at a level."""
    # The projection alone answers plain reports; keep and reuse its snapshot.
    use_snapshot = not (fresh or costs or as_known_at)
    loaded = open_ledger(ledger, require_clean=True, use_snapshot=use_snapshot)
    if costs:
        costs_report(loaded, area, period, fmt, as_known_at)
        return
    check_level(loaded.registry, level)
    check_unit(loaded, unit)
    frame = select(loaded, period, as_known_at)
    if by == "flows":
        table = flows_table(loaded, frame, level, unit or "EUR", period)
    else:
        table = balances(frame, loaded.registry, level, by=by, unit=unit)
    table = within(loaded.registry, table, area)
    private = suppress(
        table,
        loaded.registry,
        loaded.observations,
        min_inhabitants,
        reference_date(period),
    )
    emit(private.table, fmt)
    if fmt == "table" and not private.table.empty:
        click.echo(boundaries(loaded.registry, private.table["area"]))
    note = private.note()
    if note:
        click.echo(f"note: {note}", err=True)
