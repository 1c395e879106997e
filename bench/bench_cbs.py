"""Speed of the CBS importer: a national table, and one gemeente from a snapshot.

Usage: ``python bench/bench_cbs.py [--quick]``.  Measures in this one run:

- all 16,667 rows of the national 2017 file (83765NED, bench/data) through
  the importer's transformation, then written with the journal's append;
  rows per second and the split between transformation and writing, beside
  plain Beancount parsing the file that was written (the baseline);
- importing one gemeente (GM0202, 108 areas) from the bundled 85984NED
  snapshot into a new ledger, in this process and as a CLI run, and the
  re-import that writes nothing (goal: well under 2 s).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from beancount.parser import parser

from wijkboekhouding.engine import journal
from wijkboekhouding.importers.cbs.catalogue import load_catalogue, load_parameters
from wijkboekhouding.importers.cbs.importer import plan_table, run_import
from wijkboekhouding.importers.cbs.table import CbsTable, read_snapshot

ROOT = Path(__file__).resolve().parent.parent

DATA = ROOT / "bench" / "data"
SNAPSHOT = ROOT / "tests" / "fixtures" / "cbs" / "odata3" / "85984NED"
CLI = Path(sys.executable).parent / "wijkboekhouding"


def national_table(limit: int | None) -> CbsTable:
    """The 2017 national file as a table, cast the way the typed data set is."""
    properties = json.loads((DATA / "83765NED_DataProperties.json").read_text())
    info = json.loads((DATA / "83765NED_TableInfos.json").read_text())[0]
    numeric = {
        p["Key"]: p["Datatype"]
        for p in properties
        if p.get("Type") == "Topic" and p.get("Datatype") != "String"
    }
    rows: list[dict[str, Any]] = []
    path = DATA / "83765NED_selected_columns_all_regions.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for raw in csv.DictReader(handle):
            row: dict[str, Any] = dict(raw)
            for key, kind in numeric.items():
                text = raw[key].strip()
                if text in (".", ""):
                    row[key] = None
                else:
                    row[key] = int(text) if kind == "Long" else float(text)
            rows.append(row)
            if limit and len(rows) >= limit:
                break
    return CbsTable("83765NED", info["Title"], info["Period"], properties, rows, {})


def bench_national(quick: bool) -> None:
    """Transformation and writing of every area of the national file."""
    table = national_table(4_000 if quick else None)
    catalogue, parameters = load_catalogue(), load_parameters()
    start = time.perf_counter()
    plan, _ = plan_table(table, catalogue, parameters)
    transform = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "cbs.beancount"
        start = time.perf_counter()
        journal.append(target, plan.entries)
        write = time.perf_counter() - start
        start = time.perf_counter()
        parsed, errors, _ = parser.parse_file(str(target))
        plain = time.perf_counter() - start
        size = target.stat().st_size
    rows = len(table.rows)
    total = transform + write
    print(f"national 83765NED (2017): {rows:,} rows -> {len(plan.entries):,} entries")
    print(
        f"  transformation          {transform:8.2f} s"
        f"   {rows / transform:10,.0f} rows/s"
    )
    print(
        f"  writing (journal.append){write:8.2f} s   {len(plan.entries) / write:10,.0f}"
        f" entries/s   {size / 1e6:.1f} MB"
    )
    print(
        f"  total                   {total:8.2f} s   {rows / total:10,.0f} rows/s"
        f"   split {transform / total:.0%} transformation / {write / total:.0%} writing"
    )
    print(
        f"  plain beancount parse   {plain:8.2f} s   of the written file"
        f" ({len(parsed):,} entries, {len(errors)} errors)"
    )
    print(f"  ratio import/parse      {total / plain:8.2f}")


def bench_gemeente() -> None:
    """One gemeente from the bundled snapshot into a new ledger."""
    with tempfile.TemporaryDirectory() as folder:
        ledgers = []
        for name in ("inproc", "cli"):
            subprocess.run(
                [str(CLI), "new", f"{folder}/{name}", "--gemeente", "GM0202"],
                check=True,
                capture_output=True,
            )
            ledgers.append(Path(folder) / name / "main.beancount")

        def reader() -> CbsTable:
            return read_snapshot(SNAPSHOT, "85984NED", "GM0202")

        start = time.perf_counter()
        summary, timings = run_import(ledgers[0], "GM0202", reader)
        first = time.perf_counter() - start
        start = time.perf_counter()
        again, _ = run_import(ledgers[0], "GM0202", reader)
        second = time.perf_counter() - start
        command = [
            str(CLI),
            "import",
            "cbs",
            str(ledgers[1]),
            "--table",
            "85984NED",
            "--gemeente",
            "GM0202",
            "--from",
            str(SNAPSHOT),
        ]
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        cli = time.perf_counter() - start
        start = time.perf_counter()
        parser.parse_file(str(ledgers[0].parent / "cbs.beancount"))
        plain = time.perf_counter() - start
    print(f"one gemeente GM0202 from the 85984NED snapshot: {summary.areas} areas")
    print(
        f"  import into a new ledger {first:7.2f} s   ({summary.written:,} entries;"
        f" load {timings.load:.2f} s, read+transform {timings.transform:.2f} s,"
        f" write {timings.write:.2f} s)   goal < 2 s"
    )
    print(f"  re-import, writes {again.written:<6} {second:7.2f} s")
    print(f"  CLI run incl. start-up   {cli:7.2f} s")
    print(f"  plain beancount parse    {plain:7.2f} s   of the written cbs.beancount")


def main() -> None:
    """Run both measurements."""
    quick = "--quick" in sys.argv
    bench_national(quick)
    sys.stdout.flush()
    bench_gemeente()


if __name__ == "__main__":
    main()
