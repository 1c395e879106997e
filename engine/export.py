"""Export the postings table to CSV, Excel or Parquet.

The exported table is the long table every report is computed from, one row
per posting: date, recorded, id, account, amount, unit, the area and its
buurt, wijk and gemeente, value type, sector, source, method, counterparty
area, narration, file and line.  Amounts stay exact: as written in CSV, as
a decimal column in Parquet; Excel holds them as numbers.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from wijkboekhouding.engine.errors import WijkboekhoudingError

log = logging.getLogger(__name__)

FORMATS = {".csv": "csv", ".xlsx": "excel", ".parquet": "parquet"}

# Working columns of the projection that mean nothing outside one load.
INTERNAL = ("txn", "q")


class UnknownExportFormat(WijkboekhoudingError):
    """The output file's extension names no format we write."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path}: cannot tell the format from {path.suffix or 'no extension'!r};"
            f" end the file name in {', '.join(FORMATS)}"
        )


class ExportWriteError(WijkboekhoudingError):
    """The export file could not be written."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: could not write the export ({reason})")


def export_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The postings table as exported: dates as dates, no working columns."""
    table = frame.drop(columns=[c for c in INTERNAL if c in frame.columns])
    return table.assign(date=table["date"].dt.date)


def export(frame: pd.DataFrame, path: Path) -> int:
    """Write the postings table to ``path``; return the number of rows.

    Raises:
      UnknownExportFormat: the extension is not .csv, .xlsx or .parquet.
      ExportWriteError: the file could not be written.
    """
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise UnknownExportFormat(path)
    table = export_table(frame)
    try:
        if kind == "csv":
            table.to_csv(path, index=False)
        elif kind == "excel":
            numbers = table.assign(amount=table["amount"].map(float))
            numbers.to_excel(path, index=False, sheet_name="postings")
        else:
            table.to_parquet(path, index=False)
    except OSError as exc:
        raise ExportWriteError(path, exc.strerror or str(exc)) from exc
    log.info("exported %d postings to %s", len(table), path)
    return len(table)
