"""One load of a Fava ledger as our projections see it, kept until the next load.

Building the postings table is the expensive step, so it is built once per
load of the ledger from Fava's own entries (the same entries, after the same
plugins, that ``wijkboekhouding report`` reads).  Fava's filters then select
whole transactions, which here is a row selection on that table; the
selection and the tables computed from it are remembered per filter.  An
"as known at" time first keeps the events recorded until then, with
:func:`wijkboekhouding.engine.postings.known_at` as ``report --as-known-at``
does, and is part of every remembered selection's key.
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
from beancount.core import data

from wijkboekhouding.engine.areas import AreaRegistry
from wijkboekhouding.engine.ledger import Ledger
from wijkboekhouding.engine.observations import Observations
from wijkboekhouding.engine.postings import known_at
from wijkboekhouding.plugins.fava.figures import Scope

log = logging.getLogger(__name__)

T = TypeVar("T")

# How many filter selections, and how many computed tables, to remember.
MAX_SCOPES = 8
MAX_MEMOS = 64


class LedgerView:
    """The postings table of one load of a ledger, with memoised selections."""

    def __init__(self, entries: Sequence[Any], options: Any, path: str) -> None:
        self.entries = entries
        registry, _ = AreaRegistry.from_entries(entries)
        observations, _ = Observations.from_entries(list(entries))
        self.ledger = Ledger(
            path=Path(path),
            entries=list(entries),
            errors=[],
            options=dict(options),
            registry=registry,
            observations=observations,
        )
        self.number = {
            id(entry): number
            for number, entry in enumerate(entries)
            if isinstance(entry, data.Transaction)
        }
        self._scopes: OrderedDict[tuple[str, ...], Scope] = OrderedDict()
        self._memos: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()
        log.debug("postings table: %d rows", len(self.ledger.frame))

    def units(self) -> list[str]:
        """The units of the postings, the operating currency first."""
        found = sorted(str(u) for u in self.ledger.frame["unit"].dropna().unique())
        first = [str(c) for c in self.ledger.options.get("operating_currency", [])]
        return [u for u in first if u in found] + [u for u in found if u not in first]

    def scope(
        self,
        filters: tuple[str, str, str],
        entries: Callable[[], Sequence[Any]],
        stock_entries: Callable[[], Sequence[Any]],
        date_range: Callable[[], tuple[datetime.date, datetime.date] | None],
        as_known_at: str | None = None,
    ) -> Scope:
        """The postings kept by Fava's filters (account, advanced, time).

        The callables give Fava's filtered entries (all filters, and without
        the time filter) and the time filter's dates, and are only called
        when needed: a time filter alone selects by date, as Fava does,
        without Fava's filtering of every entry.  With ``as_known_at`` only
        the events recorded until then count, selected before the period
        (as ``report --as-known-at`` does).

        Raises:
          ValueError: ``as_known_at`` is not an ISO date or time.
        """
        key = (*filters, as_known_at or "")
        with self._lock:
            found = self._scopes.get(key)
            if found is not None:
                self._scopes.move_to_end(key)
                return found
        account, advanced, time = filters
        frame = self.known(as_known_at)
        dates = date_range() if time else None
        if account or advanced:
            # Fava's filters keep whole transactions: select theirs.
            selected = self._rows(entries(), frame)
            stocks = self._rows(stock_entries(), frame)
        else:
            # The time filter alone keeps the transactions of its dates.
            selected = stocks = frame
        period = None
        if dates is not None:
            begin, end = (pd.Timestamp(day) for day in dates)
            if not (account or advanced):
                selected = frame[(frame["date"] >= begin) & (frame["date"] < end)]
            stocks = stocks[stocks["date"] < end]
            last = dates[1] - datetime.timedelta(days=1)
            period = f"{dates[0].isoformat()}..{last.isoformat()}"
        result = Scope(self.ledger, selected, stocks, period)
        with self._lock:
            self._scopes[key] = result
            while len(self._scopes) > MAX_SCOPES:
                self._scopes.popitem(last=False)
        return result

    def known(self, as_known_at: str | None) -> pd.DataFrame:
        """The postings of the events known at a time (all of them for None).

        Raises:
          ValueError: ``as_known_at`` is not an ISO date or time.
        """
        if not as_known_at:
            return self.ledger.frame
        return self.memo(
            ("known", as_known_at), lambda: known_at(self.ledger.frame, as_known_at)
        )

    def _rows(self, entries: Sequence[Any], frame: pd.DataFrame) -> pd.DataFrame:
        """The postings of these entries in ``frame`` (summaries have none)."""
        number = self.number
        wanted = [number[id(e)] for e in entries if id(e) in number]
        return frame[frame["txn"].isin(wanted)]

    def memo(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """Compute a value once per key (the key names the filters too)."""
        with self._lock:
            if key in self._memos:
                self._memos.move_to_end(key)
                return self._memos[key]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            self._memos[key] = value
            while len(self._memos) > MAX_MEMOS:
                self._memos.popitem(last=False)
        return value
