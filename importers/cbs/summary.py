"""The import summary: counts, missing values, and buurt-sum checks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from wijkboekhouding.engine.model import GEMEENTE, WIJK
from wijkboekhouding.importers.cbs.catalogue import Catalogue
from wijkboekhouding.importers.cbs.transform import AreaRow

SHOWN_CODES = 8


@dataclass(frozen=True)
class SumCheck:
    """An additive figure of an area that its sub-areas do not add up to."""

    name: str
    area: str
    area_name: str
    published: Decimal
    parts: Decimal
    parts_missing: int

    def line(self) -> str:
        """The check as one line of the summary."""
        missing = (
            f", {self.parts_missing} sub-area(s) without a figure"
            if self.parts_missing
            else ""
        )
        return (
            f"{self.name}: {self.area} {self.area_name} {self.published:f},"
            f" its sub-areas add up to {self.parts:f}"
            f" (difference {self.published - self.parts:f}{missing})"
        )


@dataclass
class Summary:
    """What one import did."""

    table: str
    title: str
    gemeente: str
    year: int
    target: str
    areas: int
    new: int = 0
    unchanged: int = 0
    corrected: int = 0
    declared: int = 0
    missing: dict[str, list[str]] = field(default_factory=dict)
    not_estimated: dict[str, list[str]] = field(default_factory=dict)
    checks: list[SumCheck] = field(default_factory=list)
    corrections: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    changed_areas: list[str] = field(default_factory=list)
    written: int = 0
    dry_run: bool = False

    @property
    def skipped_missing(self) -> int:
        """How many values were missing or suppressed (no entry written)."""
        return sum(len(codes) for codes in self.missing.values())

    def lines(self) -> list[str]:
        """The summary as the command prints it."""
        verb = "would write" if self.dry_run else "wrote"
        out = [
            f"table {self.table} ({self.title}), gemeente {self.gemeente},"
            f" year {self.year}: {self.areas} areas",
            f"{verb} {self.written} entries to {self.target}",
            f"new {self.new}, unchanged {self.unchanged}, corrected"
            f" {self.corrected}, withdrawn {len(self.withdrawn)}, skipped-missing"
            f" {self.skipped_missing} (already declared in the ledger:"
            f" {self.declared})",
        ]
        if self.corrections:
            out.append("corrected (CBS revised these figures):")
            out.extend(f"  {line}" for line in self.corrections)
        if self.withdrawn:
            out.append(
                "withdrawn since the last import (CBS no longer publishes these"
                " figures; their entries are undone):"
            )
            out.extend(f"  {line}" for line in self.withdrawn)
        if self.changed_areas:
            out.append("areas whose CBS name or parent changed (not corrected):")
            out.extend(f"  {line}" for line in self.changed_areas)
        if self.missing:
            out.append("missing or suppressed in CBS (no entry, never zero):")
            out.extend(f"  {_codes(n, c, self.areas)}" for n, c in self.missing.items())
        if self.not_estimated:
            out.append("not estimated (an input is missing):")
            out.extend(f"  {_codes(n, c)}" for n, c in self.not_estimated.items())
        if self.checks:
            out.append(
                "checks: published totals that their sub-areas do not add up to:"
            )
            out.extend(f"  {check.line()}" for check in self.checks)
        else:
            out.append("checks: every additive total equals the sum of its sub-areas")
        return out


def without(
    listing: dict[str, list[str]], gone: set[tuple[str, str]]
) -> dict[str, list[str]]:
    """A listing of codes per name, less the (name, code) pairs in ``gone``."""
    kept = {
        name: [code for code in codes if (name, code) not in gone]
        for name, codes in listing.items()
    }
    return {name: codes for name, codes in kept.items() if codes}


def _codes(name: str, codes: Sequence[str], total: int | None = None) -> str:
    count = f"{len(codes)} areas" + (" (all)" if total == len(codes) else "")
    shown = ", ".join(codes[:SHOWN_CODES])
    more = f", ... {len(codes) - SHOWN_CODES} more" if len(codes) > SHOWN_CODES else ""
    return f"{name}: {count}: {shown}{more}"


def sum_checks(rows: Sequence[AreaRow], catalogue: Catalogue) -> list[SumCheck]:
    """Compare each wijk with its buurten and the gemeente with its wijken.

    Only variables aggregated by ``sum`` are checked; differences from CBS's
    rounding or suppression are reported per area, not hidden.
    """
    additive = [v.name for v in catalogue.variables if v.rule == "sum"]
    children: dict[str, list[AreaRow]] = {}
    for row in rows:
        if row.parent:
            children.setdefault(row.parent, []).append(row)
    checks: list[SumCheck] = []
    for row in rows:
        if row.level not in (GEMEENTE, WIJK) or row.code not in children:
            continue
        parts = children[row.code]
        for name in additive:
            published = row.values.get(name)
            if published is None:
                continue
            known = [p.values[name] for p in parts if name in p.values]
            total = sum(known, Decimal(0))
            if total != published:
                checks.append(
                    SumCheck(
                        name,
                        row.code,
                        row.name,
                        published,
                        total,
                        len(parts) - len(known),
                    )
                )
    return checks
