"""The variable catalogue and the parameter file, read from TOML.

The catalogue says which CBS columns become which observations (by stem, so
that renumbered keys of other years match), in what unit, how they aggregate,
and which stocks and flows they feed.  The parameter file holds the tariffs
the flow estimates use, each with its year and source.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from wijkboekhouding.importers.cbs.errors import (
    AmbiguousColumn,
    CatalogueError,
    UnitMismatch,
)

HERE = Path(__file__).parent
CATALOGUE_PATH = HERE / "catalogue.toml"
PARAMETERS_PATH = HERE / "parameters.toml"

_NUMBER_SUFFIX = re.compile(r"_\d+$")


def stem(key: str) -> str:
    """The column key without its trailing ``_N``: ``AantalInwoners_5`` -> stem."""
    return _NUMBER_SUFFIX.sub("", key)


@dataclass(frozen=True)
class Variable:
    """One CBS variable and the observation it becomes."""

    name: str
    stems: tuple[str, ...]
    cbs_unit: str
    unit: str
    scale: Decimal
    rule: str
    weight: str | None = None
    unverified: str | None = None


@dataclass(frozen=True)
class Stock:
    """A stock per buurt: the product of its input observations."""

    name: str
    account: str
    commodity: str
    inputs: tuple[str, ...]


@dataclass(frozen=True)
class Flow:
    """A yearly flow per buurt, estimated from observations and a parameter."""

    name: str
    narration: str
    debit: str
    credit: str
    alternatives: tuple[tuple[str, ...], ...]
    parameter: str | None = None
    counterparty: str | None = None


@dataclass(frozen=True)
class Parameter:
    """A versioned figure used by an estimate, with its source."""

    name: str
    year: int
    value: Decimal
    unit: str
    source: str
    assumption: str = ""


@dataclass(frozen=True)
class Column:
    """A column of one table matched to a catalogue variable."""

    key: str
    variable: Variable


@dataclass(frozen=True)
class Catalogue:
    """Everything the importer reads from the catalogue file."""

    variables: tuple[Variable, ...]
    stocks: tuple[Stock, ...]
    flows: tuple[Flow, ...]
    commodities: Mapping[str, str]
    sectors: Mapping[str, str]

    def variable(self, name: str) -> Variable | None:
        """The variable with this observation name."""
        return next((v for v in self.variables if v.name == name), None)

    def match(
        self, table: str, properties: Iterable[Mapping[str, Any]]
    ) -> list[Column]:
        """Match the topics of a table's DataProperties to the catalogue.

        Raises:
          UnitMismatch: a matched column has another unit than the catalogue.
          AmbiguousColumn: two columns share a stem of one variable.
        """
        topics: dict[str, list[Mapping[str, Any]]] = {}
        for prop in properties:
            if prop.get("Type") == "Topic" and prop.get("Key"):
                topics.setdefault(stem(str(prop["Key"])), []).append(prop)
        columns: list[Column] = []
        for variable in self.variables:
            found = [p for s in variable.stems for p in topics.get(s, [])]
            if not found:
                continue
            if len(found) > 1:
                keys = [str(p["Key"]) for p in found]
                raise AmbiguousColumn(table, variable.name, keys)
            prop = found[0]
            unit = str(prop.get("Unit") or "").strip()
            if unit != variable.cbs_unit:
                raise UnitMismatch(
                    table, str(prop["Key"]), unit, variable.cbs_unit, variable.name
                )
            columns.append(Column(str(prop["Key"]), variable))
        return columns


def _require(table: Mapping[str, Any], key: str, path: Path, kind: str) -> Any:
    if key not in table:
        raise CatalogueError(str(path), f"a [[{kind}]] lacks `{key}`")
    return table[key]


def _variable(raw: Mapping[str, Any], path: Path) -> Variable:
    rule = str(_require(raw, "rule", path, "variable"))
    weight = raw.get("weight")
    if rule not in ("sum", "weighted-mean") or (rule == "weighted-mean") != bool(
        weight
    ):
        raise CatalogueError(
            str(path),
            f"variable {raw.get('name')}: rule is 'sum' or 'weighted-mean' with"
            " a weight",
        )
    return Variable(
        name=str(_require(raw, "name", path, "variable")),
        stems=tuple(str(s) for s in _require(raw, "stems", path, "variable")),
        cbs_unit=str(_require(raw, "cbs_unit", path, "variable")),
        unit=str(_require(raw, "unit", path, "variable")),
        scale=Decimal(str(_require(raw, "scale", path, "variable"))),
        rule=rule,
        weight=str(weight) if weight else None,
        unverified=str(raw["unverified"]) if raw.get("unverified") else None,
    )


def load_catalogue(path: Path = CATALOGUE_PATH) -> Catalogue:
    """Read and check the variable catalogue.

    Raises:
      CatalogueError: the file is missing, not TOML, or inconsistent.
    """
    raw = _read_toml(path)
    variables = tuple(_variable(v, path) for v in raw.get("variable", []))
    names = {v.name for v in variables}
    stocks = tuple(
        Stock(
            name=str(_require(s, "name", path, "stock")),
            account=str(_require(s, "account", path, "stock")),
            commodity=str(_require(s, "commodity", path, "stock")),
            inputs=tuple(str(i) for i in _require(s, "inputs", path, "stock")),
        )
        for s in raw.get("stock", [])
    )
    flows = tuple(
        Flow(
            name=str(_require(f, "name", path, "flow")),
            narration=str(f.get("narration", f.get("name"))),
            debit=str(_require(f, "debit", path, "flow")),
            credit=str(_require(f, "credit", path, "flow")),
            alternatives=tuple(
                tuple(str(i) for i in alt)
                for alt in _require(f, "alternatives", path, "flow")
            ),
            parameter=f.get("parameter"),
            counterparty=f.get("counterparty"),
        )
        for f in raw.get("flow", [])
    )
    used = {i for s in stocks for i in s.inputs} | {
        i for f in flows for alt in f.alternatives for i in alt
    }
    used |= {v.weight for v in variables if v.weight}
    unknown = sorted(used - names)
    if unknown:
        raise CatalogueError(
            str(path), f"stocks, flows or weights name unknown variables: {unknown}"
        )
    commodities = {
        str(c["name"]): str(c["value-type"]) for c in raw.get("commodity", [])
    }
    return Catalogue(
        variables, stocks, flows, commodities, dict(raw.get("accounts", {}))
    )


def load_parameters(path: Path = PARAMETERS_PATH) -> list[Parameter]:
    """Read the versioned parameters.

    Raises:
      CatalogueError: the file is missing, not TOML, or a value is no number.
    """
    raw = _read_toml(path)
    parameters = []
    for item in raw.get("parameter", []):
        try:
            value = Decimal(str(_require(item, "value", path, "parameter")))
        except InvalidOperation as exc:
            raise CatalogueError(
                str(path), f"parameter {item.get('name')}: value is not a number"
            ) from exc
        parameters.append(
            Parameter(
                name=str(_require(item, "name", path, "parameter")),
                year=int(_require(item, "year", path, "parameter")),
                value=value,
                unit=str(_require(item, "unit", path, "parameter")),
                source=str(_require(item, "source", path, "parameter")),
                assumption=str(item.get("assumption", "")),
            )
        )
    return parameters


def parameter_for(
    parameters: Iterable[Parameter], name: str, year: int
) -> Parameter | None:
    """The parameter of ``year``, else the latest earlier one, else the earliest."""
    candidates = sorted((p for p in parameters if p.name == name), key=lambda p: p.year)
    if not candidates:
        return None
    earlier = [p for p in candidates if p.year <= year]
    return earlier[-1] if earlier else candidates[0]


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise CatalogueError(str(path), f"cannot read it ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(str(path), f"not valid TOML ({exc})") from exc
