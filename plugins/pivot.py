"""Put the area at a chosen level into every account name, for Fava's reports.

In the spirit of hledger's ``--pivot``: Fava's own income statement, balance
sheet and charts then show one exact subtree per area, because each posting
moves to the account of its own area (Fava's filters keep or drop whole
transactions, which is not exact for a flow between two areas).  Use it from
a second ledger file that includes the main one; Beancount takes options
and plugins from the top file only, so that file names both plugins::

    option "title" "Spijkerkwartier per buurt"
    option "operating_currency" "EUR"
    plugin "wijkboekhouding.plugins.areas"
    plugin "wijkboekhouding.plugins.pivot" "buurt"
    include "main.beancount"

Before, a posting in buurt BU02020211 (its area written by the areas
plugin)::

    2024-06-08 * "Feestcommissie" "Buurtfeest Spijkerplein"
      Expenses:Cultuur:Buurtfeest       1250.00 EUR
        area: "BU02020211"
      Assets:Vereniging:Bank

After::

    2024-06-08 * "Feestcommissie" "Buurtfeest Spijkerplein"
      Expenses:BU02020211:Cultuur:Buurtfeest       1250.00 EUR
      Assets:BU02020211:Vereniging:Bank           -1250.00 EUR

A posting whose area lies above the level (a wijk-wide posting when the
level is buurt) goes under its own area's code; a posting without an area
(Equity may have none) keeps its account.  Every new account is opened (and
closed) when its original account is; a balance assertion moves with its
account when all of that account's postings went to one area.
"""

from __future__ import annotations

import re
from typing import Any

from beancount.core import data

from wijkboekhouding.engine.areas import AreaRegistry
from wijkboekhouding.engine.errors import LedgerError, error_at
from wijkboekhouding.engine.model import META_AREA

__plugins__ = ("pivot",)

_NOT_IN_ACCOUNT = re.compile(r"[^\w\-]")


def component(code: str) -> str:
    """An area code as an account component (``groene`` becomes ``Groene``)."""
    text = _NOT_IN_ACCOUNT.sub("-", code)
    return text[:1].upper() + text[1:]


def pivoted(account: str, code: str) -> str:
    """The account with the area's code after its root."""
    root, _, rest = account.partition(":")
    return f"{root}:{component(code)}" + (f":{rest}" if rest else "")


def pivot(
    entries: list[data.Directive], options_map: dict[str, Any], config: str = ""
) -> tuple[list[data.Directive], list[LedgerError]]:
    """Rewrite the accounts of every posting to put its area at ``config`` in."""
    registry, _ = AreaRegistry.from_entries(entries)
    level = (config or "").strip()
    if level not in registry.levels():
        known = ", ".join(registry.levels())
        where = {"filename": "<pivot>", "lineno": 0}
        message = (
            f"the pivot plugin needs a level this ledger has ({known}), not"
            f' {level!r}: plugin "wijkboekhouding.plugins.pivot" "buurt"'
        )
        return entries, [error_at(where, message)]

    # Step 1: move each posting to the account of its area.
    targets: dict[str, set[str]] = {}
    code_at: dict[str, str] = {}
    result: list[data.Directive] = []
    for entry in entries:
        if isinstance(entry, data.Transaction):
            postings = []
            for posting in entry.postings:
                area = (posting.meta or {}).get(META_AREA)
                if area is None:
                    postings.append(posting)
                    continue
                if area not in code_at:
                    code_at[area] = registry.ancestor_at(area, level) or area
                account = pivoted(posting.account, code_at[area])
                targets.setdefault(posting.account, set()).add(account)
                postings.append(posting._replace(account=account))
            entry = entry._replace(postings=postings)
        result.append(entry)

    # Step 2: open, close and assert the new accounts as their originals.
    final: list[data.Directive] = []
    for entry in result:
        moved = sorted(targets.get(getattr(entry, "account", ""), ()))
        if isinstance(entry, (data.Open, data.Close)):
            final.append(entry)
            final.extend(entry._replace(account=account) for account in moved)
        elif isinstance(entry, data.Balance) and len(moved) == 1:
            final.append(entry._replace(account=moved[0]))
        elif isinstance(entry, data.Balance) and moved:
            # Limitation: a balance assertion on an account whose postings
            # lie in several areas cannot be split; it is checked in the
            # main ledger and dropped here.
            continue
        else:
            final.append(entry)
    return final, []
