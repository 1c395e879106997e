"""What it costs to keep an area running: public spending by taakveld.

Reads the budget entries that the Iv3 importer writes (``taakveld`` and
``iv3-kind`` metadata) after the allocation plugin split them over the
buurten, and sets an area's share per taakveld beside the gemeente's
average per inhabitant::

    kind       taakveld  name    amount     per_inhabitant  gemeente_per_inhabitant
    begroting  7.3       Afval   652463.19  192.47          131.93
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

import click
import pandas as pd

from wijkboekhouding.engine.cli.app import emit
from wijkboekhouding.engine.errors import UnknownArea, WijkboekhoudingError
from wijkboekhouding.engine.ledger import Ledger
from wijkboekhouding.engine.model import GEMEENTE, INHABITANTS
from wijkboekhouding.engine.postings import (
    in_period,
    known_at,
    period_bounds,
    postings_frame,
)
from wijkboekhouding.engine.postings import to_decimal as _to_decimal

COLUMNS = (
    "kind",
    "taakveld",
    "name",
    "allocation_key",
    "amount",
    "per_inhabitant",
    "gemeente_amount",
    "gemeente_per_inhabitant",
)
EXTRA_META = ("taakveld", "taakveld-name", "iv3-kind", "allocation-key")
TOTAL = "total"
_CODE = re.compile(r"^(\d+)\.(\d+)([a-z]?)$")


class OutsideGemeente(UnknownArea):
    """A declared area that lies in no declared gemeente: no budget reaches it."""

    def __init__(self, code: str) -> None:
        WijkboekhoudingError.__init__(
            self,
            f"area {code!r} lies in no declared gemeente, so no public budget is"
            " allocated to it; pick a buurt, wijk or gemeente",
        )


@dataclass(frozen=True)
class Costs:
    """The cost table of one area, with notes on what it leaves out."""

    area: str
    gemeente: str
    inhabitants: Decimal | None
    gemeente_inhabitants: Decimal | None
    table: pd.DataFrame
    notes: tuple[str, ...]


def budget_frame(ledger: Ledger, root: str = "Expenses") -> pd.DataFrame:
    """The postings of budget entries on one root, with their taakveld columns.

    ``Expenses`` holds the lasten, ``Income`` the baten (as negative amounts).
    """
    frame = postings_frame(ledger.entries, extra_meta=EXTRA_META)
    keep = (frame["root"] == root) & frame["taakveld"].notna()
    return frame[keep & (frame["unit"] == "EUR")]


def baten_of(
    ledger: Ledger, area: str, kind: str, taakveld: str, period: str | None
) -> tuple[Decimal, Decimal]:
    """The baten of a taakveld allocated to an area, and the gemeente's, in EUR.

    Baten are public income (levies, fees, grants), shown as positive amounts.
    """
    frame = in_period(budget_frame(ledger, "Income"), period)
    scale = frame.attrs.get("scale", 0)
    rows = frame[(frame["iv3_kind"] == kind) & (frame["taakveld"] == taakveld)]

    def received(code: str) -> Decimal:
        inside = rows["area"].isin(ledger.registry.covered(code))
        return Decimal(0) - _to_decimal(rows[inside]["q"].sum(), scale)

    return received(area), received(_gemeente_of(ledger, area))


def taakveld_order(code: str) -> tuple[int, int, str]:
    """Sort taakvelden as the scheme does: 0.2 before 0.10, 6.71 before 6.71a."""
    match = _CODE.match(code)
    if not match:
        return (99, 0, code)
    return (int(match.group(1)), int(match.group(2)), match.group(3))


def _per(amount: Decimal, people: Decimal | None) -> Decimal | None:
    if not people:
        return None
    return (amount / people).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


def _gemeente_of(ledger: Ledger, area: str) -> str:
    found = ledger.registry.ancestor_at(area, GEMEENTE)
    if found is None:
        members = ledger.registry.members(area)
        found = ledger.registry.ancestor_at(members[0], GEMEENTE) if members else None
    if found is None:
        raise OutsideGemeente(area)
    return found


def costs_of(
    ledger: Ledger,
    area: str,
    period: str | None = None,
    as_known_at: str | None = None,
) -> Costs:
    """Public spending allocated to an area by taakveld, and per inhabitant.

    This is the one table behind ``report --costs`` and the costs section of
    the Fava page.

    Args:
      ledger: The loaded ledger (after the allocation plugin ran).
      area: The code of a buurt, wijk or gemeente.
      period: The period of the budget entries (all of them for None).
      as_known_at: Only entries recorded until this ISO date or time count
        (as ``report --as-known-at``); None for all.

    Raises:
      UnknownArea: the ledger does not declare the area.
      OutsideGemeente: the area lies in no declared gemeente.
      ValueError: ``as_known_at`` is not an ISO date or time.
    """
    registry = ledger.registry
    if area not in registry:
        raise UnknownArea(area, "see them with `wijkboekhouding areas LEDGER`")
    gemeente = _gemeente_of(ledger, area)
    on = period_bounds(period)[1] - datetime.timedelta(days=1) if period else None
    people = ledger.observations.value(registry, area, INHABITANTS, on)
    gemeente_people = ledger.observations.value(registry, gemeente, INHABITANTS, on)

    # Sum the area's and the gemeente's postings per kind and taakveld.
    known = known_at(budget_frame(ledger), as_known_at)
    frame = in_period(known, period)
    scale = frame.attrs.get("scale", 0)
    inside = frame["area"].isin(registry.covered(area))
    in_gemeente = frame["area"].isin(registry.covered(gemeente))
    keys = ["iv3_kind", "taakveld"]
    mine = frame[inside].groupby(keys)["q"].sum()
    whole = frame[in_gemeente].groupby(keys)["q"].sum()
    names = frame.groupby(keys)["taakveld_name"].first()
    key_of = frame[frame["allocation_key"].notna()].groupby(keys)["allocation_key"]
    allocation = key_of.first()

    rows = []
    ordered = sorted(whole.index, key=lambda k: (k[0], taakveld_order(k[1])))
    for kind in dict.fromkeys(k for k, _ in ordered):
        amount_sum = Decimal(0)
        gemeente_sum = Decimal(0)
        for index in [i for i in ordered if i[0] == kind]:
            amount = _to_decimal(mine.get(index, 0), scale)
            total = _to_decimal(whole[index], scale)
            amount_sum += amount
            gemeente_sum += total
            rows.append(
                {
                    "kind": kind,
                    "taakveld": index[1],
                    "name": names.get(index),
                    "allocation_key": allocation.get(index),
                    "amount": amount,
                    "per_inhabitant": _per(amount, people),
                    "gemeente_amount": total,
                    "gemeente_per_inhabitant": _per(total, gemeente_people),
                }
            )
        rows.append(
            {
                "kind": kind,
                "taakveld": TOTAL,
                "name": "",
                "allocation_key": None,
                "amount": amount_sum,
                "per_inhabitant": _per(amount_sum, people),
                "gemeente_amount": gemeente_sum,
                "gemeente_per_inhabitant": _per(gemeente_sum, gemeente_people),
            }
        )
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    entries = set(known["txn"]) if as_known_at else None
    notes = _notes(ledger, area, gemeente, frame, people, entries)
    return Costs(area, gemeente, people, gemeente_people, table, notes)


def _notes(
    ledger: Ledger,
    area: str,
    gemeente: str,
    frame: pd.DataFrame,
    people: Decimal | None,
    entries: set[int] | None = None,
) -> tuple[str, ...]:
    """What the reader should know: kept-whole taakvelden, missing buurten.

    ``entries`` holds the numbers of the entries known at the chosen time
    (None for all).
    """
    notes = []
    if people is None:
        notes.append(f"{area} has no {INHABITANTS} figure; per inhabitant is empty")
    if area != gemeente:
        kept = frame[(frame["area"] == gemeente) & (frame["method"] != "allocated")][
            "taakveld"
        ].unique()
        if len(kept):
            codes = ", ".join(sorted(kept, key=taakveld_order))
            notes.append(f"not allocated below the gemeente, so not in {area}: {codes}")
    covered = ledger.registry.covered(area)
    for number, entry in enumerate(ledger.entries):
        if entries is not None and number not in entries:
            continue
        missing = (getattr(entry, "meta", None) or {}).get("unallocated-buurten")
        if missing and (area == gemeente or any(b in covered for b in missing.split())):
            notes.append(
                f"{entry.meta.get('id')}: buurten without the key's figure got"
                f" nothing: {missing}"
            )
    return tuple(notes)


def none_found(area: str, period: str | None, as_known_at: str | None) -> str:
    """The note for an area without public spending in the period."""
    when = (f" in {period}" if period else "") + (
        f" as known at {as_known_at}" if as_known_at else ""
    )
    if as_known_at:
        return f"no allocated public spending for {area}{when}"
    return (
        f"no allocated public spending for {area}{when}; import a begroting or"
        " jaarrekening with `wijkboekhouding import iv3` and enable the"
        " allocation plugin"
    )


def costs_report(
    ledger: Ledger,
    area: str | None,
    period: str | None,
    fmt: str,
    as_known_at: str | None = None,
) -> None:
    """Print the cost table of ``--area`` for ``report --costs``."""
    if not area:
        raise click.UsageError("--costs needs --area CODE (a buurt, wijk or gemeente)")
    costs = costs_of(ledger, area, period, as_known_at)
    emit(costs.table, fmt)
    if costs.table.empty:
        click.echo(f"note: {none_found(area, period, as_known_at)}", err=True)
    for note in costs.notes:
        click.echo(f"note: {note}", err=True)
