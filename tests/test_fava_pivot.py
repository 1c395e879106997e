"""The pivot plugin: area codes in account names, for Fava's own reports."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from beancount import loader
from beancount.core import data, realization
from fava.core import FavaLedger
from fava_support import copy_demo

PIVOT = """\
option "title" "Spijkerkwartier per {level}"
option "operating_currency" "EUR"
option "booking_method" "STRICT"
plugin "wijkboekhouding.plugins.areas"
plugin "wijkboekhouding.plugins.pivot" "{level}"
include "main.beancount"
"""


def pivot_ledger(folder: Path, level: str) -> Path:
    main = copy_demo(folder)
    path = main.parent / f"per-{level}.beancount"
    path.write_text(PIVOT.format(level=level), encoding="utf-8")
    return path


def totals(path: Path) -> dict[str, dict[str, Decimal]]:
    entries, errors, _ = loader.load_file(str(path))
    assert [e.message for e in errors] == []
    tree = realization.realize(entries)
    result = {}
    for account in realization.iter_children(tree):
        balance = realization.compute_balance(account)
        units = {pos.units.currency: pos.units.number for pos in balance}
        if units:
            result[account.account] = units
    return result


def test_each_posting_moves_to_the_account_of_its_buurt(tmp_path: Path) -> None:
    found = totals(pivot_ledger(tmp_path, "buurt"))
    assert found["Expenses:BU02020211:Cultuur:Buurtfeest"] == {
        "EUR": Decimal("2495.25")
    }
    assert found["Expenses:BU02020210"] == {
        "EUR": Decimal("840.00"),
        "UUR": Decimal("8"),
    }
    assert found["Income:BU02020212:Contributies"] == {"EUR": Decimal("-585.00")}
    # The bank account sits in Spijkerbuurt; its balance assertion moved along.
    assert found["Assets:BU02020211:Vereniging:Bank"] == {"EUR": Decimal("6118.45")}
    assert "Expenses:Cultuur" not in found
    # Equity has no area and keeps its account.
    assert found["Equity:Opening-Balances"] == {"EUR": Decimal("-1850.00")}


def test_a_finer_level_keeps_coarser_postings_under_their_own_area(
    tmp_path: Path,
) -> None:
    found = totals(pivot_ledger(tmp_path, "straat"))
    assert found["Expenses:Spijkerstraat:Sociaal:Repaircafe"] == {"UUR": Decimal("12")}
    assert found["Expenses:BU02020211:Groen:Onderhoud"] == {"UUR": Decimal("34")}


def test_the_wijk_subtree_holds_the_exact_wijk_totals(tmp_path: Path) -> None:
    found = totals(pivot_ledger(tmp_path, "wijk"))
    assert found["Income:WK020202"] == {
        "EUR": Decimal("-8085.00"),
        "UUR": Decimal("-54"),
    }
    assert found["Expenses:WK020202"]["EUR"] == Decimal("3816.55")


def test_an_unknown_level_is_an_error_and_changes_nothing(tmp_path: Path) -> None:
    entries, errors, _ = loader.load_file(str(pivot_ledger(tmp_path, "provincie")))
    assert len(errors) == 1
    assert "needs a level this ledger has" in errors[0].message
    assert "'provincie'" in errors[0].message
    accounts = {
        p.account
        for e in entries
        if isinstance(e, data.Transaction)
        for p in e.postings
    }
    assert "Expenses:Cultuur:Buurtfeest" in accounts


def test_fava_shows_the_pivoted_tree_without_errors(tmp_path: Path) -> None:
    ledger = FavaLedger(str(pivot_ledger(tmp_path, "buurt")))
    assert list(ledger.errors) == []
    tree = ledger.get_filtered().root_tree
    node = tree["Expenses:BU02020210"]
    assert node.balance_children == {
        ("EUR", None): Decimal("840.00"),
        ("UUR", None): Decimal("8"),
    }
    assert ledger.extensions.get_extension("Wijkboekhouding") is not None
