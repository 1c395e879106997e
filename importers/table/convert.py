"""Turn the rows of a table into transactions, collecting every bad row.

One row becomes one transaction::

    2024-05-04 * "Natuurclub Spijkerkwartier" "Bomentelling linde"
      id: "bomentelling:04-05-2024|Spijkerstraat|linde"
      source: "table:bomentelling"
      method: "measured"
      area: "spijkerstraat"
      Assets:Groen:Bomen         7 BOOM
      Equity:Waardering:Natuur  -7 BOOM

Limitation: a row gives exactly two postings; a row that splits over
several accounts needs several rows or mappings.

Every problem in a row (an unreadable date or amount, an unknown area,
street, account or unit) becomes a :class:`BadRow`; the caller decides
whether the file is rejected or the rows are skipped.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from beancount.core import amount, data, flags

from wijkboekhouding.engine.lookup import AmbiguousPlace, UnknownPlace
from wijkboekhouding.engine.model import (
    META_AREA,
    META_COUNTERPARTY,
    META_ID,
    META_METHOD,
    META_SOURCE,
    META_VALUE_TYPE,
    VALUE_TYPES,
)
from wijkboekhouding.importers.table.facts import LedgerFacts
from wijkboekhouding.importers.table.mapping import (
    REQUIRED,
    Field,
    Mapping,
    UnusableConstant,
)
from wijkboekhouding.importers.table.reader import Row, Table
from wijkboekhouding.importers.table.review import (
    BadRow,
    Extraction,
    UnreadableFile,
)
from wijkboekhouding.importers.table.values import (
    BadValue,
    cell_text,
    parse_amount,
    parse_date,
)


class _RowProblem(Exception):
    """Internal: stops reading one row; carries its bad cells."""


@dataclass
class _RowReader:
    """Reads the fields of one row, noting each bad cell instead of stopping."""

    mapping: Mapping
    facts: LedgerFacts
    row: Row
    row_file: str

    def __post_init__(self) -> None:
        self.bad: list[BadRow] = []

    def note(self, field: Field, value: Any, advice: str) -> None:
        self.bad.append(
            BadRow(self.row.number, field.where(), cell_text(value), advice)
        )

    def text(self, name: str) -> str | None:
        field = self.mapping.fields.get(name)
        if field is None:
            return None
        value = field.value(self.row.cells)
        if value is None:
            self.note(
                field,
                field.raw(self.row.cells),
                f"no {name} is given for this value; add it under values in"
                " the mapping, or a default",
            )
            return None
        return cell_text(value)

    def required_text(self, name: str) -> str | None:
        field = self.mapping.fields[name]
        value = self.text(name)
        if value == "":
            self.note(field, "", f"the {name} is empty; fill it in")
            return None
        return value

    def date(self) -> datetime.date | None:
        field = self.mapping.fields["date"]
        value = field.value(self.row.cells)
        try:
            return parse_date(value, self.mapping.date_format)
        except BadValue as exc:
            self.note(field, value, str(exc))
            return None

    def amount(self) -> Decimal | None:
        field = self.mapping.fields["amount"]
        value = field.value(self.row.cells)
        try:
            return parse_amount(value, self.mapping.decimal)
        except BadValue as exc:
            self.note(field, value, str(exc))
            return None

    def area(self, name: str, *, allow_extern: bool = False) -> str | None:
        text = self.required_text(name) if name == "area" else self.text(name)
        if not text:
            return None
        try:
            return self.facts.lookup.resolve(text, allow_extern=allow_extern)
        except (UnknownPlace, AmbiguousPlace) as exc:
            self.note(self.mapping.fields[name], text, str(exc))
            return None

    def account(
        self, name: str, date: datetime.date | None, unit: str | None
    ) -> str | None:
        text = self.required_text(name)
        if text is None:
            return None
        problem = self.facts.account_problem(text, date, unit)
        if problem is not None:
            self.note(self.mapping.fields[name], text, problem)
            return None
        return text

    def unit(self) -> str | None:
        text = self.required_text("unit")
        if text is None:
            return None
        problem = self.facts.unit_problem(text)
        if problem is not None:
            self.note(self.mapping.fields["unit"], text, problem)
            return None
        return text

    def value_type(self) -> str | None:
        text = self.text("value-type")
        if text and text not in VALUE_TYPES:
            self.note(
                self.mapping.fields["value-type"],
                text,
                f"unknown value type; use one of {', '.join(VALUE_TYPES)}",
            )
            return None
        return text or None


def check_columns(table: Table, mapping: Mapping) -> None:
    """Reject a table that lacks a column the mapping reads.

    Raises:
      UnreadableFile: naming every missing column and the columns there are.
    """
    missing = [c for c in mapping.columns() if c not in table.columns]
    if missing:
        raise UnreadableFile(
            table.file,
            f"has no column(s) {', '.join(repr(c) for c in missing)} that the"
            f" mapping {mapping.path.name} reads; its columns are"
            f" {', '.join(repr(c) for c in table.columns)}. Rename the column"
            " in the file or in the mapping",
        )


def check_constants(mapping: Mapping, facts: LedgerFacts) -> None:
    """Reject a mapping whose constant fields no row could use.

    A constant that is wrong (an unknown account, unit or area) would be
    wrong in every row; it is reported once, as a problem of the mapping.
    Whether a constant account is open on a row's date stays a row problem.

    Raises:
      UnusableConstant: naming every such field, its value and what to do.
    """
    constants = {
        name: field.constant
        for name, field in mapping.fields.items()
        if field.constant is not None
    }
    unit = constants.get("unit")
    if unit is not None and facts.unit_problem(unit):
        unit = None
    problems = [
        (name, value, problem)
        for name, value in constants.items()
        if (problem := _constant_problem(name, value, mapping, facts, unit))
    ]
    if problems:
        raise UnusableConstant(str(mapping.path), problems)


def _constant_problem(
    name: str, text: str, mapping: Mapping, facts: LedgerFacts, unit: str | None
) -> str | None:
    """What is wrong with one constant field, or None."""
    if name in REQUIRED and not text.strip():
        return f"the {name} is empty; fill it in"
    try:
        if name == "date":
            parse_date(text, mapping.date_format)
        elif name == "amount":
            parse_amount(text, mapping.decimal)
        elif name in ("area", "counterparty-area") and text:
            facts.lookup.resolve(text, allow_extern=name != "area")
    except (BadValue, UnknownPlace, AmbiguousPlace) as exc:
        return str(exc)
    if name == "unit":
        return facts.unit_problem(text)
    if name in ("account", "counterparty-account"):
        return facts.account_problem(text, None, unit)
    if name == "value-type" and text and text not in VALUE_TYPES:
        return f"unknown value type; use one of {', '.join(VALUE_TYPES)}"
    return None


def convert(table: Table, mapping: Mapping, facts: LedgerFacts) -> Extraction:
    """Turn every row into a transaction; bad rows are listed, not raised.

    Raises:
      UnreadableFile: the table misses a column the mapping reads.
      UnusableConstant: a constant field of the mapping fits no row.
    """
    check_columns(table, mapping)
    check_constants(mapping, facts)
    entries: list[data.Directive] = []
    bad: list[BadRow] = []
    first_row: dict[str, int] = {}
    for row in table.rows:
        reader = _RowReader(mapping, facts, row, table.file)
        entry = _transaction(reader)
        if entry is not None:
            key = str(entry.meta[META_ID])
            if key in first_row:
                reader.bad.append(
                    BadRow(
                        row.number,
                        ", ".join(mapping.id_columns) or "(all)",
                        key,
                        f"same id as row {first_row[key]}; add a column to"
                        " `id` in the mapping so that each row is unique",
                    )
                )
            else:
                first_row[key] = row.number
        if reader.bad:
            bad.extend(reader.bad)
        elif entry is not None:
            entries.append(entry)
    return Extraction(table.file, tuple(entries), tuple(bad), len(table.rows))


def _transaction(reader: _RowReader) -> data.Transaction | None:
    """Read one row; None when any of its cells is bad (noted on the reader)."""
    date = reader.date()
    area = reader.area("area")
    unit = reader.unit()
    account = reader.account("account", date, unit)
    other = reader.account("counterparty-account", date, unit)
    quantity = reader.amount()
    counterparty_area = reader.area("counterparty-area", allow_extern=True)
    value_type = reader.value_type()
    payee = reader.text("payee") or None
    narration = reader.text("narration") or reader.mapping.id_prefix
    source = reader.text("source") or f"table:{reader.mapping.id_prefix}"
    method = reader.text("method") or "measured"
    if reader.bad:
        return None
    assert date and area and unit and account and other and quantity is not None

    meta: dict[str, Any] = {
        **data.new_metadata(reader.row_file, reader.row.number),
        META_ID: row_id(reader.mapping, reader.row, date),
        META_SOURCE: source,
        META_METHOD: method,
        META_AREA: area,
    }
    main_meta: dict[str, Any] = {}
    other_meta: dict[str, Any] = {}
    if counterparty_area:
        main_meta[META_COUNTERPARTY] = counterparty_area
    if value_type:
        main_meta[META_VALUE_TYPE] = value_type
        other_meta[META_VALUE_TYPE] = value_type
    postings = [
        data.Posting(
            account, amount.Amount(quantity, unit), None, None, None, main_meta or None
        ),
        data.Posting(
            other, amount.Amount(-quantity, unit), None, None, None, other_meta or None
        ),
    ]
    return data.Transaction(
        meta,
        date,
        flags.FLAG_OKAY,
        payee,
        narration,
        data.EMPTY_SET,
        data.EMPTY_SET,
        postings,
    )


def row_id(mapping: Mapping, row: Row, date: datetime.date) -> str:
    """The stable id of a row: its id columns, or a digest of all its cells.

    The date column enters as an ISO date, so a CSV and an xlsx copy of the
    same list give the same ids.
    """
    date_column = mapping.fields["date"].column
    if mapping.id_columns:
        parts = [
            date.isoformat()
            if column == date_column
            else " ".join(cell_text(row.cells.get(column)).split())
            for column in mapping.id_columns
        ]
        return f"{mapping.id_prefix}:{'|'.join(parts)}"
    text = "\x1f".join(f"{k}={cell_text(v)}" for k, v in sorted(row.cells.items()))
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
    return f"{mapping.id_prefix}:{digest}"
