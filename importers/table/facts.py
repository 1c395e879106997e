"""What an importer checks a row against: declared accounts, units and areas."""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from beancount.core import data

from wijkboekhouding.engine.areas import AreaRegistry
from wijkboekhouding.engine.errors import (
    LedgerError,
    WijkboekhoudingError,
    format_error,
)
from wijkboekhouding.engine.ledger import Ledger
from wijkboekhouding.engine.lookup import AreaLookup


class BadDeclarations(WijkboekhoudingError):
    """Street, postcode or alias declarations of the ledger that contradict."""

    def __init__(self, errors: Sequence[LedgerError]) -> None:
        lines = "\n".join(f"  {format_error(error)}" for error in errors)
        super().__init__(
            f"the ledger's street and postcode declarations have {len(errors)}"
            f" problem(s); fix them before importing:\n{lines}"
        )


def require_clean_declarations(ledger: Ledger) -> None:
    """Refuse to import into a ledger whose street lookup is contradictory.

    Raises:
      BadDeclarations: listing every problem with file and line.
    """
    _, errors = AreaLookup.from_entries(ledger.entries, ledger.registry)
    if errors:
        raise BadDeclarations(errors)


@dataclass(frozen=True)
class LedgerFacts:
    """The accounts, commodities and area lookup of a loaded ledger."""

    opens: dict[str, data.Open]
    closes: dict[str, datetime.date]
    commodities: frozenset[str]
    lookup: AreaLookup

    @classmethod
    def of(cls, ledger: Ledger) -> LedgerFacts:
        """Collect the facts from a loaded ledger."""
        return cls.of_entries(ledger.entries, ledger.registry)

    @classmethod
    def of_entries(
        cls, entries: Sequence[data.Directive], registry: AreaRegistry | None = None
    ) -> LedgerFacts:
        """Collect the facts from a ledger's entries (as Fava hands them over)."""
        if registry is None:
            registry, _ = AreaRegistry.from_entries(entries)
        opens: dict[str, data.Open] = {}
        closes: dict[str, datetime.date] = {}
        commodities: set[str] = set()
        for entry in entries:
            if isinstance(entry, data.Open):
                opens[entry.account] = entry
            elif isinstance(entry, data.Close):
                closes[entry.account] = entry.date
            elif isinstance(entry, data.Commodity):
                commodities.add(entry.currency)
        lookup, _ = AreaLookup.from_entries(entries, registry)
        return cls(opens, closes, frozenset(commodities), lookup)

    def account_problem(
        self, account: str, date: datetime.date | None, unit: str | None
    ) -> str | None:
        """Why ``unit`` cannot be posted to ``account`` on ``date``, or None."""
        entry = self.opens.get(account)
        if entry is None:
            close = difflib.get_close_matches(account, list(self.opens), 3, 0.6)
            hint = f"did you mean {', '.join(close)}? " if close else ""
            return (
                f"the ledger opens no account {account}; {hint}add"
                f" `{date or '2024-01-01'} open {account}` to the ledger or"
                " correct the name"
            )
        if date is not None and date < entry.date:
            return f"{account} opens on {entry.date}; the date lies before it"
        closed = self.closes.get(account)
        if date is not None and closed is not None and date >= closed:
            return f"{account} was closed on {closed}"
        if unit is not None and entry.currencies and unit not in entry.currencies:
            return (
                f"{account} holds only {', '.join(entry.currencies)}, not {unit};"
                " use another account or unit"
            )
        return None

    def unit_problem(self, unit: str) -> str | None:
        """Why ``unit`` cannot be used, or None when it is a declared commodity."""
        if unit in self.commodities:
            return None
        known = ", ".join(sorted(self.commodities)) or "none"
        return (
            f"unit {unit} is not declared; add `2024-01-01 commodity {unit}` with"
            f' `value-type: "..."` to the ledger (declared: {known})'
        )
