"""Run one CBS import: read the table, plan the entries, revise, append.

Where entries go: ``cbs.beancount`` beside the main ledger file.  The first
import creates it and appends ``include "cbs.beancount"`` to the main file;
both writes go through the journal's lock and atomic replace, the entries
first, so a failure leaves the main file as it was.  Everything is validated
and built in memory before the single append.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from beancount.core import data
from beancount.parser import parser

from wijkboekhouding.engine import journal
from wijkboekhouding.engine.ledger import load
from wijkboekhouding.importers.cbs.catalogue import (
    Catalogue,
    Parameter,
    load_catalogue,
    load_parameters,
)
from wijkboekhouding.importers.cbs.errors import BadOption
from wijkboekhouding.importers.cbs.revisions import Known, Revision, revise
from wijkboekhouding.importers.cbs.summary import Summary, sum_checks, without
from wijkboekhouding.importers.cbs.table import CbsTable
from wijkboekhouding.importers.cbs.transform import Context, Plan, build_plan

log = logging.getLogger(__name__)

TARGET_NAME = "cbs.beancount"
TARGET_HEADER = (
    "; Entries written by `wijkboekhouding import cbs`: areas, observations,"
    " stocks and\n; estimated flows from CBS Kerncijfers wijken en buurten"
    " (Bron: CBS, CC BY 4.0).\n; Do not edit: corrections are appended"
    " as new entries.\n"
)
_GEMEENTE = re.compile(r"GM\d{4}")
_TABLE = re.compile(r"[0-9A-Za-z]{4,16}")


@dataclass(frozen=True)
class Timings:
    """Seconds spent in each stage of an import."""

    load: float
    transform: float
    write: float


def check_gemeente(gemeente: str) -> str:
    """The gemeente code, checked.

    Raises:
      BadOption: it is not GM and four digits.
    """
    if not _GEMEENTE.fullmatch(gemeente):
        raise BadOption("--gemeente", gemeente, "use GM and four digits, e.g. GM0202")
    return gemeente


def check_table(table: str) -> str:
    """The table id, checked.

    Raises:
      BadOption: it is not a CBS table id (letters and digits).
    """
    if not _TABLE.fullmatch(table):
        raise BadOption("--table", table, "give a CBS table id such as 85984NED")
    return table


def plan_table(
    table: CbsTable,
    catalogue: Catalogue,
    parameters: list[Parameter],
    year: int | None = None,
) -> tuple[Plan, Context]:
    """Match the table's columns and build every candidate entry."""
    columns = catalogue.match(table.table_id, table.properties)
    table_year = year or table.year
    if table_year is None:
        raise BadOption(
            "--year", "", f"table {table.table_id} names no year; give --year YYYY"
        )
    context = Context(
        table_id=table.table_id,
        year=table_year,
        map_year=table.map_year or table_year,
        catalogue=catalogue,
        parameters=parameters,
    )
    return build_plan(table.rows, columns, table.titles, context), context


def run_import(
    ledger_path: Path,
    gemeente: str,
    read_table: Callable[[], CbsTable],
    *,
    year: int | None = None,
    dry_run: bool = False,
) -> tuple[Summary, Timings]:
    """Import one table into a ledger and say what happened.

    ``read_table`` fetches or reads the table; it runs after the ledger is
    loaded, so a missing ledger is reported before any download.
    """
    started = time.perf_counter()
    ledger = load(ledger_path)
    target = ledger_path.parent / TARGET_NAME
    raw = parser.parse_file(str(target))[0] if target.exists() else []
    known = Known.from_entries(ledger.entries, raw)
    loaded = time.perf_counter()

    # Read and transform the table, then compare with the ledger.
    table = read_table()
    plan, context = plan_table(table, load_catalogue(), load_parameters(), year)
    absent = plan.absent(context)
    revision = revise(plan.entries, known, table.table_id, absent)
    transformed = time.perf_counter()
    missing, not_estimated = _not_withdrawn(plan, revision)

    summary = Summary(
        table=table.table_id,
        title=table.title,
        gemeente=gemeente,
        year=context.year,
        target=str(target),
        areas=len(plan.rows),
        new=revision.new,
        unchanged=revision.unchanged,
        corrected=revision.corrected,
        declared=revision.declared,
        missing=missing,
        not_estimated=not_estimated,
        checks=sum_checks(plan.rows, context.catalogue),
        corrections=revision.corrections,
        withdrawn=[w.line() for w in revision.withdrawn],
        changed_areas=revision.changed_areas,
        written=len(revision.entries),
        dry_run=dry_run,
    )
    if not dry_run:
        write(ledger_path, target, revision.entries, known.ids)
    written = time.perf_counter()
    return summary, Timings(
        loaded - started, transformed - loaded, written - transformed
    )


def _not_withdrawn(
    plan: Plan, revision: Revision
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The missing figures and estimates, less those listed as withdrawn."""
    gone = {(w.listed, w.code) for w in revision.withdrawn}
    return without(plan.missing, gone), without(plan.not_estimated, gone)


def write(
    ledger_path: Path, target: Path, entries: list[data.Directive], known_ids: set[str]
) -> None:
    """Append the entries to the target file, then include it from the main file."""
    if entries:
        if not target.exists():
            with journal.locked(target):
                target.touch()  # so the file gets the usual permissions
                journal.replace_atomically(target, TARGET_HEADER.encode("utf-8"))
        journal.append(target, entries, known_ids=known_ids)
    if target.exists():
        journal.include_once(ledger_path, target)
