"""``wijkboekhouding challenge``: a task's municipal budget beside a community plan.

The "right to challenge": a neighbourhood that wants to take over a task
sets what the gemeente spends on it in its area today (the allocated Iv3
lasten of one taakveld) beside what it would spend itself.  The plan is a
small ledger of its own::

    2024-01-01 custom "hourly-rate" 16.00 EUR
      source: "Vrijwilligersvergoeding, Belastingdienst 2024"
    2024-01-01 open Expenses:Plan:Plantgoed EUR
    2024-01-01 open Expenses:Plan:Onderhoud UUR
    2024-01-01 open Assets:Plan:Kas EUR
    2024-01-01 open Equity:Plan:Inzet UUR

    2024-03-01 * "Plantgoed en bollen"
      Expenses:Plan:Plantgoed   4000.00 EUR
      Assets:Plan:Kas
    2024-03-01 * "Onderhoud door bewoners"
      Expenses:Plan:Onderhoud    600 UUR
      Equity:Plan:Inzet

Its cost is the money on Expenses accounts plus the hours on Expenses
accounts valued at the declared hourly rate, whose ``source`` is required.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import click
from beancount import loader
from beancount.core import data

from wijkboekhouding.engine.cli.app import open_ledger, plain
from wijkboekhouding.engine.costs import baten_of, costs_of
from wijkboekhouding.engine.errors import format_error
from wijkboekhouding.engine.ledger import Ledger
from wijkboekhouding.importers.iv3.catalogue import taakvelden
from wijkboekhouding.importers.iv3.errors import PlanError, UnknownTaakveld
from wijkboekhouding.importers.iv3.keys import AllocationKey, KeySet

HOURS = "UUR"
MONEY = "EUR"
RATE = "hourly-rate"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Plan:
    """What a community plan costs: money, hours and the rate they are valued at."""

    path: str
    money: Decimal
    hours: Decimal
    rate: Decimal | None
    rate_source: str | None
    unvalued: dict[str, Decimal] = field(default_factory=dict)

    @property
    def hours_value(self) -> Decimal:
        """The hours valued at the declared rate."""
        return (self.hours * (self.rate or Decimal(0))).quantize(CENT)

    @property
    def total(self) -> Decimal:
        """Money plus valued hours."""
        return self.money + self.hours_value


def read_plan(path: Path) -> Plan:
    """Load a plan ledger and add up its cost.

    Raises:
      PlanError: the file is missing or wrong, or hours lack a sourced rate.
    """
    if not path.is_file():
        raise PlanError(str(path), "no such plan file; give a small .beancount file")
    entries, errors, _ = loader.load_file(str(path))
    if errors:
        raise PlanError(
            str(path), "the plan has errors; fix them first: " + format_error(errors[0])
        )
    money = Decimal(0)
    hours = Decimal(0)
    unvalued: dict[str, Decimal] = {}
    rate: Decimal | None = None
    source: str | None = None
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type == RATE:
            rate, source = _rate(path, entry)
        if not isinstance(entry, data.Transaction):
            continue
        for posting in entry.postings:
            units = posting.units
            if not posting.account.startswith("Expenses:") or units is None:
                continue
            number, unit = units.number or Decimal(0), units.currency
            if unit == MONEY:
                money += number
            elif unit == HOURS:
                hours += number
            else:
                unvalued[unit] = unvalued.get(unit, Decimal(0)) + number
    if hours and rate is None:
        raise PlanError(
            str(path),
            f"the plan counts {hours} volunteer hours but declares no hourly rate;"
            ' add `2024-01-01 custom "hourly-rate" 16.00 EUR` with a `source:` line',
        )
    return Plan(str(path), money, hours, rate, source, unvalued)


def _rate(path: Path, entry: data.Custom) -> tuple[Decimal, str]:
    values = [v.value for v in entry.values]
    where = f"{path}:{(entry.meta or {}).get('lineno', 0)}"
    if len(values) != 1 or getattr(values[0], "currency", None) != MONEY:
        raise PlanError(where, 'write the rate as `custom "hourly-rate" 16.00 EUR`')
    source = (entry.meta or {}).get("source")
    if not source:
        raise PlanError(
            where,
            'the hourly rate has no source; add a line `source: "..."` that'
            " says where the rate comes from",
        )
    return Decimal(values[0].number), str(source)


@dataclass(frozen=True)
class Comparison:
    """The allocated budget of one taakveld in an area beside a plan's cost."""

    area: str
    area_name: str
    taakveld: str
    taakveld_name: str
    kind: str
    year: int
    budget: Decimal
    gemeente_budget: Decimal
    baten: Decimal
    gemeente_baten: Decimal
    plan: Plan
    assumptions: tuple[str, ...]

    @property
    def difference(self) -> Decimal:
        """The budget minus the plan's cost: positive when the plan costs less."""
        return self.budget - self.plan.total


def compare(
    ledger: Ledger, area: str, taakveld: str, plan: Plan, kind: str, year: int | None
) -> Comparison:
    """Set the allocated budget of a taakveld in an area beside a plan."""
    found = taakvelden().get(taakveld)
    if found is None:
        raise UnknownTaakveld("--taakveld", taakveld)
    if year is None:
        year = _latest_year(ledger, taakveld, kind)
    costs = costs_of(ledger, area, str(year))
    table = costs.table
    row = table[(table["kind"] == kind) & (table["taakveld"] == taakveld)]
    if row.empty:
        raise click.ClickException(
            f"{ledger.path}: no {kind} {year} figures for taakveld {taakveld} of"
            f" {costs.gemeente}; import them with `wijkboekhouding import iv3`"
        )
    budget = Decimal(row["amount"].iloc[0])
    whole = Decimal(row["gemeente_amount"].iloc[0])
    baten, gemeente_baten = baten_of(ledger, area, kind, taakveld, str(year))
    key = KeySet.from_entries(ledger.entries)[0].lookup(
        taakveld, datetime.date(year, 1, 1)
    )
    assumptions = [
        f"municipal figure: the {kind} {year} lasten of taakveld {taakveld}"
        f" for {costs.gemeente} ({whole} EUR), Iv3 via CBS",
        _share(area, budget, whole, key),
        _baten_note(area, taakveld, budget, baten, gemeente_baten),
        f"plan: {plan.path}; money is the plan's Expenses in EUR",
    ]
    if plan.rate is not None:
        assumptions.append(
            f"volunteer hours valued at {plan.rate} EUR per hour"
            f" (source: {plan.rate_source})"
        )
    for unit, number in plan.unvalued.items():
        assumptions.append(f"not valued: {number} {unit} on Expenses of the plan")
    if not key.allocates:
        assumptions.append(
            f"taakveld {taakveld} stays at gemeente level by its key, so no part"
            f" of it is counted in {area}"
        )
    own_id = f":{kind}:{taakveld}:"
    assumptions.extend(n for n in costs.notes if own_id in n.split(" ", 1)[0] + ":")
    return Comparison(
        area,
        ledger.registry.name(area),
        taakveld,
        found.name,
        kind,
        year,
        budget,
        whole,
        baten,
        gemeente_baten,
        plan,
        tuple(assumptions),
    )


def _share(area: str, budget: Decimal, whole: Decimal, key: AllocationKey) -> str:
    """The area's share of the lasten, and the key that set it."""
    by = f"by allocation key {key.label()} ({key.origin}: {key.reason})"
    if not key.allocates:
        return f"share of {area}: not allocated, {by}"
    share = budget / whole if budget and whole else Decimal(0)  # never -0
    return f"share of {area}: {share:.4%}, {by}"


def _baten_note(
    area: str, taakveld: str, lasten: Decimal, baten: Decimal, whole: Decimal
) -> str:
    """The baten beside the lasten: the comparison leaves them out."""
    note = (
        f"baten (income such as levies and fees) of taakveld {taakveld}"
        f" allocated to {area}: {baten} EUR of the gemeente's {whole} EUR;"
        " the comparison uses the lasten only"
    )
    if baten > lasten:
        note += f"; here the baten exceed the lasten by {baten - lasten} EUR"
    return note


def _latest_year(ledger: Ledger, taakveld: str, kind: str) -> int:
    years = [
        entry.date.year
        for entry in ledger.entries
        if isinstance(entry, data.Transaction)
        and entry.meta.get("taakveld") == taakveld
        and entry.meta.get("iv3-kind") == kind
    ]
    if not years:
        raise click.ClickException(
            f"{ledger.path}: no {kind} figures for taakveld {taakveld}; import"
            " them with `wijkboekhouding import iv3`"
        )
    return max(years)


def rows(comparison: Comparison) -> list[tuple[str, Decimal | str | None]]:
    """The comparison as label and value pairs, in reading order."""
    plan = comparison.plan
    return [
        ("municipal budget in area (EUR)", comparison.budget),
        ("municipal baten in area (EUR)", comparison.baten),
        ("plan: money (EUR)", plan.money),
        ("plan: volunteer hours", plan.hours),
        ("plan: hourly rate (EUR)", plan.rate),
        ("plan: hours valued (EUR)", plan.hours_value),
        ("plan: total cost (EUR)", plan.total),
        ("difference: budget - plan (EUR)", comparison.difference),
    ]


def render_table(comparison: Comparison) -> str:
    """The comparison as aligned text with its assumptions."""
    title = (
        f"{comparison.area} {comparison.area_name}, taakveld {comparison.taakveld}"
        f" {comparison.taakveld_name}, {comparison.kind} {comparison.year}"
    )
    pairs = rows(comparison)
    width = max(len(label) for label, _ in pairs)
    lines = [title]
    for label, value in pairs:
        shown = "" if value is None else str(value)
        lines.append(f"  {label:<{width}}  {shown:>16}")
    lines.append("assumptions:")
    lines.extend(f"  - {text}" for text in comparison.assumptions)
    return "\n".join(lines)


def render_json(comparison: Comparison) -> str:
    """The comparison as a JSON object (amounts as exact strings)."""
    plan = comparison.plan
    record = {
        "area": comparison.area,
        "area_name": comparison.area_name,
        "taakveld": comparison.taakveld,
        "taakveld_name": comparison.taakveld_name,
        "kind": comparison.kind,
        "year": comparison.year,
        "budget": plain(comparison.budget),
        "gemeente_budget": plain(comparison.gemeente_budget),
        "baten": plain(comparison.baten),
        "gemeente_baten": plain(comparison.gemeente_baten),
        "plan_money": plain(plan.money),
        "plan_hours": plain(plan.hours),
        "hourly_rate": plain(plan.rate),
        "hourly_rate_source": plan.rate_source,
        "plan_hours_value": plain(plan.hours_value),
        "plan_total": plain(plan.total),
        "difference": plain(comparison.difference),
        "assumptions": list(comparison.assumptions),
    }
    return json.dumps(record, indent=2, ensure_ascii=False)


@click.command()
@click.argument("ledger", type=click.Path(dir_okay=False))
@click.option("--area", required=True, help="The area, e.g. a buurt code.")
@click.option("--taakveld", required=True, help="The Iv3 taakveld, e.g. 5.7.")
@click.option(
    "--plan",
    "plan_file",
    required=True,
    type=click.Path(dir_okay=False),
    help="A small ledger of what the community would spend.",
)
@click.option(
    "--kind",
    type=click.Choice(["begroting", "jaarrekening"]),
    default="begroting",
    show_default=True,
)
@click.option("--year", type=int, help="Budget year (default: the latest imported).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
)
def command(
    ledger: str,
    area: str,
    taakveld: str,
    plan_file: str,
    kind: str,
    year: int | None,
    fmt: str,
) -> None:
    """Compare the municipal budget of a task in an area with a community plan."""
    if taakveld not in taakvelden():
        raise UnknownTaakveld("--taakveld", taakveld)
    plan = read_plan(Path(plan_file))
    loaded = open_ledger(ledger, require_clean=True)
    comparison = compare(loaded, area, taakveld, plan, kind, year)
    click.echo(render_json(comparison) if fmt == "json" else render_table(comparison))
