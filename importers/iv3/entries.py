"""Turn Iv3 figures into gemeente-level ledger entries.

One transaction per taakveld: the lasten as public spending, the baten as
public income, and the difference on the gemeente's budget equity, all in
the gemeente's area::

    2024-01-01 * "Gemeente Arnhem" "Begroting 2024: 7.3 Afval"
      id: "iv3:GM0202:2024:begroting:7.3"
      source: "file:iv3_2024_begroting.csv"
      method: "measured"
      sector: "publiek"
      area: "GM0202"
      taakveld: "7.3"
      taakveld-name: "Afval"
      iv3-scheme: "iv3-2024"
      iv3-kind: "begroting"
      Expenses:Publiek:Begroting:7-Volksgezondheid-en-milieu:7-3-Afval  22115000.00 EUR
      Income:Publiek:Begroting:7-Volksgezondheid-en-milieu:7-3-Afval  -25078000.00 EUR
      Equity:Publiek:Begroting                                          2963000.00 EUR

Accounts: one per taakveld, under its hoofdtaakveld and the kind of report,
so that ``--by account:4`` shows hoofdtaakvelden and ``account:5`` taakvelden,
and a begroting never adds up with the jaarrekening of the same year.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from beancount.core import amount, data

from wijkboekhouding.engine.model import (
    META_AREA,
    META_ID,
    META_METHOD,
    META_SECTOR,
    META_SOURCE,
    META_VALUE_TYPE,
)
from wijkboekhouding.importers.iv3.catalogue import scheme
from wijkboekhouding.importers.iv3.source import Figure, Iv3Figures

CURRENCY = "EUR"

# Accounts are opened once, on the first day of the Iv3 taakveld scheme, so
# that any later import of an earlier year still finds them open.
OPEN_DATE = datetime.date(2017, 1, 1)

META_TAAKVELD = "taakveld"
META_TAAKVELD_NAME = "taakveld-name"
META_KIND = "iv3-kind"
META_SCHEME = "iv3-scheme"


def equity_account(kind: str) -> str:
    """The account that balances the lasten and baten of one kind of report."""
    return f"Equity:Publiek:{kind.capitalize()}"


def entry_id(gemeente: str, year: int, kind: str, code: str) -> str:
    """The stable id of one taakveld's entry, the same from file or online."""
    return f"iv3:{gemeente}:{year}:{kind}:{code}"


def _meta(values: dict[str, object]) -> dict[str, object]:
    return {"filename": "<iv3>", "lineno": 0, **values}


def _posting(account: str, number: Decimal) -> data.Posting:
    units = amount.Amount(number, CURRENCY)
    return data.Posting(account, units, None, None, None, None)


def transaction(
    figure: Figure,
    found: Iv3Figures,
    gemeente: str,
    gemeente_name: str,
    year: int,
    kind: str,
) -> data.Transaction | None:
    """The entry of one taakveld, or None when it has no non-zero amount."""
    taakveld = figure.taakveld
    lasten = figure.lasten or Decimal(0)
    baten = figure.baten or Decimal(0)
    if not lasten and not baten:
        return None
    postings = []
    if lasten:
        postings.append(_posting(taakveld.account("Expenses", kind), lasten))
    if baten:
        postings.append(_posting(taakveld.account("Income", kind), -baten))
    postings.append(_posting(equity_account(kind), baten - lasten))
    meta = _meta(
        {
            META_ID: entry_id(gemeente, year, kind, taakveld.code),
            META_SOURCE: found.source,
            META_METHOD: "measured",
            META_SECTOR: "publiek",
            META_AREA: gemeente,
            META_TAAKVELD: taakveld.code,
            META_TAAKVELD_NAME: taakveld.name,
            META_SCHEME: scheme(year),
            META_KIND: kind,
        }
    )
    return data.Transaction(
        meta,
        datetime.date(year, 1, 1),
        "*",
        f"Gemeente {gemeente_name}",
        f"{kind.capitalize()} {year}: {taakveld.code} {taakveld.name}",
        frozenset(),
        frozenset(),
        postings,
    )


def build(
    found: Iv3Figures,
    gemeente: str,
    gemeente_name: str,
    year: int,
    kind: str,
    *,
    opened: set[str],
    euro_declared: bool,
) -> list[data.Directive]:
    """The entries to append: new opens (and EUR) first, then the transactions."""
    transactions = [
        txn
        for figure in found.figures
        if (txn := transaction(figure, found, gemeente, gemeente_name, year, kind))
    ]
    needed: list[str] = []
    for txn in transactions:
        for posting in txn.postings:
            if posting.account not in opened and posting.account not in needed:
                needed.append(posting.account)
    head: list[data.Directive] = []
    if not euro_declared and transactions:
        head.append(
            data.Commodity(_meta({META_VALUE_TYPE: "financieel"}), OPEN_DATE, CURRENCY)
        )
    head.extend(
        data.Open(_meta({META_SECTOR: "publiek"}), OPEN_DATE, account, [CURRENCY], None)
        for account in needed
    )
    return [*head, *transactions]
