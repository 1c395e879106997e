"""Allocation keys: which observation splits a taakveld over the buurten.

The project ships a default key set (``allocation_keys.toml``, each key with
a one-line reason); a ledger overrides any of it::

    2024-01-01 custom "allocation-key" "7.3" "woningen"
      reason: "Our waste is collected per dwelling"

A key names a taakveld (``7.3``), a group of sub-taakvelden (``6.71``), a
hoofdtaakveld (``6``) or everything else (``*``).  The observation ``none``
keeps a taakveld at gemeente level.  A ledger's keys come before the
defaults; within each, the most specific key wins, and among a ledger's keys
for the same code the latest dated on or before the entry.
"""

from __future__ import annotations

import datetime
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from beancount.core import data

from wijkboekhouding.engine.errors import LedgerError, error_at
from wijkboekhouding.importers.iv3.catalogue import is_taakveld_pattern, key_candidates

NONE = "none"
KEY_DIRECTIVE = "allocation-key"


@dataclass(frozen=True)
class AllocationKey:
    """One key: the taakveld code it covers and the observation it splits by."""

    code: str
    observation: str
    reason: str
    origin: str
    since: datetime.date | None = None
    where: dict[str, Any] | None = field(default=None, compare=False, repr=False)

    @property
    def allocates(self) -> bool:
        """Whether the key splits the figures (``none`` keeps them whole)."""
        return self.observation != NONE

    def label(self) -> str:
        """How allocated postings name the key, e.g. ``7.3 huishoudens``."""
        return f"{self.code} {self.observation}"


@cache
def default_keys() -> dict[str, AllocationKey]:
    """The key set that ships with the project, by code."""
    text = (
        resources.files(__package__).joinpath("allocation_keys.toml").read_text("utf-8")
    )
    table = tomllib.loads(text)["keys"]
    return {
        code: AllocationKey(code, str(v["observation"]), str(v["reason"]), "default")
        for code, v in table.items()
    }


class KeySet:
    """The default keys with a ledger's overrides."""

    def __init__(self, overrides: list[AllocationKey]) -> None:
        self._overrides: dict[str, list[AllocationKey]] = {}
        for key in sorted(overrides, key=lambda k: k.since or datetime.date.min):
            self._overrides.setdefault(key.code, []).append(key)
        self._defaults = default_keys()

    @classmethod
    def from_entries(
        cls, entries: list[data.Directive]
    ) -> tuple[KeySet, list[LedgerError]]:
        """Read the ledger's ``allocation-key`` directives."""
        keys: list[AllocationKey] = []
        errors: list[LedgerError] = []
        for entry in entries:
            if not (isinstance(entry, data.Custom) and entry.type == KEY_DIRECTIVE):
                continue
            values = [v.value for v in entry.values]
            if len(values) != 2 or not all(isinstance(v, str) for v in values):
                errors.append(
                    error_at(
                        entry.meta,
                        "an allocation key needs a taakveld and an observation:"
                        ' custom "allocation-key" "7.3" "huishoudens"',
                        entry,
                    )
                )
                continue
            code, observation = str(values[0]), str(values[1])
            if not is_taakveld_pattern(code):
                errors.append(
                    error_at(
                        entry.meta,
                        f"allocation key for unknown taakveld {code!r}; use an Iv3"
                        " code such as 7.3, a group such as 6.71 or 6, or *",
                        entry,
                    )
                )
                continue
            meta = entry.meta or {}
            origin = f"{meta.get('filename', '<ledger>')}:{meta.get('lineno', 0)}"
            reason = str(meta.get("reason", "set in the ledger"))
            keys.append(
                AllocationKey(code, observation, reason, origin, entry.date, meta)
            )
        return cls(keys), errors

    def lookup(self, taakveld: str, on: datetime.date) -> AllocationKey:
        """The key for a taakveld on a date (there is always one: ``*``)."""
        candidates = key_candidates(taakveld)
        for code in candidates:
            keys = self._overrides.get(code, [])
            dated = [k for k in keys if (k.since or datetime.date.min) <= on]
            if dated:
                return dated[-1]
        for code in candidates:
            if code in self._defaults:
                return self._defaults[code]
        return AllocationKey("*", "inwoners", "no default key", "built-in")
