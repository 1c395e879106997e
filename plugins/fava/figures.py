"""The figures of the Wijkboekhouding page, computed from a postings table.

The area table is :func:`wijkboekhouding.engine.cli.report.flows_table`
itself, so the page shows exactly what ``wijkboekhouding report --by flows``
prints.  This module adds what only the page needs: one area's sources,
themes, stocks, sub-areas and trend, and the postings behind any figure.

The postings behind a flow are exact: each posting is listed with the part
of it that the figure counts, and those parts add up to the figure.  Per
transaction and unit, with ``S`` the net of the area's inside postings,
``s_k`` that of sub-area ``k``, and ``ext`` the Expenses postings whose
counterparty lies outside the area or is unknown:

- inflow: when ``S > 0`` every inside posting except Income counts ``q``,
  otherwise every inside Income posting counts ``-q``;
- outflow: when ``S < 0`` every inside posting except ``ext`` counts
  ``-q``, otherwise every ``ext`` posting counts ``q``;
- internal: spending inside the area counts ``q``; of the transfers between
  sub-areas, the postings of the paying sub-areas count ``-q`` when
  ``S >= 0`` and those of the receiving ones count ``q`` when ``S < 0``.

Both follow from the rules in :mod:`wijkboekhouding.engine.projection`
(``inflow = -Income + max(S, 0)`` and so on) by splitting each case.

A flow figure of one year (``inflow:2024``, a cell of the trend) counts the
same way within that year's transactions; a stock (``stocks:natuurlijk``, a
cell of the stocks table) lists the postings its balance sums, each counted
whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

import pandas as pd

from wijkboekhouding.engine.areas import Area
from wijkboekhouding.engine.cli.report import flows_table
from wijkboekhouding.engine.errors import UnknownArea, WijkboekhoudingError
from wijkboekhouding.engine.ledger import Ledger
from wijkboekhouding.engine.model import VALUE_TYPES
from wijkboekhouding.engine.postings import to_decimal, unit_places
from wijkboekhouding.engine.projection import (
    STOCK_ROOTS,
    check_level,
    flows_by_area,
    level_keys,
)

# Turns a scaled integer sum of one unit into its exact Decimal.
Exact = Callable[[Any], Decimal]

FLOW_FIGURES = ("inflow", "outflow", "internal", "net", "spending", "stock")
STOCK_HOLDERS = ("Assets", "Liabilities")
# The value type of stock postings whose unit names none.
NO_VALUE_TYPE = "-"
POSTING_COLUMNS = (
    "date",
    "narration",
    "account",
    "area",
    "amount",
    "unit",
    "counted",
    "filename",
    "lineno",
)


class UnknownFigure(WijkboekhoudingError):
    """A figure name the postings endpoint does not know."""

    def __init__(self, figure: str) -> None:
        super().__init__(
            f"unknown figure {figure!r}; use one of {', '.join(FLOW_FIGURES)},"
            " one of those in a year (inflow:2024), income:ACCOUNT,"
            " expenses:ACCOUNT or stocks:VALUE_TYPE"
        )


class NotAtLevel(WijkboekhoudingError):
    """A level other than the area's own: the area has no figures there."""

    def __init__(self, area: Area, level: str) -> None:
        super().__init__(
            f"area {area.code} is a {area.level}, so its figures are in the"
            f" table of level {area.level}, not {level}; use level={area.level}"
            " or leave level out"
        )


class UnknownUnit(WijkboekhoudingError):
    """A unit that no posting of the ledger uses."""

    def __init__(self, unit: str, known: list[str]) -> None:
        super().__init__(
            f"unknown unit {unit!r}; this ledger has the units: {', '.join(known)}"
        )


@dataclass(frozen=True)
class Scope:
    """The postings one request looks at, and the period they cover.

    ``frame`` holds the postings of the transactions Fava's filters keep;
    ``stocks`` those kept by the account and advanced filters up to the end
    of the period, for balances at its end.
    """

    ledger: Ledger
    frame: pd.DataFrame
    stocks: pd.DataFrame
    period: str | None

    @property
    def scale(self) -> int:
        """The decimal scale of the ``q`` column."""
        return int(self.ledger.frame.attrs.get("scale", 0))

    def exact(self, unit: str) -> Exact:
        """Sums of ``unit`` as Decimals written with the ledger's precision."""
        places = unit_places(self.ledger.frame, unit)
        return partial(to_decimal, scale=self.scale, places=places)


def area_table(scope: Scope, level: str, unit: str) -> pd.DataFrame:
    """The flows of every area at ``level``: the report's own table."""
    return flows_table(scope.ledger, scope.frame, level, unit, scope.period)


def own_flows(scope: Scope, area: Area, unit: str) -> pd.DataFrame:
    """The area's own row of the table of its level."""
    frame = inside(scope.frame, scope, area.code)
    table = flows_table(scope.ledger, frame, area.level, unit, scope.period)
    return table[table["area"] == area.code]


def require_area(scope: Scope, code: str) -> Area:
    """The declared area with this code.

    Raises:
      UnknownArea: the ledger declares no such area.
    """
    area = scope.ledger.registry.get(code)
    if area is None:
        raise UnknownArea(code, "pick an area from the table of its level")
    return area


def require_own_level(area: Area, level: str) -> None:
    """Raise NotAtLevel unless ``level`` is the area's own level.

    ``level`` names the table a figure comes from; an area has a row only in
    the table of its own level (a buurt is never an area of the wijk table).
    """
    if level != area.level:
        raise NotAtLevel(area, level)


def require_unit(scope: Scope, unit: str) -> None:
    """Raise UnknownUnit when no posting of the ledger is in ``unit``."""
    known = sorted(scope.ledger.frame["unit"].dropna().unique())
    if unit not in known:
        raise UnknownUnit(unit, [str(u) for u in known])


def inside(frame: pd.DataFrame, scope: Scope, code: str) -> pd.DataFrame:
    """The postings whose area is ``code`` or lies below it."""
    return frame[frame["area"].isin(scope.ledger.registry.covered(code))]


def keyed_rows(scope: Scope, code: str, level: str, unit: str) -> pd.DataFrame:
    """The area's own postings in one unit, keyed as the projection keys them."""
    check_level(scope.ledger.registry, level)
    keyed = level_keys(inside(scope.frame, scope, code), scope.ledger.registry, level)
    return keyed[(keyed["at"] == code) & (keyed["unit"] == unit)]


# One area's page.


def account_prefix(account: str, depth: int) -> str:
    """The first ``depth`` components of an account name."""
    return ":".join(account.split(":")[:depth])


def by_account(rows: pd.DataFrame, root: str, depth: int, exact: Exact) -> pd.DataFrame:
    """Sums of one root's postings by account prefix, positive for flows."""
    part = rows[rows["root"] == root]
    sign = -1 if root == "Income" else 1
    keys = part["account"].map(lambda a: account_prefix(a, depth))
    local = part["q"].where(part["cp_at"] == part["at"], 0)
    known = part["q"].where(part["counterparty_area"].notna(), 0)
    sums = pd.DataFrame({"key": keys, "q": part["q"], "local": local, "known": known})
    grouped = sums.groupby("key", sort=True).sum()
    result = []
    for key, row in grouped.iterrows():
        amount = exact(sign * row["q"])
        entry: dict[str, Any] = {"account": key, "amount": amount}
        if root == "Expenses":
            entry["local"] = exact(row["local"])
            entry["counterparty_known"] = exact(row["known"])
            entry["local_share"] = (
                round(Decimal(int(row["local"])) / Decimal(int(row["q"])), 4)
                if row["q"]
                else None
            )
        result.append(entry)
    columns = ["account", "amount"]
    if root == "Expenses":
        columns += ["local", "counterparty_known", "local_share"]
    return pd.DataFrame(result, columns=columns)


def stock_postings(scope: Scope, code: str) -> pd.DataFrame:
    """The Assets and Liabilities postings of the area up to the period's end."""
    rows = inside(scope.stocks, scope, code)
    rows = rows[rows["root"].isin(STOCK_HOLDERS)]
    return rows.assign(value_type=rows["value_type"].fillna(NO_VALUE_TYPE))


def stocks_of(scope: Scope, code: str) -> pd.DataFrame:
    """Balances of the area's Assets and Liabilities by value type and unit."""
    keys = stock_postings(scope, code)
    sums = keys.groupby(["value_type", "unit"])["q"].sum().reset_index()
    order = {name: number for number, name in enumerate(VALUE_TYPES)}
    result = [
        {"value_type": vt, "unit": unit, "amount": scope.exact(unit)(q)}
        for vt, unit, q in zip(sums["value_type"], sums["unit"], sums["q"], strict=True)
        if q
    ]
    result.sort(key=lambda r: (order.get(r["value_type"], 99), r["unit"]))
    return pd.DataFrame(result, columns=["value_type", "unit", "amount"])


def sub_areas(scope: Scope, code: str, unit: str) -> pd.DataFrame:
    """The flows of the direct sub-areas, each at its own level."""
    registry = scope.ledger.registry
    children = registry.children(code)
    frame = inside(scope.frame, scope, code)
    parts = []
    for level in sorted({child.level for child in children}):
        codes = {child.code for child in children if child.level == level}
        table = flows_table(scope.ledger, frame, level, unit, scope.period)
        parts.append(table[table["area"].isin(codes)])
    if not parts:
        return flows_table(scope.ledger, frame.iloc[0:0], registry.levels()[0], unit)
    return pd.concat(parts, ignore_index=True)


def trend(scope: Scope, area: Area, unit: str) -> pd.DataFrame:
    """Inflow, outflow, internal flows and net of the area per year."""
    frame = inside(scope.frame, scope, area.code)
    frame = frame[frame["unit"] == unit]
    rows = []
    for year in sorted(frame["date"].dt.year.unique()):
        in_year = frame[frame["date"].dt.year == year]
        found = flows_by_area(in_year, scope.ledger.registry, area.level)
        flows = found.get((area.code, unit))
        if flows is None:
            continue
        rows.append(
            {
                "year": int(year),
                "inflow": flows.inflow,
                "outflow": flows.outflow,
                "internal": flows.internal,
                "net": flows.net,
            }
        )
    return pd.DataFrame(rows, columns=["year", "inflow", "outflow", "internal", "net"])


def sankey_links(rows: pd.DataFrame, exact: Exact, depth: int) -> list[dict[str, Any]]:
    """Links from income sources through the area to spending themes.

    What comes in (Income, transfers in, stocks drawn on) equals what goes
    out (Expenses, transfers out, stocks built up), by the flow identity.
    """
    links: list[dict[str, Any]] = []
    for side, root in (("in", "Income"), ("out", "Expenses")):
        for row in by_account(rows, root, depth, exact).to_dict("records"):
            if row["amount"]:
                links.append(
                    {"side": side, "node": row["account"], "amount": row["amount"]}
                )
    net = rows.groupby("txn")["q"].sum()
    transfer_in = exact(net.clip(lower=0).sum())
    transfer_out = exact((-net).clip(lower=0).sum())
    stock = exact(rows["q"].where(rows["root"].isin(STOCK_ROOTS), 0).sum())
    extra = [
        ("in", "transfers_in", transfer_in),
        ("out", "transfers_out", transfer_out),
        ("out", "stock_increase", stock),
        ("in", "stock_decrease", -stock),
    ]
    for side, node, amount in extra:
        if amount > 0:
            links.append({"side": side, "node": node, "amount": amount})
    return links


# The postings behind a figure.


def contributions(rows: pd.DataFrame, figure: str) -> pd.Series:
    """The part of each posting that ``figure`` counts, as scaled integers."""
    q = rows["q"]
    zero = q * 0
    root = rows["root"]
    net = rows.groupby("txn")["q"].transform("sum")
    if figure in ("inflow", "net"):
        income = root == "Income"
        inflow = q.where((net > 0) & ~income, zero) - q.where((net <= 0) & income, zero)
        if figure == "inflow":
            return inflow
    if figure in ("outflow", "net"):
        ext = (root == "Expenses") & (rows["cp_at"] != rows["at"])
        outflow = q.where((net >= 0) & ext, zero) - q.where((net < 0) & ~ext, zero)
        return outflow if figure == "outflow" else inflow - outflow
    if figure == "internal":
        local = q.where((root == "Expenses") & (rows["cp_at"] == rows["at"]), zero)
        sub = rows["sub"].fillna(rows["at"])
        per_sub = q.groupby([rows["txn"], sub]).transform("sum")
        paying = (net >= 0) & (per_sub < 0)
        receiving = (net < 0) & (per_sub > 0)
        return local - q.where(paying, zero) + q.where(receiving, zero)
    if figure == "spending":
        return q.where(root == "Expenses", zero)
    if figure == "stock":
        return q.where(root.isin(STOCK_ROOTS), zero)
    kind, _, account = figure.partition(":")
    if kind in ("income", "expenses") and account:
        wanted = root == kind.capitalize()
        match = (rows["account"] == account) | rows["account"].str.startswith(
            account + ":"
        )
        sign = -1 if kind == "income" else 1
        return sign * q.where(wanted & match, zero)
    raise UnknownFigure(figure)


def counted_postings(
    scope: Scope, code: str, level: str, unit: str, figure: str
) -> tuple[pd.DataFrame, pd.Series]:
    """The area's postings a figure looks at, and the part of each it counts."""
    kind, _, detail = figure.partition(":")

    # A stock: the postings its balance sums, each counted whole.
    if kind == "stocks" and detail:
        rows = stock_postings(scope, code)
        rows = rows[(rows["value_type"] == detail) & (rows["unit"] == unit)]
        return rows, rows["q"]

    # A flow of one year: the flow, counted within that year's transactions.
    rows = keyed_rows(scope, code, level, unit)
    if kind in FLOW_FIGURES and detail.isdigit():
        rows = rows[rows["date"].dt.year == int(detail)]
        figure = kind
    return rows, contributions(rows, figure)


def postings_behind(
    scope: Scope, code: str, level: str, unit: str, figure: str
) -> tuple[pd.DataFrame, Decimal]:
    """The postings a figure counts, with the counted part, and their total."""
    rows, counted = counted_postings(scope, code, level, unit, figure)
    rows = rows.assign(counted=counted)
    rows = rows[rows["counted"] != 0].sort_values(["date", "txn"], kind="stable")
    exact = scope.exact(unit)
    total = exact(rows["counted"].sum())
    table = pd.DataFrame(
        {
            "date": [d.date().isoformat() for d in rows["date"]],
            "narration": rows["narration"],
            "account": rows["account"],
            "area": rows["area"],
            "amount": rows["amount"],
            "unit": rows["unit"],
            "counted": [exact(c) for c in rows["counted"]],
            "filename": rows["filename"],
            "lineno": rows["lineno"],
        },
        columns=list(POSTING_COLUMNS),
    )
    return table.reset_index(drop=True), total
