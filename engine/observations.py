"""Observations: non-additive or descriptive figures of an area.

An observation is a figure at a date, not a posting::

    2024-01-01 custom "observation" "BU02020211" "inwoners" 3390
      source: "cbs:85984NED"

How it aggregates over areas is declared once per name::

    2024-01-01 custom "observation-rule" "inwoners" "sum"
    2024-01-01 custom "observation-rule" "woz-gemiddeld" "weighted-mean" "woningen"

An area's own observation always wins; without one, its value is aggregated
from its sub-areas by the declared rule, and never by plain addition when no
rule is declared.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from beancount.core import data

from wijkboekhouding.engine.areas import AreaRegistry
from wijkboekhouding.engine.errors import LedgerError, error_at


@dataclass(frozen=True)
class Observation:
    """One observed figure of one area."""

    date: datetime.date
    area: str
    name: str
    value: Decimal
    meta: dict[str, Any]


@dataclass(frozen=True)
class Rule:
    """How an observation aggregates: ``sum`` or ``weighted-mean`` by a weight."""

    name: str
    kind: str
    weight: str | None = None


class Observations:
    """The observations and rules of a ledger, with lookup and aggregation."""

    def __init__(self, observations: list[Observation], rules: dict[str, Rule]) -> None:
        self.rules = rules
        self._by_key: dict[tuple[str, str], list[Observation]] = {}
        for obs in sorted(observations, key=lambda o: o.date):
            self._by_key.setdefault((obs.area, obs.name), []).append(obs)

    @classmethod
    def from_entries(
        cls, entries: list[data.Directive]
    ) -> tuple[Observations, list[LedgerError]]:
        """Read every observation and rule; return them with the problems found."""
        found: list[Observation] = []
        rules: dict[str, Rule] = {}
        errors: list[LedgerError] = []
        replaced = {
            str(entry.meta["replaces"])
            for entry in entries
            if isinstance(entry, data.Custom) and "replaces" in (entry.meta or {})
        }
        for entry in entries:
            if (entry.meta or {}).get("id") in replaced:
                continue  # a later event corrected this one
            if not isinstance(entry, data.Custom):
                continue
            values = [v.value for v in entry.values]
            if entry.type == "observation":
                if len(values) < 3 or not isinstance(values[2], Decimal):
                    errors.append(
                        error_at(
                            entry.meta,
                            "an observation needs an area, a name"
                            ' and a number: custom "observation" "CODE" "name" 12',
                        )
                    )
                    continue
                found.append(
                    Observation(
                        entry.date,
                        str(values[0]),
                        str(values[1]),
                        values[2],
                        dict(entry.meta or {}),
                    )
                )
            elif entry.type == "observation-rule":
                kind = str(values[1]) if len(values) > 1 else ""
                weight = str(values[2]) if len(values) > 2 else None
                if kind not in ("sum", "weighted-mean") or (
                    kind == "weighted-mean" and not weight
                ):
                    errors.append(
                        error_at(
                            entry.meta,
                            'a rule is "sum" or "weighted-mean"'
                            " followed by the name of its weight",
                        )
                    )
                    continue
                rules[str(values[0])] = Rule(str(values[0]), kind, weight)
        return cls(found, rules), errors

    def names(self) -> list[str]:
        """The observation names present."""
        return sorted({name for _, name in self._by_key})

    def own(
        self, area: str, name: str, on: datetime.date | None = None
    ) -> Observation | None:
        """The latest observation of the area itself on or before ``on``."""
        series = self._by_key.get((area, name), [])
        if on is not None:
            series = [obs for obs in series if obs.date <= on]
        if series:
            return series[-1]
        return None

    def value(
        self,
        registry: AreaRegistry,
        area: str,
        name: str,
        on: datetime.date | None = None,
    ) -> Decimal | None:
        """The figure of an area: its own, else aggregated by the declared rule."""
        obs = self.own(area, name, on)
        if obs is not None:
            return obs.value
        rule = self.rules.get(name)
        children = [child.code for child in registry.children(area)]
        if rule is None or not children:
            return None
        if rule.kind == "sum":
            parts = [self.value(registry, c, name, on) for c in children]
            known = [p for p in parts if p is not None]
            return sum(known, Decimal(0)) if known else None
        assert rule.weight is not None
        weighted = Decimal(0)
        total_weight = Decimal(0)
        for child in children:
            value = self.value(registry, child, name, on)
            weight = self.value(registry, child, rule.weight, on)
            if value is None or weight is None:
                continue
            weighted += value * weight
            total_weight += weight
        return weighted / total_weight if total_weight else None
