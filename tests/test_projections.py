"""Projections of the demo ledger, with figures worked out by hand.

The demo's 2024 money (EUR), by hand from ledgers/spijkerkwartier/journal:
the association's bank sits in Spijkerbuurt (BU02020211).  It receives the
wijkbudget 4,000.00 and 315.00 contributions booked as income of
Boulevardwijk (BU02020212); it pays the buurtfeest 1,250.00 (extern),
geveltuinen 600.00 spent in Hommelstraat (BU02020210) at a gardener there,
plantgoed 380.50 bought in Boulevardwijk, a market stall 145.25 in Markt
(BU02020100, wijk Centrum) and bank costs 52.80 (extern).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkboekhouding.engine.areas import AreaRegistry
from wijkboekhouding.engine.ledger import load
from wijkboekhouding.engine.postings import in_period, postings_frame
from wijkboekhouding.engine.projection import balances, flows_by_area, flows_of

D = Decimal


def flows_2024(path: Path, level: str, unit: str = "EUR") -> dict[str, tuple[str, ...]]:
    ledger = load(path)
    frame = in_period(ledger.frame, "2024")
    found = flows_by_area(frame, ledger.registry, level)
    return {
        area: (str(f.inflow), str(f.outflow), str(f.internal), str(f.net))
        for (area, u), f in found.items()
        if u == unit
    }


def test_buurt_flows_of_2024(demo_ledger: Path) -> None:
    assert flows_2024(demo_ledger, "buurt") == {
        # 600.00 paid in by the bank next door, spent at a local gardener.
        "BU02020210": ("600.00", "0.00", "600.00", "600.00"),
        # 4,000 subsidy + 315 paid in; 1,250 + 380.50 + 145.25 + 52.80
        # spent outside the buurt and 600 paid to Hommelstraat.
        "BU02020211": ("4315.00", "2428.55", "0.00", "1886.45"),
        # The contributions come in as income and go straight to the bank.
        "BU02020212": ("315.00", "315.00", "0.00", "0.00"),
    }


def test_wijk_flows_of_2024(demo_ledger: Path) -> None:
    # Internal: 600 + 380.50 spent inside the wijk, and the transfers
    # between its buurten: 315 contributions + 600 for the gardens.
    assert flows_2024(demo_ledger, "wijk") == {
        "WK020202": ("4315.00", "1448.05", "1895.50", "2866.95"),
    }
    ledger = load(demo_ledger)
    wijk = flows_of(in_period(ledger.frame, "2024"), ledger.registry, "WK020202", "EUR")
    assert wijk.internal_spending == D("980.50")
    assert wijk.spending == D("2428.55")
    assert round(wijk.local_share or 0, 4) == D("0.4037")


def test_gemeente_flows_of_2024_count_the_market_in_centrum_as_local(
    demo_ledger: Path,
) -> None:
    assert flows_2024(demo_ledger, "gemeente") == {
        "GM0202": ("4315.00", "1302.80", "1125.75", "3012.20"),
    }


def test_volunteer_hours_at_buurt_level(demo_ledger: Path) -> None:
    # 24 hours given in Spijkerbuurt, 8 of them spent in Hommelstraat; the
    # repair cafe's 12 hours stay in the Spijkerstraat, inside Spijkerbuurt.
    assert flows_2024(demo_ledger, "buurt", "UUR") == {
        "BU02020210": ("8", "0", "8", "8"),
        "BU02020211": ("36", "8", "28", "28"),
    }


def test_flows_of_2023_include_the_opening_balance(demo_ledger: Path) -> None:
    ledger = load(demo_ledger)
    frame = in_period(ledger.frame, "2023")
    wijk = flows_by_area(frame, ledger.registry, "wijk")[("WK020202", "EUR")]
    # 1,850 opening + 3,500 subsidy + 270 contributions; 1,100 + 48 out;
    # internal: 240 plantgoed bought in the wijk, and the transfers between
    # its buurten: 270 contributions + 240 for that plantgoed.
    assert (wijk.inflow, wijk.outflow, wijk.internal, wijk.net) == (
        D("5620.00"),
        D("1148.00"),
        D("750.00"),
        D("4472.00"),
    )


def test_balances_by_account_at_buurt_level(demo_ledger: Path) -> None:
    ledger = load(demo_ledger)
    table = balances(
        in_period(ledger.frame, "2024"), ledger.registry, "buurt", "account:2", "EUR"
    )
    rows = [(r.area, r.key, str(r.amount)) for r in table.itertuples()]
    assert rows == [
        ("BU02020210", "Expenses:Groen", "600.00"),
        ("BU02020211", "Assets:Vereniging", "1886.45"),
        ("BU02020211", "Expenses:Bank", "52.80"),
        ("BU02020211", "Expenses:Cultuur", "1395.25"),
        ("BU02020211", "Expenses:Groen", "380.50"),
        ("BU02020211", "Income:Subsidie", "-4000.00"),
        ("BU02020212", "Income:Contributies", "-315.00"),
    ]


@pytest.mark.parametrize("by", ["account:1", "account:3", "value-type", "sector"])
def test_children_sum_to_their_parent(demo_ledger: Path, by: str) -> None:
    ledger = load(demo_ledger)
    frame = ledger.frame
    buurten = balances(frame, ledger.registry, "buurt", by)
    wijken = balances(frame, ledger.registry, "wijk", by)
    gemeente = balances(frame, ledger.registry, "gemeente", by)
    summed = buurten.groupby(["key", "unit"])["amount"].sum()
    for table in (wijken, gemeente):
        assert table.groupby(["key", "unit"])["amount"].sum().to_dict() == {
            k: v for k, v in summed.to_dict().items() if v != 0
        }


def test_every_transaction_balances_per_unit(demo_ledger: Path) -> None:
    frame = load(demo_ledger).frame
    per_unit = frame.groupby(["txn", "unit"])["amount"].sum()
    assert set(per_unit) == {D(0)}
    assert len(per_unit) == 17


# The identity inflow - outflow = stock change + internal spending, on
# random ledgers over a small tree.

AREAS = ["BU02020210", "BU02020211", "BU02020100", "extern", None]
TREE = """
plugin "wijkboekhouding.plugins.areas"
2024-01-01 commodity EUR
  value-type: "financieel"
2024-01-01 custom "area" "GM0202" "Arnhem"
  level: "gemeente"
2024-01-01 custom "area" "WK020201" "Centrum"
  level: "wijk"
  parent: "GM0202"
2024-01-01 custom "area" "BU02020100" "Markt"
  level: "buurt"
  parent: "WK020201"
2024-01-01 custom "area" "WK020202" "Spijkerkwartier"
  level: "wijk"
  parent: "GM0202"
2024-01-01 custom "area" "BU02020210" "Hommelstraat"
  level: "buurt"
  parent: "WK020202"
2024-01-01 custom "area" "BU02020211" "Spijkerbuurt"
  level: "buurt"
  parent: "WK020202"
2024-01-01 open Assets:Bank
2024-01-01 open Income:Loon
2024-01-01 open Expenses:Zorg
2024-01-01 open Liabilities:Lening
2024-01-01 open Equity:Opening
"""

posting = st.tuples(
    st.sampled_from(
        ["Assets:Bank", "Income:Loon", "Expenses:Zorg", "Liabilities:Lening"]
    ),
    st.sampled_from(AREAS[:3]),
    st.sampled_from(AREAS),
    st.integers(-50000, 50000),
)
transaction = st.lists(posting, min_size=1, max_size=4)


def ledger_text(txns: list[list[tuple[str, str, str | None, int]]]) -> str:
    parts = [TREE]
    for number, postings in enumerate(txns):
        parts.append(f'2024-02-01 * "t{number}"')
        for account, area, counterparty, cents in postings:
            parts.append(f"  {account}  {D(cents) / 100} EUR")
            parts.append(f'    area: "{area}"')
            if counterparty and account.startswith("Expenses"):
                parts.append(f'    counterparty-area: "{counterparty}"')
        parts.append("  Equity:Opening")
    return "\n".join(parts) + "\n"


@settings(max_examples=40, deadline=None)
@given(st.lists(transaction, min_size=1, max_size=8))
def test_inflow_minus_outflow_is_stock_change_plus_internal_spending(
    txns: list[list[tuple[str, str, str | None, int]]],
) -> None:
    entries, errors, _ = loader.load_string(ledger_text(txns))
    assert errors == []
    frame = postings_frame(entries)
    registry, _ = AreaRegistry.from_entries(entries)
    for level in ("buurt", "wijk", "gemeente"):
        for flows in flows_by_area(frame, registry, level).values():
            assert flows.inflow - flows.outflow == (
                flows.stock_change + flows.internal_spending
            )
