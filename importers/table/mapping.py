"""The declarative mapping from a table's columns to ledger entries.

A mapping is a small TOML file; every field is a constant, a column, a
column translated through a table of values, or a template over columns::

    [source]
    delimiter = ";"              # optional: recognised from the file
    encoding = "utf-8"           # optional: recognised from the file
    sheet = "Telling"            # optional: the first sheet of an xlsx
    decimal = ","                # optional: recognised per value
    date-format = "%d-%m-%Y"     # optional: Dutch layouts are tried

    [entry]
    date = { column = "Datum" }
    area = { column = "Straat" }              # code, street, postcode or name
    account = "Assets:Groen:Bomen"
    amount = { column = "Aantal" }
    unit = "BOOM"
    counterparty-account = "Equity:Waardering:Natuur"
    narration = { template = "Bomentelling {Soort}" }
    id = ["Datum", "Straat", "Soort"]         # the columns that identify a row

Each row becomes one transaction of two postings: ``amount unit`` on
``account`` and the opposite on ``counterparty-account``, in ``area``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping as MappingType
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wijkboekhouding.engine.errors import WijkboekhoudingError
from wijkboekhouding.importers.table.values import cell_text

REQUIRED = ("date", "area", "account", "amount", "unit", "counterparty-account")
OPTIONAL = (
    "counterparty-area",
    "payee",
    "narration",
    "value-type",
    "source",
    "method",
)
SOURCE_KEYS = ("delimiter", "encoding", "sheet", "decimal", "date-format")
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


class MappingError(WijkboekhoudingError):
    """A mapping file that cannot be used; the message says what to change."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")


class UnusableConstant(MappingError):
    """Constant fields of a mapping that no row could use."""

    def __init__(self, path: str, problems: Sequence[tuple[str, str, str]]) -> None:
        lines = "\n".join(
            f"  {name} = {value!r}: {advice}" for name, value, advice in problems
        )
        super().__init__(
            path,
            f"{len(problems)} constant field(s) of the mapping cannot be used, so"
            " no row can be imported; nothing was written. Correct the"
            f" mapping:\n{lines}",
        )


@dataclass(frozen=True)
class Field:
    """Where one value of an entry comes from.

    Exactly one of ``constant``, ``column`` and ``template`` is set; a column
    may be translated through ``values`` (with ``default`` for the rest).
    """

    name: str
    constant: str | None = None
    column: str | None = None
    template: str | None = None
    values: tuple[tuple[str, str], ...] = ()
    default: str | None = None

    def columns(self) -> list[str]:
        """The table columns this field reads."""
        if self.column is not None:
            return [self.column]
        if self.template is not None:
            return _PLACEHOLDER.findall(self.template)
        return []

    def raw(self, cells: MappingType[str, Any]) -> Any:
        """The value for one row, before translation (a cell keeps its type)."""
        if self.constant is not None:
            return self.constant
        if self.column is not None:
            return cells.get(self.column)
        assert self.template is not None
        return _PLACEHOLDER.sub(
            lambda m: cell_text(cells.get(m.group(1))), self.template
        )

    def value(self, cells: MappingType[str, Any]) -> Any:
        """The value for one row; None when a translated value is unknown."""
        raw = self.raw(cells)
        if not self.values:
            return raw
        table = dict(self.values)
        return table.get(cell_text(raw), self.default)

    def where(self) -> str:
        """The column to name in an error, or how the field is given."""
        if self.column is not None:
            return self.column
        if self.template is not None:
            return f"template {self.template!r}"
        return f"{self.name} in the mapping"


@dataclass(frozen=True)
class Mapping:
    """A whole mapping file."""

    path: Path
    fields: dict[str, Field]
    id_columns: tuple[str, ...]
    id_prefix: str
    delimiter: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    decimal: str | None = None
    date_format: str | None = None

    def columns(self) -> list[str]:
        """Every column the mapping reads, in the order first named."""
        names: list[str] = []
        for field in self.fields.values():
            names.extend(c for c in field.columns() if c not in names)
        names.extend(c for c in self.id_columns if c not in names)
        return names


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file.

    Raises:
      MappingError: the file is missing, is not TOML, or misses a field.
    """
    shown = str(path)
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise MappingError(shown, "no such mapping file") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MappingError(shown, f"is not valid TOML ({exc})") from exc
    unknown = set(document) - {"source", "entry"}
    if unknown:
        raise MappingError(
            shown, f"unknown section(s) {sorted(unknown)}; use [source] and [entry]"
        )
    source = _table(shown, document, "source")
    entry = _table(shown, document, "entry")
    bad = set(source) - set(SOURCE_KEYS)
    if bad:
        raise MappingError(
            shown,
            f"unknown [source] key(s) {sorted(bad)}; use {', '.join(SOURCE_KEYS)}",
        )
    fields, id_columns, id_prefix = _entry(shown, entry, path.stem)
    decimal = source.get("decimal")
    if decimal not in (None, ",", "."):
        raise MappingError(shown, 'decimal must be "," or "."')
    return Mapping(
        path=path,
        fields=fields,
        id_columns=id_columns,
        id_prefix=id_prefix,
        delimiter=_text(shown, source, "delimiter"),
        encoding=_text(shown, source, "encoding"),
        sheet=_text(shown, source, "sheet"),
        decimal=decimal,
        date_format=_text(shown, source, "date-format"),
    )


def _entry(
    shown: str, entry: dict[str, Any], stem: str
) -> tuple[dict[str, Field], tuple[str, ...], str]:
    allowed = (*REQUIRED, *OPTIONAL, "id", "id-prefix")
    unknown = set(entry) - set(allowed)
    if unknown:
        raise MappingError(
            shown,
            f"unknown [entry] key(s) {sorted(unknown)}; use {', '.join(allowed)}",
        )
    missing = [name for name in REQUIRED if name not in entry]
    if missing:
        raise MappingError(
            shown,
            f"[entry] misses {', '.join(missing)}; give each as a constant"
            ' ("BOOM") or a column ({ column = "Aantal" })',
        )
    fields = {
        name: _field(shown, name, entry[name])
        for name in (*REQUIRED, *OPTIONAL)
        if name in entry
    }
    ids = entry.get("id", [])
    if isinstance(ids, str):
        ids = [ids]
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise MappingError(shown, 'id must be a list of columns, like ["Datum"]')
    prefix = entry.get("id-prefix", stem)
    if not isinstance(prefix, str) or not prefix:
        raise MappingError(shown, "id-prefix must be a non-empty text")
    return fields, tuple(ids), prefix


def _field(shown: str, name: str, spec: Any) -> Field:
    if isinstance(spec, str | int | float) and not isinstance(spec, bool):
        return Field(name, constant=str(spec))
    if not isinstance(spec, dict):
        raise MappingError(
            shown, f"{name}: give a constant or {{ column = ... }}, not {spec!r}"
        )
    keys = {k for k in ("column", "template") if k in spec}
    extra = set(spec) - {"column", "template", "values", "default"}
    if len(keys) != 1 or extra:
        raise MappingError(
            shown,
            f"{name}: give exactly one of column or template (with optional"
            f" values and default), not {sorted(spec)}",
        )
    values = spec.get("values", {})
    if not isinstance(values, dict):
        raise MappingError(shown, f"{name}: values must be a table of text")
    default = spec.get("default")
    return Field(
        name,
        column=_text(shown, spec, "column"),
        template=_text(shown, spec, "template"),
        values=tuple((str(k), str(v)) for k, v in values.items()),
        default=None if default is None else str(default),
    )


def _table(shown: str, document: dict[str, Any], name: str) -> dict[str, Any]:
    section = document.get(name, {})
    if not isinstance(section, dict):
        raise MappingError(shown, f"{name} must be a table: [{name}]")
    return section


def _text(shown: str, section: dict[str, Any], key: str) -> str | None:
    value = section.get(key)
    if value is not None and not isinstance(value, str):
        raise MappingError(shown, f"{key} must be text, not {value!r}")
    return value
