"""Turn the rows of a Kerncijfers table into ledger entries.

For each row of the gemeente (the gemeente itself, its wijken and buurten)
the transformation writes an area declaration and one observation per
catalogue variable present; for each buurt, the stocks and estimated flows
whose inputs are present.  Missing and suppressed values (JSON ``null``,
CBS's ``.``) give no entry; they are collected for the summary.  All
entries carry ``source``, ``method`` and a stable ``id``::

    2024-01-01 custom "observation" "BU02020211" "woz-gemiddeld" 344000
      source: "cbs:85984NED"
      method: "measured"
      id: "cbs:85984NED:2024:BU02020211:woz-gemiddeld"
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser.grammar import ValueType

from wijkboekhouding.engine.model import (
    BUURT,
    GEMEENTE,
    META_AREA,
    META_COUNTERPARTY,
    META_ID,
    META_METHOD,
    META_SECTOR,
    META_SOURCE,
    META_VALUE_TYPE,
    WIJK,
)
from wijkboekhouding.importers.cbs.catalogue import (
    Catalogue,
    Column,
    Flow,
    Parameter,
    Stock,
    parameter_for,
)
from wijkboekhouding.importers.cbs.table import area_code

MEASURED = "measured"
VALUATION = "Equity:Waardering:CBS"
# Accounts and commodities are declared at one early date, so that a table
# of any year imported later still finds them open.
DECLARATION_DATE = datetime.date(2000, 1, 1)
_WHOLE = Decimal(1)
_LEVELS = {"GM": GEMEENTE, "WK": WIJK, "BU": BUURT}


@dataclass(frozen=True)
class AreaRow:
    """One row of the table: an area with its observations in stored units."""

    code: str
    name: str
    level: str
    parent: str | None
    values: Mapping[str, Decimal]


@dataclass
class Plan:
    """The candidate entries of one import and what could not be written."""

    rows: list[AreaRow]
    entries: list[data.Directive]
    missing: dict[str, list[str]] = field(default_factory=dict)
    not_estimated: dict[str, list[str]] = field(default_factory=dict)

    def absent(self, context: Context) -> dict[str, tuple[str, str]]:
        """The ids of the entries this import cannot write, with where listed.

        Each id maps to its name in :attr:`missing` or :attr:`not_estimated`
        and the area code: the stock listed as ``stock woz-totaal`` for
        BU02020211 has the id ``cbs:85984NED:2024:BU02020211:stock:woz-totaal``.
        """
        # Limitation: an area the table no longer has at all (recoded between
        # releases) has no row, so its entries are never found absent and
        # stand until corrected by hand.
        found: dict[str, tuple[str, str]] = {}
        for listing in (self.missing, self.not_estimated):
            for name, codes in listing.items():
                what = name.replace(" ", ":", 1)
                for code in codes:
                    found[context.entry_id(code, what)] = (name, code)
        return found


@dataclass(frozen=True)
class Context:
    """What every entry of one import shares."""

    table_id: str
    year: int
    map_year: int
    catalogue: Catalogue
    parameters: Sequence[Parameter]

    @property
    def date(self) -> datetime.date:
        """The date of observations, stocks and flows: 1 January of the year."""
        return datetime.date(self.year, 1, 1)

    @property
    def source(self) -> str:
        """The ``source`` metadata of every entry."""
        return f"cbs:{self.table_id}"

    def entry_id(self, code: str, what: str) -> str:
        """The stable id of an entry about one area."""
        return f"cbs:{self.table_id}:{self.year}:{code}:{what}"

    def meta(self, method: str, entry_id: str, **extra: Any) -> dict[str, Any]:
        """Metadata with source, method and id, in that order."""
        return {
            META_SOURCE: self.source,
            META_METHOD: method,
            META_ID: entry_id,
            **extra,
        }


def to_number(value: Any) -> Decimal | None:
    """A CBS cell as a Decimal, or None when it is missing or suppressed."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    text = str(value).strip()
    if not text or text == ".":
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _stored(number: Decimal, scale: Decimal) -> Decimal:
    value = number * scale
    if value == value.to_integral_value():
        return value.quantize(_WHOLE)
    return value.normalize()


def read_rows(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[Column],
    titles: Mapping[str, str],
    plan_missing: dict[str, list[str]],
) -> list[AreaRow]:
    """Read every row into an :class:`AreaRow`, noting missing values."""
    result: list[AreaRow] = []
    for row in rows:
        code = area_code(row)
        level = _LEVELS.get(code[:2])
        if level is None:
            continue
        values: dict[str, Decimal] = {}
        for column in columns:
            number = to_number(row.get(column.key))
            if number is None:
                plan_missing.setdefault(column.variable.name, []).append(code)
            else:
                values[column.variable.name] = _stored(number, column.variable.scale)
        result.append(
            AreaRow(code, _name(row, code, titles), level, _parent(code), values)
        )
    return result


def _name(row: Mapping[str, Any], code: str, titles: Mapping[str, str]) -> str:
    title = titles.get(code)
    if title:
        return title
    if code.startswith("GM"):
        for key, value in row.items():
            if key.startswith("Gemeentenaam") and str(value).strip():
                return str(value).strip()
    return code


def _parent(code: str) -> str | None:
    if code.startswith("WK"):
        return "GM" + code[2:6]
    if code.startswith("BU"):
        return "WK" + code[2:8]
    return None


def build_plan(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[Column],
    titles: Mapping[str, str],
    context: Context,
) -> Plan:
    """All candidate entries of one import, in the order they are written."""
    plan = Plan(rows=[], entries=[])
    plan.rows = read_rows(rows, columns, titles, plan.missing)

    # Declarations first: commodities, accounts, rules, areas.
    entries = plan.entries
    entries.extend(_declarations(context, columns))
    entries.extend(_area(context, row) for row in plan.rows)

    # Observations of every area, then stocks and flows of every buurt.
    for row in plan.rows:
        for name, value in row.values.items():
            entries.append(_observation(context, row.code, name, value))
    for row in plan.rows:
        if row.level != BUURT:
            continue
        for stock in context.catalogue.stocks:
            entry = _stock(context, row, stock)
            if entry is None:
                plan.not_estimated.setdefault(f"stock {stock.name}", []).append(
                    row.code
                )
            else:
                entries.append(entry)
        for flow in context.catalogue.flows:
            txn = _flow(context, row, flow)
            if txn is None:
                plan.not_estimated.setdefault(f"flow {flow.name}", []).append(row.code)
            else:
                entries.append(txn)
    return plan


def _declarations(context: Context, columns: Sequence[Column]) -> list[data.Directive]:
    catalogue = context.catalogue
    found: list[data.Directive] = []
    for name, value_type in catalogue.commodities.items():
        meta = context.meta(
            MEASURED, f"cbs:commodity:{name}", **{META_VALUE_TYPE: value_type}
        )
        found.append(data.Commodity(meta, DECLARATION_DATE, name))
    accounts = [VALUATION]
    for stock in catalogue.stocks:
        accounts.append(stock.account)
    for flow in catalogue.flows:
        accounts.extend((flow.debit, flow.credit))
    for account in dict.fromkeys(accounts):
        extra = {}
        if account in catalogue.sectors:
            extra[META_SECTOR] = catalogue.sectors[account]
        meta = context.meta(MEASURED, f"cbs:open:{account}", **extra)
        found.append(data.Open(meta, DECLARATION_DATE, account, [], None))
    for column in columns:
        variable = column.variable
        values = [ValueType(variable.name, str), ValueType(variable.rule, str)]
        if variable.weight:
            values.append(ValueType(variable.weight, str))
        meta = context.meta(MEASURED, f"cbs:rule:{variable.name}")
        found.append(data.Custom(meta, DECLARATION_DATE, "observation-rule", values))
    return found


def _area(context: Context, row: AreaRow) -> data.Custom:
    extra: dict[str, Any] = {"level": row.level}
    if row.parent:
        extra["parent"] = row.parent
    extra["cbs-year"] = Decimal(context.map_year)
    meta = context.meta(MEASURED, context.entry_id(row.code, "area"), **extra)
    values = [ValueType(row.code, str), ValueType(row.name, str)]
    return data.Custom(meta, context.date, "area", values)


def _observation(context: Context, code: str, name: str, value: Decimal) -> data.Custom:
    meta = context.meta(MEASURED, context.entry_id(code, name))
    values = [ValueType(code, str), ValueType(name, str), ValueType(value, Decimal)]
    return data.Custom(meta, context.date, "observation", values)


def _product(row: AreaRow, inputs: Sequence[str]) -> Decimal | None:
    total = Decimal(1)
    for name in inputs:
        value = row.values.get(name)
        if value is None:
            return None
        total *= value
    return total


def _stock(context: Context, row: AreaRow, stock: Stock) -> data.Transaction | None:
    amount = _product(row, stock.inputs)
    if amount is None:
        return None
    amount = amount.quantize(_WHOLE, ROUND_HALF_EVEN)
    method = (
        MEASURED if len(stock.inputs) == 1 else "estimated: " + " x ".join(stock.inputs)
    )
    meta = context.meta(
        method,
        context.entry_id(row.code, f"stock:{stock.name}"),
        **{META_AREA: row.code},
    )
    postings = [
        data.Posting(
            stock.account, Amount(amount, stock.commodity), None, None, None, None
        ),
        data.Posting(
            VALUATION, Amount(-amount, stock.commodity), None, None, None, None
        ),
    ]
    return data.Transaction(
        meta,
        context.date,
        "*",
        f"CBS {context.table_id}",
        f"{stock.name} {row.name}",
        frozenset(),
        frozenset(),
        postings,
    )


def _flow(context: Context, row: AreaRow, flow: Flow) -> data.Transaction | None:
    inputs = next(
        (alt for alt in flow.alternatives if all(n in row.values for n in alt)), None
    )
    if inputs is None:
        return None
    amount = _product(row, inputs)
    assert amount is not None
    formula = " x ".join(inputs)
    if flow.parameter:
        parameter = parameter_for(context.parameters, flow.parameter, context.year)
        if parameter is None:
            return None
        amount *= parameter.value
        formula += (
            f" x {parameter.name} ({parameter.year}: {parameter.value}"
            f" {parameter.unit}, parameters.toml)"
        )
    amount = amount.quantize(_WHOLE, ROUND_HALF_EVEN)
    meta = context.meta(
        "estimated: " + formula,
        context.entry_id(row.code, f"flow:{flow.name}"),
        **{META_AREA: row.code},
    )
    debit_meta = {META_COUNTERPARTY: flow.counterparty} if flow.counterparty else None
    postings = [
        data.Posting(flow.debit, Amount(amount, "EUR"), None, None, None, debit_meta),
        data.Posting(flow.credit, Amount(-amount, "EUR"), None, None, None, None),
    ]
    return data.Transaction(
        meta,
        context.date,
        "*",
        f"CBS {context.table_id}",
        f"{flow.narration} {row.name}",
        frozenset(),
        frozenset(),
        postings,
    )
