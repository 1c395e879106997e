"""Projections of the postings table: balances and flows at any area level.

Flows follow the boundary rules of the design.  For an area A, a posting is
inside A when its area is A or lies below A (or, for a group, below one of
its members).  Per transaction and unit, with ``S`` the sum of A's inside
postings:

- inflow = Income postings inside A (negated) + max(S, 0)
- outflow = Expenses inside A whose counterparty is outside A or unknown
  + max(-S, 0)
- internal spending = Expenses inside A whose counterparty is inside A
- internal transfers = what sub-areas of A pay each other
- stock change = Assets, Liabilities and Equity postings inside A

so that inflow - outflow = stock change + internal spending, always.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import partial

import pandas as pd

from wijkboekhouding.engine.areas import AreaRegistry
from wijkboekhouding.engine.errors import UnknownArea, UnknownLevel
from wijkboekhouding.engine.model import GROEP
from wijkboekhouding.engine.postings import standard_level, to_decimal, unit_places

STOCK_ROOTS = ("Assets", "Liabilities", "Equity")


@dataclass(frozen=True)
class Flows:
    """The flows of one area in one unit over the selected postings."""

    area: str
    unit: str
    inflow: Decimal
    outflow: Decimal
    internal_spending: Decimal
    internal_transfers: Decimal
    spending: Decimal
    stock_change: Decimal

    @property
    def internal(self) -> Decimal:
        """Internal flows: spending that stays inside plus transfers inside."""
        return self.internal_spending + self.internal_transfers

    @property
    def net(self) -> Decimal:
        """Inflow minus outflow."""
        return self.inflow - self.outflow

    @property
    def local_share(self) -> Decimal | None:
        """Internal spending over all spending, or None without spending."""
        if not self.spending:
            return None
        return self.internal_spending / self.spending

    @property
    def local_multiplier(self) -> Decimal | None:
        """LM3-style multiplier 1 + s + s² from the local share s (an estimate)."""
        share = self.local_share
        if share is None:
            return None
        return 1 + share + share * share


# Which area at a level each posting belongs to.


def check_level(registry: AreaRegistry, level: str) -> None:
    """Raise UnknownLevel when no area of the ledger has this level."""
    if level not in registry.levels():
        raise UnknownLevel(level, [str(known) for known in registry.levels()])


def level_keys(frame: pd.DataFrame, registry: AreaRegistry, level: str) -> pd.DataFrame:
    """Postings paired with the area at ``level`` that holds them.

    Returns the postings that lie inside some area of the level, with the
    columns ``at`` (that area), ``sub`` (the direct sub-area of ``at`` the
    posting lies in, or ``at`` itself) and ``cp_at`` (the counterparty's
    area at the same level, if any).  For the group level a posting may
    appear once per group that holds it.
    """
    check_level(registry, level)
    if level == GROEP or any(a.is_group for a in registry.at_level(level)):
        return _group_keys(frame, registry, level)
    codes = set(frame["area"].dropna().unique()) | set(
        frame["counterparty_area"].dropna().unique()
    )
    at_of: dict[str, str | None] = {}
    sub_of: dict[str, str | None] = {}
    for code in codes:
        at = registry.ancestor_at(code, level)
        at_of[code] = at
        chain = [code, *registry.ancestors(code)]
        sub_of[code] = chain[chain.index(at) - 1] if at and chain[0] != at else at
    at_col = frame[level] if standard_level(level) else frame["area"].map(at_of)
    keyed = frame.assign(
        at=at_col,
        sub=frame["area"].map(sub_of),
        cp_at=frame["counterparty_area"].map(at_of),
    )
    return keyed[keyed["at"].notna()]


def _group_keys(
    frame: pd.DataFrame, registry: AreaRegistry, level: str
) -> pd.DataFrame:
    parts = []
    for group in registry.at_level(level):
        inside = registry.covered(group.code)
        sub_of = {}
        for member in group.members:
            for code in registry.covered(member):
                sub_of[code] = member
        rows = frame[frame["area"].isin(inside)]
        cp = rows["counterparty_area"]
        parts.append(
            rows.assign(
                at=group.code,
                sub=rows["area"].map(sub_of),
                cp_at=cp.where(cp.isin(inside)).map(lambda _c, g=group.code: g),
            )
        )
    if not parts:
        return frame.iloc[0:0].assign(at=None, sub=None, cp_at=None)
    return pd.concat(parts)


# Balances.


def group_key(frame: pd.DataFrame, by: str) -> pd.Series:
    """The grouping column for ``--by``: account:N, value-type, sector, unit."""
    if by.startswith("account"):
        depth_text = by.partition(":")[2] or "1"
        if not depth_text.isdigit() or int(depth_text) < 1:
            raise ValueError(f"cannot group by {by!r}; use account:N with N >= 1")
        depth = int(depth_text)
        return frame["account"].map(lambda a: ":".join(a.split(":")[:depth]))
    columns = {
        "value-type": "value_type",
        "sector": "sector",
        "unit": "unit",
        "method": "method",
        "source": "source",
    }
    if by not in columns:
        raise ValueError(
            f"cannot group by {by!r}; use account:N, value-type, sector, unit,"
            " method, source or flows"
        )
    return frame[columns[by]].fillna("-")


def balances(
    frame: pd.DataFrame,
    registry: AreaRegistry,
    level: str,
    by: str = "account:1",
    unit: str | None = None,
) -> pd.DataFrame:
    """Sums per area at ``level``, per ``by`` key and unit, as exact Decimals.

    Returns columns area, name, key, unit, amount, sorted by area and key.
    """
    keyed = level_keys(frame, registry, level)
    if unit:
        keyed = keyed[keyed["unit"] == unit]
    keyed = keyed.assign(key=group_key(keyed, by))
    sums = keyed.groupby(["at", "key", "unit"], sort=True)["q"].sum().reset_index()
    scale = frame.attrs.get("scale", 0)
    sums = sums[sums["q"] != 0]
    return pd.DataFrame(
        {
            "area": sums["at"],
            "name": sums["at"].map(registry.name),
            "key": sums["key"],
            "unit": sums["unit"],
            "amount": [
                to_decimal(q, scale, unit_places(frame, u))
                for q, u in zip(sums["q"], sums["unit"], strict=True)
            ],
        }
    ).reset_index(drop=True)


# Flows.


def flows_by_area(
    frame: pd.DataFrame, registry: AreaRegistry, level: str
) -> dict[tuple[str, str], Flows]:
    """The flows of every area at ``level``, keyed by (area, unit)."""
    keyed = level_keys(frame, registry, level)
    scale = frame.attrs.get("scale", 0)
    if keyed.empty:
        return {}
    root = keyed["root"]
    expense = root == "Expenses"
    local = expense & (keyed["cp_at"] == keyed["at"])
    q = keyed["q"]
    parts = pd.DataFrame(
        {
            "at": keyed["at"],
            "txn": keyed["txn"],
            "unit": keyed["unit"],
            "sub": keyed["sub"].fillna(keyed["at"]),
            "q": q,
            "income": q.where(root == "Income", 0),
            "spend": q.where(expense, 0),
            "local": q.where(local, 0),
            "stock": q.where(root.isin(STOCK_ROOTS), 0),
        }
    )

    # Per transaction: the net of the inside postings and of each sub-area.
    per_txn = parts.groupby(["at", "unit", "txn"], sort=False)[
        ["q", "income", "spend", "local", "stock"]
    ].sum()
    per_sub = parts.groupby(["at", "unit", "txn", "sub"], sort=False)["q"].sum()
    sub_positive = per_sub.clip(lower=0).groupby(level=[0, 1, 2]).sum()
    net = per_txn["q"]
    per_txn = per_txn.assign(
        transfer_in=net.clip(lower=0),
        transfer_out=(-net).clip(lower=0),
        internal_transfers=sub_positive.reindex(per_txn.index) - net.clip(lower=0),
    )

    # Per area and unit.
    totals = per_txn.groupby(level=[0, 1]).sum()
    result: dict[tuple[str, str], Flows] = {}
    columns = (
        totals.index.get_level_values(0).astype(str),
        totals.index.get_level_values(1).astype(str),
        -totals["income"] + totals["transfer_in"],
        totals["spend"] - totals["local"] + totals["transfer_out"],
        totals["local"],
        totals["internal_transfers"],
        totals["spend"],
        totals["stock"],
    )
    places = frame.attrs.get("places", {})
    for area, unit, *sums in zip(*(c.tolist() for c in columns), strict=True):
        exact = partial(to_decimal, scale=scale, places=places.get(unit))
        result[(area, unit)] = Flows(area, unit, *(exact(q) for q in sums))
    return result


def flows_of(
    frame: pd.DataFrame, registry: AreaRegistry, area: str, unit: str
) -> Flows:
    """The flows of one area (at its own level) in one unit."""
    declared = registry.get(area)
    if declared is None:
        raise UnknownArea(area)
    found = flows_by_area(frame, registry, declared.level).get((area, unit))
    if found is not None:
        return found
    zero = Decimal(0)
    return Flows(area, unit, zero, zero, zero, zero, zero, zero)
