"""Give every posting its area, the area's ancestors, a value type and a sector.

Enable it in the main ledger file::

    plugin "wijkboekhouding.plugins.areas"

Before, a posting may say nothing itself::

    2024-01-01 open Assets:Vereniging:Bank EUR
      area: "BU02020211"
      sector: "maatschappelijk"
    2024-01-01 commodity EUR
      value-type: "financieel"

    2024-03-01 * "Gemeente Arnhem" "Subsidie buurtfeest"
      Assets:Vereniging:Bank       500.00 EUR
      Income:Subsidie:Gemeente

After, each posting carries what a query needs to group it::

      Assets:Vereniging:Bank       500.00 EUR
        area: "BU02020211"
        buurt: "BU02020211"
        wijk: "WK020202"
        gemeente: "GM0202"
        value-type: "financieel"
        sector: "maatschappelijk"

The area comes from the posting, else its transaction, else its account's
``open`` directive; the value type from the posting, else its commodity's
declaration; the sector from the account's ``open`` directive.  Postings
that Beancount filled in itself are treated the same.  Problems come back as
error records: an unknown area, a missing area on an Assets, Liabilities,
Income or Expenses posting (Equity may be area-less), an unknown value type,
sector or counterparty area, a posting dated outside its area's validity.

With the configuration ``"tags"`` (``plugin "wijkboekhouding.plugins.areas"
"tags"``) each transaction also gets the codes of its postings' buurten,
wijken and gemeenten as tags, for Fava's tag filter.  That filter keeps
whole transactions, so exact per-area figures still come from our reports.
"""

from __future__ import annotations

import datetime
from typing import Any

from beancount.core import data

from wijkboekhouding.engine.areas import AreaRegistry
from wijkboekhouding.engine.errors import LedgerError, error_at
from wijkboekhouding.engine.model import (
    AREA_ROOTS,
    EXTERN,
    META_AREA,
    META_COUNTERPARTY,
    META_SECTOR,
    META_VALUE_TYPE,
    SECTORS,
    STANDARD_LEVELS,
    VALUE_TYPES,
)

__plugins__ = ("enrich",)

_VALUE_TYPES = frozenset(VALUE_TYPES)
_AUTOMATIC = "__automatic__"  # set by Beancount on postings it filled in
_SECTORS = frozenset(SECTORS)


class _Declarations:
    """What the ledger declares on accounts and commodities."""

    def __init__(self) -> None:
        self.account_area: dict[str, str] = {}
        self.account_sector: dict[str, str] = {}
        self.value_type: dict[str, str] = {}

    def read(self, entries: list[data.Directive], errors: list[LedgerError]) -> None:
        for entry in entries:
            if isinstance(entry, data.Open):
                meta = entry.meta or {}
                if META_AREA in meta:
                    self.account_area[entry.account] = str(meta[META_AREA])
                sector = meta.get(META_SECTOR)
                if sector is not None:
                    if sector not in _SECTORS:
                        errors.append(_bad_choice(meta, "sector", sector, SECTORS))
                    self.account_sector[entry.account] = str(sector)
            elif isinstance(entry, data.Commodity):
                meta = entry.meta or {}
                value_type = meta.get(META_VALUE_TYPE)
                if value_type is not None:
                    if value_type not in _VALUE_TYPES:
                        errors.append(
                            _bad_choice(meta, "value type", value_type, VALUE_TYPES)
                        )
                    self.value_type[entry.currency] = str(value_type)


def _bad_choice(
    meta: dict[str, Any], what: str, value: object, choices: tuple[str, ...]
) -> LedgerError:
    return error_at(meta, f"unknown {what} {value!r}; use one of: {', '.join(choices)}")


def enrich(
    entries: list[data.Directive], options_map: dict[str, Any], config: str = ""
) -> tuple[list[data.Directive], list[LedgerError]]:
    """Enrich every posting; return the new entries and the problems found."""
    registry, errors = AreaRegistry.from_entries(entries)
    declared = _Declarations()
    declared.read(entries, errors)

    # The metadata each known area adds to a posting, computed once per area.
    area_meta: dict[str, dict[str, str]] = {}
    for area in registry:
        extra: dict[str, str] = {META_AREA: area.code}
        for level, code in registry.standard_ancestors(area.code).items():
            extra[level] = code
        area_meta[area.code] = extra

    _Enricher(registry, declared, area_meta, errors).run(entries)
    if config.strip() == "tags":
        return _with_area_tags(entries), errors
    if config.strip():
        errors.append(
            error_at(
                {"filename": "<plugin>", "lineno": 0},
                f"unknown configuration {config!r} of the areas plugin; leave it"
                ' out, or give "tags" to tag transactions with their areas',
            )
        )
    return entries, errors


def _with_area_tags(entries: list[data.Directive]) -> list[data.Directive]:
    """Tag each transaction with the standard-level areas of its postings."""
    levels = STANDARD_LEVELS
    tagged: list[data.Directive] = []
    for entry in entries:
        if isinstance(entry, data.Transaction):
            codes = {
                posting.meta[level]
                for posting in entry.postings
                if posting.meta
                for level in levels
                if level in posting.meta
            }
            if codes:
                entry = entry._replace(tags=(entry.tags or frozenset()) | codes)
        tagged.append(entry)
    return tagged


class _Enricher:
    """Enriches the postings of transactions in place, collecting errors.

    The posting metadata dicts come fresh from the parser, so they are
    updated in place, which keeps the plugin cheap on large ledgers.  The
    dict of a posting Beancount filled in may be shared by several postings
    (an amount-less posting is split per currency), so it is copied first.
    """

    def __init__(
        self,
        registry: AreaRegistry,
        declared: _Declarations,
        area_meta: dict[str, dict[str, str]],
        errors: list[LedgerError],
    ) -> None:
        self.registry = registry
        self.declared = declared
        self.area_meta = area_meta
        self.errors = errors
        self.roots = tuple(root + ":" for root in AREA_ROOTS)

    def run(self, entries: list[data.Directive]) -> None:
        """Enrich every transaction; the common case runs without calls."""
        area_meta = self.area_meta
        account_area = self.declared.account_area
        account_sector = self.declared.account_sector
        value_type_of = self.declared.value_type
        value_types = _VALUE_TYPES
        bounded: dict[str, tuple[datetime.date | None, datetime.date | None]] = {
            area.code: (area.valid_from, area.valid_until)
            for area in self.registry
            if area.valid_from is not None or area.valid_until is not None
        }
        transaction = data.Transaction
        for entry in entries:
            if type(entry) is not transaction:
                continue
            txn_area = entry.meta.get(META_AREA) if entry.meta else None
            postings = entry.postings
            for index, posting in enumerate(postings):
                meta = posting.meta
                if meta is None or _AUTOMATIC in meta:
                    meta = dict(meta or {})
                    postings[index] = posting = posting._replace(meta=meta)
                account = posting.account

                # Area: the posting's own, else the transaction's, else the account's.
                area = meta.get(META_AREA) or txn_area or account_area.get(account)
                extra = area_meta.get(area) if area is not None else None
                if extra is not None:
                    meta.update(extra)
                    if area in bounded:
                        self.validity_problem(entry, meta, area, bounded[area])
                else:
                    self.area_problem(entry, meta, account, area)

                # Value type: the posting's own, else the commodity's declaration.
                units = posting.units
                value_type = meta.get(META_VALUE_TYPE) or value_type_of.get(
                    units.currency if units is not None else ""
                )
                if value_type in value_types:
                    meta[META_VALUE_TYPE] = value_type
                else:
                    self.value_type_problem(entry, meta, posting, value_type)

                # Sector from the account, and a check of the counterparty area.
                sector = account_sector.get(account)
                if sector is not None and META_SECTOR not in meta:
                    meta[META_SECTOR] = sector
                counterparty = meta.get(META_COUNTERPARTY)
                if counterparty is not None and counterparty not in area_meta:
                    self.counterparty_problem(entry, meta, account, counterparty)

    def area_problem(
        self, txn: data.Transaction, meta: dict[str, Any], account: str, area: Any
    ) -> None:
        """Report an unknown area, or a missing one where an area is needed."""
        if area is not None:
            self.errors.append(
                error_at(
                    _where(meta, txn),
                    f"unknown area {area!r} on {account}; declare it"
                    f' with `custom "area" "{area}" "Name"` or correct the code',
                    txn,
                )
            )
        elif account.startswith(self.roots):
            self.errors.append(
                error_at(
                    _where(meta, txn),
                    f"posting on {account} has no area; add `area:` to the"
                    " posting, the transaction or the account's open directive",
                    txn,
                )
            )

    def validity_problem(
        self,
        txn: data.Transaction,
        meta: dict[str, Any],
        area: str,
        bounds: tuple[datetime.date | None, datetime.date | None],
    ) -> None:
        """Report a posting dated outside the validity of its area."""
        start, end = bounds
        if (start is None or txn.date >= start) and (end is None or txn.date <= end):
            return
        span = f"{start or '…'} until {end or '…'}"
        self.errors.append(
            error_at(
                _where(meta, txn),
                f"area {area} holds from {span}, but the posting is dated"
                f" {txn.date}; use the area whose boundaries held then",
                txn,
            )
        )

    def value_type_problem(
        self,
        txn: data.Transaction,
        meta: dict[str, Any],
        posting: data.Posting,
        value_type: Any,
    ) -> None:
        """Report a missing or unknown value type."""
        where = _where(meta, txn)
        if value_type is not None:
            self.errors.append(
                _bad_choice(where, "value type", value_type, VALUE_TYPES)
            )
            return
        currency = posting.units.currency if posting.units is not None else None
        self.errors.append(
            error_at(
                where,
                f"no value type for {currency} on {posting.account}; declare"
                f' the commodity with `value-type: "financieel"` (or another'
                " capital) or set it on the posting",
                txn,
            )
        )

    def counterparty_problem(
        self, txn: data.Transaction, meta: dict[str, Any], account: str, area: Any
    ) -> None:
        """Report a counterparty area the ledger does not declare."""
        if area == EXTERN:
            return
        self.errors.append(
            error_at(
                _where(meta, txn),
                f"unknown counterparty area {area!r} on {account}; use a declared"
                ' area code or "extern"',
                txn,
            )
        )


def _where(meta: dict[str, Any], txn: data.Transaction) -> dict[str, Any]:
    """The location to report: the posting's line, else the transaction's."""
    return meta if "lineno" in meta else txn.meta
