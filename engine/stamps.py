"""Check the ``recorded`` stamps that say when each event became known.

Every report "as known at" a moment, and every seal, trusts these stamps.
A stamp that cannot be read, or that lies in the future, would let an event
escape a seal or appear in the wrong version of a report, so it is an error
of the ledger, reported at its file and line::

    2024-03-01 * "Gift"
      recorded: "gisteren"         ; error: not an ISO UTC time
    2024-03-02 * "Gift"
      recorded: "2099-01-01T00:00:00.000000Z"   ; error: in the future
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from beancount.core import data

from wijkboekhouding.engine.errors import LedgerError, error_at
from wijkboekhouding.engine.model import META_RECORDED
from wijkboekhouding.engine.postings import normalise_time

# Clocks of the machines that append may differ this much.
SKEW = datetime.timedelta(minutes=5)


def stamp_problems(
    entries: Iterable[data.Directive], now: datetime.datetime | None = None
) -> list[LedgerError]:
    """The entries whose ``recorded`` is unreadable or later than ``now``."""
    moment = (now or datetime.datetime.now(datetime.UTC)) + SKEW
    latest = moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    problems: list[LedgerError] = []
    for entry in entries:
        value = entry.meta.get(META_RECORDED) if entry.meta else None
        if value is None:
            continue
        try:
            stamp = normalise_time(str(value))
        except ValueError:
            problems.append(
                error_at(
                    entry.meta,
                    f"recorded {value!r} is not a time; write an ISO UTC time"
                    " such as 2024-03-01T12:00:00Z, or remove the line",
                    entry,
                )
            )
            continue
        if stamp > latest:
            problems.append(
                error_at(
                    entry.meta,
                    f"recorded {value!r} lies in the future; an event is"
                    " recorded when it is written, so correct the stamp",
                    entry,
                )
            )
    return problems
