"""The long table of postings that feeds every report.

One row per posting of an enriched ledger (after the areas plugin ran), with
the columns of :data:`COLUMNS`.  ``amount`` holds the exact Decimal; ``q``
holds the same amount as an integer count of ``10**-scale`` units, where the
scale is stored in ``frame.attrs["scale"]``, so that sums are fast and exact.
Use :func:`to_decimal` to turn such a sum back into a Decimal.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd
from beancount.core import data

from wijkboekhouding.engine.model import (
    META_AREA,
    META_COUNTERPARTY,
    META_ID,
    META_METHOD,
    META_RECORDED,
    META_SECTOR,
    META_SOURCE,
    META_VALUE_TYPE,
    STANDARD_LEVELS,
)

COLUMNS = (
    "txn",
    "date",
    "recorded",
    "id",
    "account",
    "root",
    "amount",
    "unit",
    "area",
    "buurt",
    "wijk",
    "gemeente",
    "value_type",
    "sector",
    "source",
    "method",
    "counterparty_area",
    "narration",
    "filename",
    "lineno",
)

_EMPTY: dict[str, Any] = {}

# Amounts finer than this many decimal places are rounded for the fast sums.
MAX_SCALE = 8


def _meta(
    posting_meta: dict[str, Any] | None, txn_meta: dict[str, Any], key: str
) -> Any:
    if posting_meta and key in posting_meta:
        return posting_meta[key]
    return txn_meta.get(key)


def postings_frame(
    entries: Iterable[data.Directive], extra_meta: Sequence[str] = ()
) -> pd.DataFrame:
    """Build the postings table from enriched entries.

    Args:
      entries: The entries of a loaded ledger.
      extra_meta: Further metadata keys to carry as columns (posting value
        first, else the transaction's), e.g. ``("taakveld",)``.
    """
    rows: list[tuple[Any, ...]] = []
    seals: list[tuple[datetime.date, str]] = []
    for number, entry in enumerate(entries):
        if not isinstance(entry, data.Transaction):
            if isinstance(entry, data.Custom) and entry.type == "seal":
                seals.extend(_seal_time(entry))
            continue
        tmeta = entry.meta or {}
        recorded = tmeta.get(META_RECORDED)
        entry_id = tmeta.get(META_ID)
        for posting in entry.postings:
            units = posting.units
            if units is None or units.number is None:
                continue
            pmeta = posting.meta
            get: Callable[[str], Any] = pmeta.get if pmeta else _EMPTY.get
            account = posting.account
            rows.append(
                (
                    number,
                    entry.date,
                    str(recorded) if recorded is not None else None,
                    entry_id,
                    account,
                    account.split(":", 1)[0],
                    units.number,
                    units.currency,
                    get(META_AREA),
                    get("buurt"),
                    get("wijk"),
                    get("gemeente"),
                    get(META_VALUE_TYPE),
                    get(META_SECTOR),
                    _meta(pmeta, tmeta, META_SOURCE),
                    _meta(pmeta, tmeta, META_METHOD),
                    get(META_COUNTERPARTY),
                    entry.narration,
                    tmeta.get("filename"),
                    tmeta.get("lineno"),
                    *(_meta(pmeta, tmeta, key) for key in extra_meta),
                )
            )
    columns = list(COLUMNS) + [key.replace("-", "_") for key in extra_meta]
    frame = pd.DataFrame.from_records(rows, columns=columns)
    frame["date"] = pd.to_datetime(frame["date"])
    places = _places(frame["amount"], frame["unit"])
    scale = max(places.values(), default=0)
    frame["q"] = _scaled(frame["amount"], scale)
    frame.attrs["scale"] = scale
    frame.attrs["seals"] = seals
    frame.attrs["places"] = places
    return frame


def _places(amounts: pd.Series, units: pd.Series) -> dict[str, int]:
    """Per unit, the decimal places needed to hold every amount exactly."""
    exponents: dict[str, int] = {}
    for amount, unit in zip(amounts.tolist(), units.tolist(), strict=True):
        exponent = amount.as_tuple().exponent
        if exponent < exponents.get(unit, 0):
            exponents[unit] = exponent
        elif unit not in exponents:
            exponents[unit] = min(exponent, 0)
    return {str(unit): min(-e, MAX_SCALE) for unit, e in exponents.items()}


def _scaled(amounts: pd.Series, scale: int) -> pd.Series:
    factor = Decimal(10) ** scale
    values = [int((a * factor).to_integral_value()) for a in amounts]
    return pd.Series(values, index=amounts.index, dtype="int64")


def to_decimal(q: Any, scale: int, places: int | None = None) -> Decimal:
    """Turn a scaled integer sum back into an exact Decimal.

    With ``places``, the result is written with that many decimals (the
    precision the ledger uses for the unit); the value is unchanged.
    """
    value = Decimal(int(q)).scaleb(-scale) if scale else Decimal(int(q))
    if places is not None and places <= scale:
        value = value.quantize(Decimal(1).scaleb(-places))
    return value


def unit_places(frame: pd.DataFrame, unit: str) -> int | None:
    """The number of decimals the ledger writes for a unit."""
    places: dict[str, int] = frame.attrs.get("places", {})
    return places.get(unit)


# Filters.

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def period_bounds(period: str) -> tuple[datetime.date, datetime.date]:
    """The first day and the day after the last of a period.

    Accepts ``2024``, ``2024-03``, ``2024-03-15`` and ranges ``A..B`` of those
    (inclusive on both ends).

    Raises:
      ValueError: with a message saying which forms are accepted.
    """
    if ".." in period:
        start_text, end_text = period.split("..", 1)
        return period_bounds(start_text)[0], period_bounds(end_text)[1]
    match = _PERIOD.match(period.strip())
    if not match:
        raise ValueError(
            f"cannot read period {period!r}; use 2024, 2024-03, 2024-03-15"
            " or a range like 2023..2024"
        )
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        if day is not None and month is not None:
            start = datetime.date(year, month, day)
            return start, start + datetime.timedelta(days=1)
        if month is not None:
            start = datetime.date(year, month, 1)
            end = datetime.date(year + month // 12, month % 12 + 1, 1)
            return start, end
    except ValueError as exc:
        raise ValueError(f"cannot read period {period!r}: {exc}") from exc
    return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)


def in_period(frame: pd.DataFrame, period: str | None) -> pd.DataFrame:
    """The postings dated within a period (all of them for None)."""
    if not period:
        return frame
    start, end = period_bounds(period)
    dates = frame["date"]
    return frame[(dates >= pd.Timestamp(start)) & (dates < pd.Timestamp(end))]


def known_at(frame: pd.DataFrame, when: str | None) -> pd.DataFrame:
    """The postings of events recorded at or before ``when`` (an ISO time).

    Entries without ``recorded`` (written by hand) count as recorded when the
    first seal that covers their date was recorded (the seals are in
    ``frame.attrs["seals"]``), and as always known when no seal covers them.
    """
    if not when:
        return frame
    limit = normalise_time(when)
    stamps = {s: normalise_time(s) for s in frame["recorded"].dropna().unique()}
    recorded = frame["recorded"].map(stamps).astype(object)
    hand = recorded.isna()
    seals = frame.attrs.get("seals") or []
    if seals and hand.any():
        # Latest seal first, so that the earliest seal covering a date wins.
        dates = frame["date"]
        for until, stamp in sorted(seals, key=lambda seal: seal[1], reverse=True):
            recorded = recorded.mask(hand & (dates <= pd.Timestamp(until)), stamp)
    return frame[recorded.isna() | (recorded.fillna("") <= limit)]


def _seal_time(entry: data.Custom) -> list[tuple[datetime.date, str]]:
    """The ``until`` date and normalised ``recorded`` time of a seal entry."""
    until = (entry.meta or {}).get("until")
    recorded = (entry.meta or {}).get(META_RECORDED)
    if not isinstance(until, datetime.date) or recorded is None:
        return []
    try:
        return [(until, normalise_time(str(recorded)))]
    except ValueError:
        return []


def normalise_time(when: str) -> str:
    """Write a date or datetime the way ``recorded`` stamps are written.

    Raises:
      ValueError: the text is not an ISO date or datetime.
    """
    text = when.strip().rstrip("Z")
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(
            f"cannot read time {when!r}; use an ISO date or time such as"
            " 2024-03-01 or 2024-03-01T12:00:00Z (UTC)"
        ) from exc
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    if len(text) == 10:  # a bare date means the end of that day
        moment += datetime.timedelta(days=1, microseconds=-1)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def standard_level(level: str) -> bool:
    """Whether the table has a column for this level."""
    return level in STANDARD_LEVELS
