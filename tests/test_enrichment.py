"""The areas plugin: what every posting carries after a real Beancount load."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from beancount import loader
from beancount.core import data
from ledger_support import HEADER

from wijkboekhouding.engine.errors import format_error

ACCOUNTS = """
2024-01-01 open Assets:Vereniging:Bank EUR
  area: "BU02020211"
  sector: "maatschappelijk"
2024-01-01 open Income:Subsidie EUR
  sector: "publiek"
2024-01-01 open Expenses:Groen EUR
2024-01-01 open Equity:Opening
"""


def load(path: Path) -> tuple[list[data.Transaction], list[str]]:
    entries, errors, _ = loader.load_file(str(path))
    txns = [e for e in entries if isinstance(e, data.Transaction)]
    return txns, [format_error(e) for e in errors]


def test_area_comes_from_posting_then_transaction_then_account(
    make_ledger: Callable[[str], Path],
) -> None:
    path = make_ledger(
        ACCOUNTS
        + """
2024-03-01 * "Subsidie"
  area: "BU02020210"
  Assets:Vereniging:Bank   100.00 EUR
  Income:Subsidie         -100.00 EUR
  Expenses:Groen             0.00 EUR
    area: "BU02020211"
"""
    )
    (txn,), errors = load(path)
    assert errors == []
    areas = [(p.account, p.meta["area"]) for p in txn.postings]
    # The transaction's area wins over the account's; the posting's over both.
    assert areas == [
        ("Assets:Vereniging:Bank", "BU02020210"),
        ("Income:Subsidie", "BU02020210"),
        ("Expenses:Groen", "BU02020211"),
    ]


def test_account_area_applies_when_nothing_else_says(
    make_ledger: Callable[[str], Path],
) -> None:
    path = make_ledger(
        ACCOUNTS
        + """
2024-03-01 * "Subsidie"
  Assets:Vereniging:Bank   100.00 EUR
  Income:Subsidie
    area: "BU02020210"
"""
    )
    (txn,), errors = load(path)
    assert errors == []
    bank, subsidy = txn.postings
    assert bank.meta["area"] == "BU02020211"
    assert (bank.meta["buurt"], bank.meta["wijk"], bank.meta["gemeente"]) == (
        "BU02020211",
        "WK020202",
        "GM0202",
    )
    assert bank.meta["sector"] == "maatschappelijk"
    assert bank.meta["value-type"] == "financieel"
    # The amount Beancount filled in itself is enriched the same way.
    assert subsidy.units.number == Decimal("-100.00")
    assert subsidy.meta["buurt"] == "BU02020210"
    assert subsidy.meta["sector"] == "publiek"
    assert subsidy.meta["value-type"] == "financieel"


def test_an_auto_posting_split_per_currency_gets_each_value_type(
    make_ledger: Callable[[str], Path],
) -> None:
    path = make_ledger(
        ACCOUNTS
        + """
2024-01-01 open Assets:Uren UUR
2024-03-01 * "Opening"
  Assets:Vereniging:Bank   100.00 EUR
  Assets:Uren                  12 UUR
    area: "BU02020210"
  Equity:Opening
"""
    )
    (txn,), errors = load(path)
    assert errors == []
    equity = {
        p.units.currency: p.meta for p in txn.postings if p.account == "Equity:Opening"
    }
    assert equity["EUR"]["value-type"] == "financieel"
    assert equity["UUR"]["value-type"] == "menselijk"
    assert "area" not in equity["EUR"]  # Equity may be area-less


def test_a_posting_may_name_its_own_value_type(
    make_ledger: Callable[[str], Path],
) -> None:
    path = make_ledger(
        ACCOUNTS
        + """
2024-03-01 * "Cultuurfonds"
  Assets:Vereniging:Bank   100.00 EUR
    value-type: "cultureel"
  Income:Subsidie
    area: "BU02020210"
"""
    )
    (txn,), errors = load(path)
    assert errors == []
    assert [p.meta["value-type"] for p in txn.postings] == ["cultureel", "financieel"]


def test_each_error_names_file_line_and_what_to_do(
    make_ledger: Callable[[str], Path],
) -> None:
    path = make_ledger(
        ACCOUNTS
        + """
2024-01-01 commodity XYZ
2024-01-01 open Assets:Vreemd XYZ
  area: "BU02020210"
2024-03-01 * "Fout"
  Assets:Vereniging:Bank   100.00 EUR
    area: "BU09999999"
  Income:Subsidie         -100.00 EUR
2024-03-02 * "Fout"
  Expenses:Groen            10.00 EUR
    value-type: "geluk"
    counterparty-area: "nergens"
  Equity:Opening
    area: "BU02020210"
2024-03-03 * "Fout"
  Assets:Vreemd                 1 XYZ
  Equity:Opening
"""
    )
    _, errors = load(path)
    lines = path.read_text().splitlines()

    def at(needle: str, occurrence: int = 0) -> str:
        found = [n for n, line in enumerate(lines, 1) if needle in line]
        return f"{path}:{found[occurrence]}"

    assert errors == [
        f"{at('Assets:Vereniging:Bank   100.00 EUR')}: unknown area 'BU09999999'"
        " on Assets:Vereniging:Bank; declare it with"
        ' `custom "area" "BU09999999" "Name"` or correct the code',
        f"{at('Income:Subsidie', 1)}: posting on Income:Subsidie has no area; add"
        " `area:` to the posting, the transaction or the account's open directive",
        f"{at('Expenses:Groen', 1)}: posting on Expenses:Groen has no area; add"
        " `area:` to the posting, the transaction or the account's open directive",
        f"{at('Expenses:Groen', 1)}: unknown value type 'geluk'; use one of:"
        " financieel, natuurlijk, gebouwd, menselijk, sociaal, cultureel, politiek",
        f"{at('Expenses:Groen', 1)}: unknown counterparty area 'nergens' on"
        ' Expenses:Groen; use a declared area code or "extern"',
        f"{at('Assets:Vreemd', 1)}: no value type for XYZ on Assets:Vreemd; declare"
        ' the commodity with `value-type: "financieel"` (or another capital) or'
        " set it on the posting",
        f"{at('Equity:Opening', 2)}: no value type for XYZ on Equity:Opening;"
        ' declare the commodity with `value-type: "financieel"` (or another'
        " capital) or set it on the posting",
    ]


def test_bean_check_prints_our_errors_with_file_and_line(
    make_ledger: Callable[[str], Path],
) -> None:
    path = make_ledger(
        ACCOUNTS
        + """
2024-03-01 * "Subsidie"
  Assets:Vereniging:Bank   100.00 EUR
  Income:Subsidie
"""
    )
    bean_check = Path(sys.executable).parent / "bean-check"
    result = subprocess.run(
        [str(bean_check), str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    line = path.read_text().splitlines().index("  Income:Subsidie") + 1
    assert f"{path}:{line}: posting on Income:Subsidie has no area" in result.stderr


def test_bean_query_groups_by_wijk_with_exact_figures(demo_ledger: Path) -> None:
    bean_query = Path(sys.executable).parent / "bean-query"
    query = (
        "SELECT meta('wijk') AS wijk, meta('buurt') AS buurt, sum(number) AS total"
        " WHERE account ~ '^Expenses' AND currency = 'EUR' AND year = 2024"
        " GROUP BY wijk, buurt ORDER BY wijk, buurt"
    )
    result = subprocess.run(
        [str(bean_query), "-f", "csv", str(demo_ledger), query],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.splitlines() == [
        "wijk,buurt,total",
        "WK020202,BU02020210, 600.00",
        "WK020202,BU02020211,1828.55",
    ]


def test_a_posting_outside_its_areas_validity_is_an_error(
    make_ledger: Callable[[str], Path],
) -> None:
    path = make_ledger(
        ACCOUNTS
        + """
2024-01-01 custom "area" "BU02020299" "Oude buurt"
  level: "buurt"
  parent: "WK020202"
  valid-until: 2024-06-30
2024-06-30 * "Laatste dag"
  Expenses:Groen            10.00 EUR
    area: "BU02020299"
  Equity:Opening
2024-07-01 * "Te laat"
  Expenses:Groen            10.00 EUR
    area: "BU02020299"
  Equity:Opening
"""
    )
    _, errors = load(path)
    lines = path.read_text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "Te laat" in text) + 1
    assert errors == [
        f"{path}:{line}: area BU02020299 holds from … until 2024-06-30, but the"
        " posting is dated 2024-07-01; use the area whose boundaries held then"
    ]


def test_with_the_tags_option_transactions_carry_their_areas_as_tags(
    make_ledger: Callable[[str], Path],
) -> None:
    header = HEADER.replace(
        'plugin "wijkboekhouding.plugins.areas"',
        'plugin "wijkboekhouding.plugins.areas" "tags"',
    )
    path = make_ledger(
        ACCOUNTS
        + """
2024-03-01 * "Geveltuinen" #groen
  Assets:Vereniging:Bank  -100.00 EUR
  Expenses:Groen           100.00 EUR
    area: "BU02020210"
""",
        header=header,
    )
    (txn,), errors = load(path)
    assert errors == []
    assert txn.tags == {"groen", "BU02020210", "BU02020211", "WK020202", "GM0202"}


def test_without_the_tags_option_no_tags_are_added(
    make_ledger: Callable[[str], Path],
) -> None:
    path = make_ledger(
        ACCOUNTS
        + """
2024-03-01 * "Geveltuinen"
  Assets:Vereniging:Bank  -100.00 EUR
  Expenses:Groen           100.00 EUR
    area: "BU02020210"
"""
    )
    (txn,), _ = load(path)
    assert txn.tags == frozenset()
