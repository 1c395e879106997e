"""A downloaded CBS table: its metadata, its rows, and reading it from disk.

A snapshot folder holds one bare JSON array per OData name, as
``cbsodata.download_data(dir=...)`` writes it: ``TableInfos.json``,
``DataProperties.json``, ``TypedDataSet.json``, ``WijkenEnBuurten.json``
(and ``CategoryGroups.json``, which the importer does not need).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wijkboekhouding.importers.cbs.errors import (
    GemeenteNotInTable,
    NotKerncijfers,
    SnapshotError,
)

log = logging.getLogger(__name__)

KERNCIJFERS = "kerncijfers wijken en buurten"
GEO_DIMENSION = "WijkenEnBuurten"
DATA_SETS = ("TypedDataSet", "UntypedDataSet")

Row = Mapping[str, Any]


@dataclass(frozen=True)
class CbsTable:
    """One Kerncijfers table, as far as the importer needs it."""

    table_id: str
    title: str
    period: str
    properties: list[Row]
    rows: list[Row]
    titles: Mapping[str, str]

    @property
    def year(self) -> int | None:
        """The year of the table: its Period, else the first year in its title."""
        for text in (self.period, self.title):
            found = re.search(r"(19|20)\d\d", text or "")
            if found:
                return int(found.group(0))
        return None

    @property
    def map_year(self) -> int | None:
        """The year of the boundaries (``MapYear`` of the geo dimension)."""
        for prop in self.properties:
            if prop.get("Type") == "GeoDetail" and prop.get("MapYear"):
                return int(prop["MapYear"])
        return self.year


def filter_for_gemeente(gemeente: str) -> str:
    """The OData ``$filter`` selecting a gemeente, its wijken and its buurten."""
    digits = gemeente[2:]
    return (
        f"{GEO_DIMENSION} eq '{gemeente.ljust(10)}'"
        f" or startswith({GEO_DIMENSION},'WK{digits}')"
        f" or startswith({GEO_DIMENSION},'BU{digits}')"
    )


def area_code(row: Row) -> str:
    """The area code of a row, without CBS's space padding.

    ``Codering_N`` keeps the code even when ``cbsodata.get_data`` replaced
    the geo column by its title.
    """
    for key, value in row.items():
        if key.startswith("Codering_") and isinstance(value, str) and value.strip():
            return value.strip()
    return str(row.get(GEO_DIMENSION, "")).strip()


def belongs_to(code: str, gemeente: str) -> bool:
    """Whether an area code is the gemeente itself or lies inside it."""
    digits = gemeente[2:]
    return (
        code == gemeente
        or code.startswith("WK" + digits)
        or code.startswith("BU" + digits)
    )


def build_table(
    table_id: str, parts: Mapping[str, Any], gemeente: str, where: str
) -> CbsTable:
    """Check the downloaded parts of a table and keep the gemeente's rows.

    Raises:
      SnapshotError: a part is missing or not a list of objects.
      NotKerncijfers: the table is another kind of table.
      GemeenteNotInTable: no row belongs to the gemeente.
    """
    info = _records(parts, "TableInfos", table_id, where)
    if not info:
        raise SnapshotError(where, table_id, "TableInfos is empty")
    title = str(info[0].get("Title") or "").strip()
    identifier = str(info[0].get("Identifier") or table_id).strip()
    if identifier.upper() != table_id.upper():
        raise SnapshotError(where, table_id, f"it holds table {identifier}")
    if not title.lower().startswith(KERNCIJFERS):
        raise NotKerncijfers(table_id, title)
    properties = _records(parts, "DataProperties", table_id, where)
    data_set = next((name for name in DATA_SETS if name in parts), DATA_SETS[0])
    rows = [
        row
        for row in _records(parts, data_set, table_id, where)
        if belongs_to(area_code(row), gemeente)
    ]
    if not rows:
        raise GemeenteNotInTable(table_id, gemeente)
    titles = {
        str(item.get("Key", "")).strip(): str(item.get("Title", "")).strip()
        for item in _records(parts, GEO_DIMENSION, table_id, where, required=False)
    }
    return CbsTable(
        table_id=identifier,
        title=title,
        period=str(info[0].get("Period") or ""),
        properties=properties,
        rows=rows,
        titles=titles,
    )


def _records(
    parts: Mapping[str, Any],
    name: str,
    table_id: str,
    where: str,
    *,
    required: bool = True,
) -> list[Row]:
    value = parts.get(name)
    if value is None:
        if required:
            raise SnapshotError(where, table_id, f"{name} is missing")
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise SnapshotError(where, table_id, f"{name} is not a list of records")
    return value


def read_snapshot(folder: Path, table_id: str, gemeente: str) -> CbsTable:
    """Read a snapshot folder written by ``wijkboekhouding download cbs``.

    Raises:
      SnapshotError: the folder or a needed file is missing or malformed.
      NotKerncijfers, GemeenteNotInTable: as :func:`build_table`.
    """
    if not folder.is_dir():
        raise SnapshotError(str(folder), table_id, "no such folder")
    parts: dict[str, Any] = {}
    for name in ("TableInfos", "DataProperties", *DATA_SETS, GEO_DIMENSION):
        path = folder / f"{name}.json"
        if not path.exists():
            continue
        try:
            parts[name] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SnapshotError(str(path), table_id, f"cannot read it: {exc}") from exc
    log.info("read snapshot %s of table %s", folder, table_id)
    return build_table(table_id, parts, gemeente, str(folder))


def write_snapshot(folder: Path, parts: Mapping[str, Any]) -> list[Path]:
    """Write downloaded parts in the layout ``cbsodata.download_data`` uses."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, records in parts.items():
        path = folder / f"{name}.json"
        path.write_text(json.dumps(records, indent=2), encoding="utf-8")
        written.append(path)
    return written
