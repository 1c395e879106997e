"""Read a CSV or Excel file into rows of named cells, with their row numbers.

CSV files may use any delimiter (``;``, ``,``, tab or ``|``, recognised from
the file unless the mapping declares it) and any encoding: UTF-8 (with or
without byte-order mark) and UTF-16 are recognised; other files are read as
Windows-1252, the encoding Excel uses for CSV on Dutch Windows.  A mapping
that declares an encoding gets exactly that.  A file that does not fit its
encoding is rejected with the line where decoding failed (see
:mod:`~wijkboekhouding.importers.table.encoding`).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

from wijkboekhouding.importers.table.encoding import decode
from wijkboekhouding.importers.table.review import UnreadableFile
from wijkboekhouding.importers.table.values import cell_text

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
DELIMITERS = ";,\t|"


@dataclass(frozen=True)
class Row:
    """One data row: its number as the user sees it and its cells by column."""

    number: int
    cells: dict[str, Any]


@dataclass(frozen=True)
class Table:
    """The rows of one file or sheet."""

    file: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


def read_table(
    path: Path,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    default_sheet: str | None = None,
) -> Table:
    """Read a CSV or xlsx file; the first non-empty row holds the column names.

    ``sheet`` is the sheet the user asked for (an error on a CSV file);
    ``default_sheet`` the one the mapping names, used for xlsx files only.

    Raises:
      UnreadableFile: wrong encoding, unknown sheet, no header, or not a
        readable file at all.
    """
    if not path.is_file():
        raise UnreadableFile(str(path), "no such file")
    raw = path.read_bytes()
    if path.suffix.lower() in EXCEL_SUFFIXES or raw[:4] == b"PK\x03\x04":
        return _read_excel(path, sheet or default_sheet)
    if sheet is not None:
        raise UnreadableFile(
            str(path), f"--sheet {sheet!r} was given but this is a CSV file, not xlsx"
        )
    text = decode(str(path), raw, encoding)
    return _read_csv(str(path), text, delimiter)


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text, judged from its first lines."""
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        header = sample.splitlines()[0] if sample else ""
        counts = {d: header.count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _read_csv(file: str, text: str, delimiter: str | None) -> Table:
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter or sniff_delimiter(text)
    )
    records: list[tuple[int, list[str]]] = []
    try:
        for record in reader:
            records.append((reader.line_num, record))
    except csv.Error as exc:
        raise UnreadableFile(
            file, f"line {reader.line_num} is not valid CSV ({exc})"
        ) from exc
    return _build(file, iter(records))


def _read_excel(path: Path, sheet: str | None) -> Table:
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile(
            str(path), f"is not a readable Excel (.xlsx) file ({exc})"
        ) from exc
    try:
        if sheet is None:
            worksheet = book.worksheets[0]
        elif sheet in book.sheetnames:
            worksheet = book[sheet]
        else:
            raise UnreadableFile(
                str(path),
                f"has no sheet {sheet!r}; its sheets are:"
                f" {', '.join(repr(n) for n in book.sheetnames)}",
            )
        records = [
            (number, list(values))
            for number, values in enumerate(worksheet.iter_rows(values_only=True), 1)
        ]
    finally:
        book.close()
    name = f"{path}[{sheet}]" if sheet else str(path)
    return _build(name, iter(records))


def _build(file: str, records: Iterator[tuple[int, list[Any]]]) -> Table:
    """Take the first non-empty record as the header and the rest as rows."""
    header: list[str] | None = None
    rows: list[Row] = []
    for number, record in records:
        if all(cell_text(cell) == "" for cell in record):
            continue
        if header is None:
            header = [cell_text(cell) for cell in record]
            _check_header(file, header)
            continue
        cells = {
            name: record[index] if index < len(record) else None
            for index, name in enumerate(header)
            if name
        }
        rows.append(Row(number, cells))
    if header is None:
        raise UnreadableFile(file, "is empty; the first row must name the columns")
    return Table(file, tuple(name for name in header if name), tuple(rows))


def _check_header(file: str, header: list[str]) -> None:
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise UnreadableFile(
                file, f"column {name!r} occurs twice in the header; rename one"
            )
        seen.add(name)
