"""Suppress the figures of areas with too few inhabitants.

Figures about a handful of households are personal data.  As CBS does, a
report can leave out every figure of an area whose inhabitants (the
``inwoners`` observation, own or aggregated) number fewer than a minimum;
an area without that observation is suppressed too, since nothing shows it
is large enough.  The rows stay, with their figures blank, and the report
says which areas it suppressed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pandas as pd

from wijkboekhouding.engine.areas import AreaRegistry
from wijkboekhouding.engine.model import INHABITANTS
from wijkboekhouding.engine.observations import Observations

# Columns that name a row rather than report a figure about it.
LABELS = ("area", "name", "key", "unit")


@dataclass(frozen=True)
class Suppression:
    """A table with small areas blanked, and the codes that were blanked."""

    table: pd.DataFrame
    suppressed: tuple[str, ...]
    minimum: int

    def note(self) -> str | None:
        """A line saying what was suppressed, or None."""
        if not self.suppressed:
            return None
        return (
            f"suppressed the figures of {len(self.suppressed)} area(s) with fewer"
            f" than {self.minimum} inhabitants or none observed:"
            f" {', '.join(self.suppressed)}"
        )


def suppress(
    table: pd.DataFrame,
    registry: AreaRegistry,
    observations: Observations,
    minimum: int,
    on: datetime.date | None = None,
) -> Suppression:
    """Blank the figures of rows whose area has fewer than ``minimum`` inhabitants."""
    if minimum <= 0 or table.empty:
        return Suppression(table, (), minimum)
    small = []
    for code in dict.fromkeys(table["area"]):
        people = observations.value(registry, str(code), INHABITANTS, on)
        if people is None or people < minimum:
            small.append(str(code))
    figures = [column for column in table.columns if column not in LABELS]
    blanked = table.astype({column: object for column in figures})
    blanked.loc[blanked["area"].isin(small), figures] = None
    return Suppression(blanked, tuple(small), minimum)
