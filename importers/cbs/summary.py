"""The import summary: counts, missing values, and buurt-sum checks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from wijkboekhouding.engine.model import BUURT, GEMEENTE, WIJK
from wijkboekhouding.importers.cbs.catalogue import Catalogue
from wijkboekhouding.importers.cbs.transform import AreaRow

SHOWN_CODES = 8


@dataclass(frozen=True)
class SumCheck:
    """An additive figure of an area that its wijken or buurten do not add up to.

    ``level`` names the parts in the plural: ``wijken`` or ``buurten``.
    """

    name: str
    area: str
    area_name: str
    published: Decimal
    parts: Decimal
    parts_missing: int
    level: str = "buurten"

    def line(self) -> str:
        """The check as one line of the summary."""
        missing = (
            f", {self.parts_missing} of them without a figure"
            if self.parts_missing
            else ""
        )
        return (
            f"{self.name}: {self.area} {self.area_name} {self.published:f},"
            f" its {self.level} add up to {self.parts:f}"
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
    """Compare each wijk with its buurten, the gemeente with its wijken and buurten.

    Only variables aggregated by ``sum`` are checked; differences from CBS's
    rounding or suppression are reported per area, not hidden.
    """
    additive = [v.name for v in catalogue.variables if v.rule == "sum"]
    wijken: dict[str, list[AreaRow]] = {}
    buurten: dict[str, list[AreaRow]] = {}
    for row in rows:
        if row.level == WIJK and row.parent:
            wijken.setdefault(row.parent, []).append(row)
        elif row.level == BUURT and row.parent:
            buurten.setdefault(row.parent, []).append(row)
            buurten.setdefault(_gemeente_of(row.code), []).append(row)
    checks: list[SumCheck] = []
    for row in rows:
        groups = {"wijken": wijken.get(row.code, [])} if row.level == GEMEENTE else {}
        if row.level in (GEMEENTE, WIJK):
            groups["buurten"] = buurten.get(row.code, [])
        for name in additive:
            for level, parts in groups.items():
                check = _check(row, name, level, parts)
                if check is not None:
                    checks.append(check)
    return checks


def _gemeente_of(buurt: str) -> str:
    """The gemeente of a buurt code: BU02020211 lies in GM0202."""
    return "GM" + buurt[2:6]


def _check(
    row: AreaRow, name: str, level: str, parts: Sequence[AreaRow]
) -> SumCheck | None:
    """The difference of one figure from the sum of its parts, if any."""
    published = row.values.get(name)
    if published is None or not parts:
        return None
    known = [p.values[name] for p in parts if name in p.values]
    total = sum(known, Decimal(0))
    if total == published:
        return None
    missing = len(parts) - len(known)
    return SumCheck(name, row.code, row.name, published, total, missing, level)
