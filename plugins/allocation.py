"""Split gemeente-level Iv3 budget entries over the buurten by allocation keys.

Enable it in the main ledger file, after the areas plugin::

    plugin "wijkboekhouding.plugins.areas"
    plugin "wijkboekhouding.plugins.allocation"

Before, the gemeente's waste budget sits at gemeente level, and the
households of its two buurten are observed::

    2024-01-01 custom "observation" "BU00010001" "huishoudens" 300
    2024-01-01 custom "observation" "BU00010002" "huishoudens" 100

    2024-01-01 * "Gemeente Voorbeeld" "Begroting 2024: 7.3 Afval"
      id: "iv3:GM0001:2024:begroting:7.3"
      area: "GM0001"
      taakveld: "7.3"
      iv3-kind: "begroting"
      Expenses:Publiek:Begroting:7-Volksgezondheid-en-milieu:7-3-Afval  1000.00 EUR
      Equity:Publiek:Begroting                                          -1000.00 EUR

After, by the default key ``7.3 huishoudens``, the same entry holds one
part per buurt (3/4 and 1/4), each posting in its buurt and naming its key::

      Expenses:Publiek:Begroting:7-Volksgezondheid-en-milieu:7-3-Afval  750.00 EUR
        area: "BU00010001"
        buurt: "BU00010001"
        wijk: "WK000100"
        gemeente: "GM0001"
        method: "allocated"
        allocation-key: "7.3 huishoudens"
        observation-year: 2024
        source-entry: "iv3:GM0001:2024:begroting:7.3"
      Equity:Publiek:Begroting                                          -750.00 EUR
        area: "BU00010001"
        ...
      (and 250.00 / -250.00 EUR in BU00010002)

The plugin is a projection: it changes what reports see, never the ledger
file.  The parts of each posting sum to it exactly, to the cent, by
largest-remainder rounding; the Equity posting of each buurt balances the
buurt's other parts, so every buurt's share balances on its own.

Which figures are used: for the entry's year, the latest year (not after
it) in which a buurt of the gemeente has the key's observation; only that
year's figures count.  Buurten whose ``valid-until`` lies before the entry's
date (boundaries of an earlier CBS year) take no part.  Keys with the
observation ``none`` keep an entry whole.

A buurt without the figure gets nothing, and its share is never spread over
the others.  When the gemeente has its own figure of that year, at least the
sum of its buurten' figures, each buurt gets its figure over the gemeente's
and the rest stays at gemeente level, marked ``unallocated-buurten``.
Otherwise the missing buurten's share cannot be known: the entry stays whole
at gemeente level, marked ``unallocated-buurten``, and an error record names
the buurten.  With 300 and 100 households in two of three buurten::

    gemeente figure 700:  428.57 and 142.86 EUR to the buurten, 428.57 stays
    no gemeente figure:   1000.00 stays at GM0001, and an error record

Error records: a key that names an observation the ledger has no figures of
for the gemeente's buurten, a key whose figures are all zero, buurten
without the figure whose share cannot be known, a gemeente without buurten,
and a malformed ``allocation-key``.  The entries concerned stay at gemeente
level.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from beancount.core import amount, data

from wijkboekhouding.engine.areas import AreaRegistry
from wijkboekhouding.engine.errors import LedgerError, error_at
from wijkboekhouding.engine.model import (
    BUURT,
    GEMEENTE,
    META_AREA,
    META_ID,
    META_METHOD,
    STANDARD_LEVELS,
)
from wijkboekhouding.engine.observations import Observation, Observations
from wijkboekhouding.importers.iv3.entries import META_KIND, META_TAAKVELD
from wijkboekhouding.importers.iv3.keys import AllocationKey, KeySet

__plugins__ = ("allocate",)

META_KEY = "allocation-key"
META_OBSERVATION_YEAR = "observation-year"
META_SOURCE_ENTRY = "source-entry"
META_KEY_ORIGIN = "key-origin"
META_UNALLOCATED = "unallocated-buurten"
ALLOCATED = "allocated"
SHOWN_BUURTEN = 8


@dataclass(frozen=True)
class Shares:
    """The share of each buurt of a gemeente for one observation and year.

    A buurt's share is its weight over ``denominator`` (whole numbers, the
    observations scaled to lose their decimals).  The weights sum to at most
    the denominator; what is left stays at gemeente level.
    """

    year: int
    buurten: tuple[str, ...]
    weights: tuple[int, ...]
    denominator: int
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Refusal:
    """Why a key splits none of a gemeente's entries of one year.

    ``missing`` holds the buurten without the key's figure, when that is the
    reason; the entries kept whole are marked with them.
    """

    error: LedgerError
    missing: tuple[str, ...] = ()


def largest_remainder(
    units: int, weights: Sequence[int], denominator: int
) -> list[int]:
    """Split a whole number of units by ``weight / denominator`` shares.

    The parts are whole numbers; they sum to ``units * sum(weights) /
    denominator`` rounded half-even, which is exactly ``units`` when the
    weights sum to the denominator.  Leftover units go to the largest
    remainders, the earliest first on a tie.  All in integers, so it is exact.
    """
    sign = -1 if units < 0 else 1
    whole = abs(units)
    splits = [divmod(whole * weight, denominator) for weight in weights]
    parts = [quota for quota, _ in splits]
    target, rest = divmod(whole * sum(weights), denominator)
    if 2 * rest > denominator or (2 * rest == denominator and target % 2):
        target += 1
    leftover = target - sum(parts)
    order = sorted(range(len(splits)), key=lambda i: (-splits[i][1], i))
    for index in order[:leftover]:
        parts[index] += 1
    return [sign * part for part in parts]


def _scale(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    return max(2, -exponent if isinstance(exponent, int) else 2)


def split_amount(number: Decimal, shares: Shares) -> list[Decimal]:
    """Split an amount by shares to the cent (or finer, if the amount is finer)."""
    scale = _scale(number)
    units = int(number.scaleb(scale))
    parts = largest_remainder(units, shares.weights, shares.denominator)
    return [Decimal(part).scaleb(-scale) for part in parts]


def _whole(values: Sequence[Decimal]) -> list[int]:
    """Decimals scaled by one power of ten to whole numbers, ratios kept."""
    exponents = [v.as_tuple().exponent for v in values]
    scale = max([0, *(-e for e in exponents if isinstance(e, int))])
    return [int(v.scaleb(scale)) for v in values]


def allocate(
    entries: list[data.Directive], options_map: dict[str, Any]
) -> tuple[list[data.Directive], list[LedgerError]]:
    """Allocate every gemeente-level Iv3 entry; return the entries and problems."""
    registry, _ = AreaRegistry.from_entries(entries)
    observations, _ = Observations.from_entries(entries)
    keys, errors = KeySet.from_entries(entries)
    allocator = _Allocator(registry, observations, keys)
    new_entries = [
        allocator.transaction(entry) if isinstance(entry, data.Transaction) else entry
        for entry in entries
    ]
    return new_entries, errors + allocator.problems()


def _is_budget(entry: data.Transaction) -> bool:
    meta = entry.meta or {}
    return META_TAAKVELD in meta and META_KIND in meta


def _units(posting: data.Posting) -> tuple[Decimal, str] | None:
    """The posting's number and currency when complete (as after booking)."""
    units = posting.units
    if units is None or not isinstance(units.number, Decimal):
        return None
    return units.number, units.currency


def _kept_whole(txn: data.Transaction, missing: Sequence[str]) -> data.Transaction:
    """The entry as it is, marked with the buurten that kept it whole."""
    if not missing:
        return txn
    return txn._replace(meta={**txn.meta, META_UNALLOCATED: " ".join(missing)})


def _unknown_share(
    own: Observation | None,
    gemeente: str,
    year: int,
    known: Decimal,
    missing: Sequence[str],
    buurten: Sequence[str],
) -> str:
    """Why the share of buurten without the key's figure cannot be known."""
    shown = ", ".join(missing[:SHOWN_BUURTEN])
    more = len(missing) - SHOWN_BUURTEN
    shown += f", ... {more} more" if more > 0 else ""
    if own is None or own.date.year != year:
        figure = f"{gemeente} has no figure of its own for {year}"
    else:
        figure = (
            f"the figure of {gemeente} itself ({own.value:f}) is below the sum"
            f" of the buurten that have one ({known:f})"
        )
    return (
        f"{len(missing)} of the {len(buurten)} buurten of {gemeente} have no"
        f" figure for {year} ({shown}) and {figure}, so their share cannot be"
        " known and nothing is split; import their figures or the gemeente's,"
        " or choose another observation for this key"
    )


class _Allocator:
    """Splits budget entries, computing each gemeente's shares once."""

    def __init__(
        self,
        registry: AreaRegistry,
        observations: Observations,
        keys: KeySet,
    ) -> None:
        self.registry = registry
        self.observations = observations
        self.keys = keys
        self.names = set(observations.names())
        self._shares: dict[tuple[str, str, int], Shares | Refusal] = {}
        self._blocked: dict[tuple[str, str, int], list[str]] = {}
        self._area_meta: dict[str, dict[str, str]] = {}

    def transaction(self, txn: data.Transaction) -> data.Transaction:
        if not _is_budget(txn):
            return txn
        gemeente = str(txn.meta.get(META_AREA, ""))
        area = self.registry.get(gemeente)
        if area is None or area.level != GEMEENTE:
            return txn  # an entry below gemeente level is left as it is
        key = self.keys.lookup(str(txn.meta[META_TAAKVELD]), txn.date)
        if not key.allocates:
            return txn._replace(meta={**txn.meta, META_KEY: key.label()})
        shares = self.shares(gemeente, key, txn)
        if isinstance(shares, Refusal):
            return _kept_whole(txn, shares.missing)
        return self.split(txn, gemeente, key, shares)

    # Shares.

    def shares(
        self, gemeente: str, key: AllocationKey, txn: data.Transaction
    ) -> Shares | Refusal:
        """The buurt shares of a key for an entry's gemeente and year.

        A refusal is noted, so that :meth:`problems` names the entry.
        """
        cache_key = (gemeente, key.observation, txn.date.year)
        found = self._shares.get(cache_key)
        if found is None:
            found = self._shares[cache_key] = self._compute(gemeente, key, txn)
        if isinstance(found, Refusal):
            self._blocked.setdefault(cache_key, []).append(str(txn.meta[META_TAAKVELD]))
        return found

    def problems(self) -> list[LedgerError]:
        """One error per key problem, naming the taakvelden left unallocated."""
        errors = []
        for cache_key, codes in self._blocked.items():
            refusal = self._shares[cache_key]
            assert isinstance(refusal, Refusal)
            error = refusal.error
            message = (
                f"{error.message} (taakvelden {', '.join(codes)} stay at"
                " gemeente level)"
            )
            errors.append(error._replace(message=message))
        return errors

    def _compute(
        self, gemeente: str, key: AllocationKey, txn: data.Transaction
    ) -> Shares | Refusal:
        where = key.where or txn.meta
        name = key.observation
        described = f"allocation key {key.label()} ({key.origin})"
        buurten = self.buurten(gemeente, txn.date)
        if not buurten:
            return Refusal(
                error_at(
                    where,
                    f"gemeente {gemeente} declares no buurten, so its Iv3 entries"
                    " stay at gemeente level; import the CBS areas or remove the"
                    " allocation plugin",
                )
            )

        # The latest year, not after the entry's, with a buurt figure.
        on = datetime.date(txn.date.year, 12, 31)
        figures = self._figures(buurten, name, on)
        if figures is None:
            return Refusal(
                error_at(
                    where,
                    f"{described} names observation {name!r}, but no buurt of"
                    f" {gemeente} has it in {txn.date.year} or before; import it"
                    " (`wijkboekhouding import cbs`) or override the key, e.g."
                    f' custom "allocation-key" "{key.code}" "inwoners"',
                )
            )
        year, values = figures
        missing = tuple(b for b in buurten if b not in values)
        known = sum(values.values(), Decimal(0))
        if known <= 0:
            return Refusal(
                error_at(
                    where,
                    f"{described}: the {name} figures of the buurten of {gemeente}"
                    f" in {year} are all zero, so nothing can be split; choose"
                    " another observation for this key",
                )
            )

        # The share of buurten without a figure stays at gemeente level,
        # which takes the gemeente's own figure; without one, nothing moves.
        total = known
        if missing:
            own = self.observations.own(gemeente, name, on)
            if own is None or own.date.year != year or own.value < known:
                why = _unknown_share(own, gemeente, year, known, missing, buurten)
                return Refusal(error_at(where, f"{described}: {why}"), missing)
            total = own.value
        *weights, denominator = _whole([*values.values(), total])
        return Shares(year, tuple(values), tuple(weights), denominator, missing)

    def _figures(
        self, buurten: Sequence[str], name: str, on: datetime.date
    ) -> tuple[int, dict[str, Decimal]] | None:
        """The latest year, not after ``on``, with buurt figures, and those."""
        if name not in self.names:
            return None
        latest = {b: self.observations.own(b, name, on) for b in buurten}
        years = [obs.date.year for obs in latest.values() if obs is not None]
        if not years:
            return None
        year = max(years)
        values = {
            b: obs.value
            for b, obs in latest.items()
            if obs is not None and obs.date.year == year
        }
        return year, values

    def buurten(self, gemeente: str, on: datetime.date) -> list[str]:
        """The buurten of a gemeente whose boundaries still hold on a date."""
        found: list[str] = []
        for code in self.registry.descendants(gemeente):
            area = self.registry.get(code)
            if area is None or area.level != BUURT:
                continue
            if area.valid_until is not None and area.valid_until < on:
                continue  # boundaries of an earlier CBS year
            found.append(code)
        return found

    # Splitting.

    def split(
        self,
        txn: data.Transaction,
        gemeente: str,
        key: AllocationKey,
        shares: Shares,
    ) -> data.Transaction:
        buurten = shares.buurten
        equity = [
            i for i, p in enumerate(txn.postings) if p.account.startswith("Equity")
        ]
        balancing = equity[-1] if len(equity) == 1 else None
        extra = {
            META_METHOD: ALLOCATED,
            META_KEY: key.label(),
            META_OBSERVATION_YEAR: Decimal(shares.year),
            META_SOURCE_ENTRY: txn.meta.get(META_ID, ""),
            META_KEY_ORIGIN: key.origin,
        }

        # Split every posting but the balancing one by the shares.
        parts: dict[int, list[Decimal]] = {}
        for index, posting in enumerate(txn.postings):
            units = _units(posting)
            if index != balancing and units is not None:
                parts[index] = split_amount(units[0], shares)
        if balancing is not None and _units(txn.postings[balancing]) is not None:
            parts[balancing] = [
                -sum((p[i] for p in parts.values()), Decimal(0))
                for i in range(len(buurten))
            ]

        # One posting per buurt and part, then the remainders at gemeente level.
        postings: list[data.Posting] = []
        remainders: list[data.Posting] = []
        note = " ".join(shares.missing)
        for index, posting in enumerate(txn.postings):
            units = _units(posting)
            if index not in parts or units is None:
                remainders.append(posting)
                continue
            for buurt, number in zip(buurten, parts[index], strict=True):
                if number:
                    part = amount.Amount(number, units[1])
                    postings.append(self._part(posting, buurt, part, extra))
            rest = units[0] - sum(parts[index], Decimal(0))
            if rest:
                meta = dict(posting.meta or {})
                if note:
                    meta[META_UNALLOCATED] = note
                left = amount.Amount(rest, units[1])
                remainders.append(posting._replace(units=left, meta=meta))
        meta = {
            **txn.meta,
            META_KEY: key.label(),
            META_OBSERVATION_YEAR: Decimal(shares.year),
        }
        if note:
            meta[META_UNALLOCATED] = note
        return txn._replace(meta=meta, postings=postings + remainders)

    def _part(
        self,
        posting: data.Posting,
        buurt: str,
        units: amount.Amount,
        extra: dict[str, Any],
    ) -> data.Posting:
        meta = {
            k: v
            for k, v in (posting.meta or {}).items()
            if k not in STANDARD_LEVELS and k != META_AREA
        }
        meta.update(self.area_meta(buurt))
        meta.update(extra)
        return posting._replace(units=units, meta=meta)

    def area_meta(self, code: str) -> dict[str, str]:
        """The area and its standard ancestors, as the areas plugin writes them."""
        found = self._area_meta.get(code)
        if found is None:
            found = {META_AREA: code}
            for level, ancestor in self.registry.standard_ancestors(code).items():
                found[level] = ancestor
            self._area_meta[code] = found
        return found
