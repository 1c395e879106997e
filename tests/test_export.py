"""Exporting the postings table to CSV, Excel and Parquet."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
from click.testing import CliRunner

from wijkboekhouding.engine.cli import cli


def export(ledger: Path, output: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["export", str(ledger), str(output), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_csv_export_holds_every_posting_of_the_period_exactly(
    demo_ledger: Path, tmp_path: Path
) -> None:
    output = tmp_path / "postings.csv"
    assert export(demo_ledger, output, "--period", "2024") == f"{output}: 23 postings\n"
    with output.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    subsidy = [r for r in rows if r["account"] == "Income:Subsidie:Gemeente"]
    assert [
        (r["date"], r["amount"], r["unit"], r["area"], r["wijk"]) for r in subsidy
    ] == [("2024-02-12", "-4000.00", "EUR", "BU02020211", "WK020202")]
    euros = sum(Decimal(r["amount"]) for r in rows if r["unit"] == "EUR")
    assert euros == Decimal("0.00")
    assert "q" not in rows[0] and "txn" not in rows[0]


def test_parquet_export_keeps_amounts_as_decimals(
    demo_ledger: Path, tmp_path: Path
) -> None:
    output = tmp_path / "postings.parquet"
    export(demo_ledger, output)
    table = pq.read_table(output)
    assert str(table.schema.field("amount").type) == "decimal128(6, 2)"
    frame = table.to_pandas()
    bank = frame[frame["account"] == "Assets:Vereniging:Bank"]
    assert sum(bank["amount"], Decimal(0)) == Decimal("6118.45")
    # Seven transactions of two postings in 2023, 23 postings in 2024.
    assert len(frame) == 37


def test_excel_export_has_one_sheet_of_postings(
    demo_ledger: Path, tmp_path: Path
) -> None:
    output = tmp_path / "postings.xlsx"
    export(demo_ledger, output, "--period", "2023")
    sheet = openpyxl.load_workbook(output)["postings"]
    header = [cell.value for cell in sheet[1]]
    assert header[:7] == ["date", "recorded", "id", "account", "root", "amount", "unit"]
    amounts = [row[5] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(amounts) == 14  # seven transactions of two postings
    assert 3500.0 in amounts and -3500.0 in amounts


def test_an_unknown_extension_is_a_clear_error(
    demo_ledger: Path, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        cli, ["export", str(demo_ledger), str(tmp_path / "x.ods")]
    )
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path / 'x.ods'}: cannot tell the format from '.ods'; end the"
        " file name in .csv, .xlsx, .parquet\n"
    )
