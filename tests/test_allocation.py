"""The allocation plugin: gemeente budgets split over buurten by declared keys."""

from __future__ import annotations

import textwrap
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from beancount.core import data
from beancount.parser import printer
from hypothesis import assume, given
from hypothesis import strategies as st
from iv3_support import budgeted_arnhem

from wijkboekhouding.engine.costs import costs_of
from wijkboekhouding.engine.errors import format_error
from wijkboekhouding.engine.ledger import load
from wijkboekhouding.plugins.allocation import largest_remainder

AFVAL = "7-Volksgezondheid-en-milieu:7-3-Afval"
EXPENSES = f"Expenses:Publiek:Begroting:{AFVAL}"
INCOME = f"Income:Publiek:Begroting:{AFVAL}"
EQUITY = "Equity:Publiek:Begroting"


def _entry(ledger_path: Path, taakveld: str) -> data.Transaction:
    ledger = load(ledger_path)
    assert ledger.errors == [], [format_error(e) for e in ledger.errors]
    return next(
        e
        for e in ledger.entries
        if isinstance(e, data.Transaction) and e.meta.get("taakveld") == taakveld
    )


def _by_area(entry: data.Transaction) -> dict[tuple[str, str], Decimal]:
    parts: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for posting in entry.postings:
        parts[(posting.meta["area"], posting.account)] += posting.units.number
    return dict(parts)


def test_arnhem_afval_is_split_by_households_as_worked_out_by_hand(
    tmp_path: Path,
) -> None:
    afval = _entry(budgeted_arnhem(tmp_path), "7.3")
    parts = _by_area(afval)

    # Lasten 22,115,000.00 EUR; the 83 buurten of Arnhem hold 85,245
    # households (CBS 2024).  Spijkerbuurt (BU02020211) has 2,515:
    #   2,211,500,000 cents x 2,515 / 85,245 = 65,246,319.43 cents.
    # Flooring all 83 quotas leaves 42 cents, which go to the 42 largest
    # remainders (all >= 0.5003); 0.43 is not among them, so 652,463.19.
    # Markt (BU02020100) has 1,085: 28,148,014.546 cents; 0.546 is among
    # them, so 281,480.15.
    assert parts[("BU02020211", EXPENSES)] == Decimal("652463.19")
    assert parts[("BU02020100", EXPENSES)] == Decimal("281480.15")
    # Baten 25,078,000.00 EUR: 73,988,116.605 and 31,919,326.647 cents;
    # here the 42 largest remainders are those >= 0.5248, both are in.
    assert parts[("BU02020211", INCOME)] == Decimal("-739881.17")
    assert parts[("BU02020100", INCOME)] == Decimal("-319193.27")
    # Each buurt's share balances on its own through the budget equity.
    assert parts[("BU02020211", EQUITY)] == Decimal("87417.98")
    assert parts[("BU02020100", EQUITY)] == Decimal("37713.12")

    # Every allocated posting names its key, year and source entry.
    spijker = next(
        p
        for p in afval.postings
        if p.meta["area"] == "BU02020211" and p.account == EXPENSES
    )
    assert {k: spijker.meta[k] for k in (
        "method", "allocation-key", "observation-year", "source-entry",
        "key-origin", "buurt", "wijk", "gemeente", "value-type", "sector",
    )} == {
        "method": "allocated",
        "allocation-key": "7.3 huishoudens",
        "observation-year": 2024,
        "source-entry": "iv3:GM0202:2024:begroting:7.3",
        "key-origin": "default",
        "buurt": "BU02020211",
        "wijk": "WK020202",
        "gemeente": "GM0202",
        "value-type": "financieel",
        "sector": "publiek",
    }  # fmt: skip


def test_the_parts_sum_to_the_gemeente_amount_to_the_cent(tmp_path: Path) -> None:
    afval = _entry(budgeted_arnhem(tmp_path), "7.3")
    totals: dict[str, Decimal] = defaultdict(Decimal)
    buurten = set()
    for posting in afval.postings:
        totals[posting.account] += posting.units.number
        buurten.add(posting.meta["area"])
    assert dict(totals) == {
        EXPENSES: Decimal("22115000.00"),
        INCOME: Decimal("-25078000.00"),
        EQUITY: Decimal("2963000.00"),
    }
    # All 83 buurten but BU02020338 (0 households) got a part; none is left
    # at gemeente level.
    assert len(buurten) == 82
    assert "BU02020338" not in buurten and "GM0202" not in buurten


def test_a_changed_key_changes_that_allocation_and_nothing_else(
    tmp_path: Path,
) -> None:
    plain = load(budgeted_arnhem(tmp_path / "plain"))
    override = 'custom "allocation-key" "7.3" "woningen"'
    changed = load(budgeted_arnhem(tmp_path / "changed", f"2017-01-01 {override}"))
    assert plain.errors == [] and changed.errors == []

    def budget(ledger: object) -> dict[str, data.Transaction]:
        return {
            e.meta["id"]: e
            for e in ledger.entries  # type: ignore[attr-defined]
            if isinstance(e, data.Transaction)
        }

    def postings(entry: data.Transaction) -> list[tuple[object, ...]]:
        return [
            (p.account, p.units, sorted(
                (k, v) for k, v in p.meta.items() if k not in ("filename", "lineno")
            ))
            for p in entry.postings
        ]  # fmt: skip

    before, after = budget(plain), budget(changed)
    assert before.keys() == after.keys()
    differing = [i for i in before if postings(before[i]) != postings(after[i])]
    assert differing == ["iv3:GM0202:2024:begroting:7.3"]

    # By dwellings: Spijkerbuurt has 1,597 of the 80,665 buurt dwellings:
    # 2,211,500,000 cents x 1,597 / 80,665 = 43,783,121.55 cents, so its part
    # is 437,831.21 or, with a leftover cent, 437,831.22.
    parts = _by_area(after["iv3:GM0202:2024:begroting:7.3"])
    exact = Fraction(2211500000 * 1597, 80665)
    assert int(exact) == 43783121
    assert parts[("BU02020211", EXPENSES)] == Decimal("437831.22")
    spijker = next(p for p in after["iv3:GM0202:2024:begroting:7.3"].postings
                   if p.meta["area"] == "BU02020211")  # fmt: skip
    assert spijker.meta["allocation-key"] == "7.3 woningen"
    assert spijker.meta["key-origin"].endswith("main.beancount:9")


def test_allocating_leaves_the_ledger_files_unchanged(tmp_path: Path) -> None:
    main = budgeted_arnhem(tmp_path)
    files = {p: p.read_bytes() for p in tmp_path.iterdir()}
    ledger = load(main)
    assert ledger.errors == []
    assert {p: p.read_bytes() for p in tmp_path.iterdir()} == files


# Small hand-written ledgers for the edge cases.

SMALL = """\
option "operating_currency" "EUR"
plugin "wijkboekhouding.plugins.areas"
plugin "wijkboekhouding.plugins.allocation"

2017-01-01 commodity EUR
  value-type: "financieel"
2017-01-01 open Expenses:Publiek:Begroting:7-Volksgezondheid-en-milieu:7-3-Afval EUR
  sector: "publiek"
2017-01-01 open Equity:Publiek:Begroting EUR
2024-01-01 custom "area" "GM0001" "Voorbeeld"
  level: "gemeente"
2024-01-01 custom "area" "WK000100" "Wijk"
  level: "wijk"
  parent: "GM0001"
2024-01-01 custom "area" "BU00010001" "Noord"
  level: "buurt"
  parent: "WK000100"
2024-01-01 custom "area" "BU00010002" "Zuid"
  level: "buurt"
  parent: "WK000100"
2024-01-01 custom "area" "BU00010003" "Oost"
  level: "buurt"
  parent: "WK000100"

2024-01-01 * "Gemeente Voorbeeld" "Begroting 2024: 7.3 Afval"
  id: "iv3:GM0001:2024:begroting:7.3"
  area: "GM0001"
  taakveld: "7.3"
  iv3-kind: "begroting"
  Expenses:Publiek:Begroting:7-Volksgezondheid-en-milieu:7-3-Afval  1000.00 EUR
  Equity:Publiek:Begroting                                          -1000.00 EUR
"""


def _small(tmp_path: Path, observations: str) -> Path:
    path = tmp_path / "small.beancount"
    path.write_text(SMALL + textwrap.dedent(observations), encoding="utf-8")
    return path


def _parts(path: Path) -> dict[tuple[str, str], Decimal]:
    return _by_area(_entry(path, "7.3"))


def test_a_buurt_without_the_figure_gets_nothing_and_its_share_stays_visible(
    tmp_path: Path,
) -> None:
    path = _small(
        tmp_path,
        """
        2024-01-01 custom "observation" "GM0001" "huishoudens" 700
        2024-01-01 custom "observation" "BU00010001" "huishoudens" 300
        2024-01-01 custom "observation" "BU00010002" "huishoudens" 100
        """,
    )
    # Oost has no figure: Noord gets 300/700 and Zuid 100/700 of 1000.00;
    # 428.571 + 142.857 = 571.43 (rounded half-even), 428.57 stays at GM.
    afval = _entry(path, "7.3")
    assert _by_area(afval) == {
        ("BU00010001", EXPENSES): Decimal("428.57"),
        ("BU00010002", EXPENSES): Decimal("142.86"),
        ("GM0001", EXPENSES): Decimal("428.57"),
        ("BU00010001", EQUITY): Decimal("-428.57"),
        ("BU00010002", EQUITY): Decimal("-142.86"),
        ("GM0001", EQUITY): Decimal("-428.57"),
    }
    assert afval.meta["unallocated-buurten"] == "BU00010003"
    remainder = next(p for p in afval.postings if p.meta["area"] == "GM0001")
    assert remainder.meta["unallocated-buurten"] == "BU00010003"
    assert "method" not in remainder.meta


def test_without_a_gemeente_figure_a_missing_buurt_keeps_the_entry_whole(
    tmp_path: Path,
) -> None:
    path = _small(
        tmp_path,
        """
        2024-01-01 custom "observation" "BU00010001" "huishoudens" 300
        2024-01-01 custom "observation" "BU00010002" "huishoudens" 100
        """,
    )
    # Oost's share is unknown: spreading 1000.00 as 750.00 and 250.00 over
    # Noord and Zuid would hand them Oost's part.  The entry stays whole.
    ledger = load(path)
    assert [format_error(e) for e in ledger.errors] == [
        f"{path}:25: allocation key 7.3 huishoudens (default): 1 of the 3"
        " buurten of GM0001 have no figure for 2024 (BU00010003) and GM0001"
        " has no figure of its own for 2024, so their share cannot be known and"
        " nothing is split; import their figures or the gemeente's, or choose"
        " another observation for this key (taakvelden 7.3 stay at gemeente"
        " level)"
    ]
    afval = next(e for e in ledger.entries if isinstance(e, data.Transaction))
    assert _by_area(afval) == {
        ("GM0001", EXPENSES): Decimal("1000.00"),
        ("GM0001", EQUITY): Decimal("-1000.00"),
    }
    assert afval.meta["unallocated-buurten"] == "BU00010003"

    # The cost table (as on the Fava page) says so for the wijk of Oost.
    costs = costs_of(ledger, "WK000100", "2024")
    assert list(costs.table["amount"]) == [Decimal("0.00"), Decimal("0.00")]
    assert costs.notes[1:] == (
        "not allocated below the gemeente, so not in WK000100: 7.3",
        "iv3:GM0001:2024:begroting:7.3: buurten without the key's figure got"
        " nothing: BU00010003",
    )


def test_a_gemeente_figure_below_its_buurten_keeps_the_entry_whole(
    tmp_path: Path,
) -> None:
    path = _small(
        tmp_path,
        """
        2024-01-01 custom "observation" "GM0001" "huishoudens" 350
        2024-01-01 custom "observation" "BU00010001" "huishoudens" 300
        2024-01-01 custom "observation" "BU00010002" "huishoudens" 100
        """,
    )
    ledger = load(path)
    assert [format_error(e) for e in ledger.errors] == [
        f"{path}:25: allocation key 7.3 huishoudens (default): 1 of the 3"
        " buurten of GM0001 have no figure for 2024 (BU00010003) and the"
        " figure of GM0001 itself (350) is below the sum of the buurten that"
        " have one (400), so their share cannot be known and nothing is split;"
        " import their figures or the gemeente's, or choose another observation"
        " for this key (taakvelden 7.3 stay at gemeente level)"
    ]
    afval = next(e for e in ledger.entries if isinstance(e, data.Transaction))
    assert {p.meta["area"] for p in afval.postings} == {"GM0001"}


def test_a_gemeente_figure_equal_to_its_buurten_leaves_nothing_for_the_missing(
    tmp_path: Path,
) -> None:
    path = _small(
        tmp_path,
        """
        2024-01-01 custom "observation" "GM0001" "huishoudens" 400
        2024-01-01 custom "observation" "BU00010001" "huishoudens" 300
        2024-01-01 custom "observation" "BU00010002" "huishoudens" 100
        """,
    )
    # The gemeente's own 400 households are all in Noord and Zuid: 300/400
    # and 100/400 of 1000.00; Oost is still named as having no figure.
    afval = _entry(path, "7.3")
    assert _by_area(afval) == {
        ("BU00010001", EXPENSES): Decimal("750.00"),
        ("BU00010002", EXPENSES): Decimal("250.00"),
        ("BU00010001", EQUITY): Decimal("-750.00"),
        ("BU00010002", EQUITY): Decimal("-250.00"),
    }
    assert afval.meta["unallocated-buurten"] == "BU00010003"


def test_a_key_naming_a_missing_observation_is_an_error_and_nothing_moves(
    tmp_path: Path,
) -> None:
    path = _small(
        tmp_path,
        """
        2024-01-01 custom "allocation-key" "7" "wmo-clienten"
        2024-01-01 custom "observation" "BU00010001" "huishoudens" 300
        """,
    )
    ledger = load(path)
    assert [format_error(e) for e in ledger.errors] == [
        f"{path}:33: allocation key 7 wmo-clienten ({path}:33) names observation"
        " 'wmo-clienten', but no buurt of GM0001 has it in 2024 or before;"
        " import it (`wijkboekhouding import cbs`) or override the key, e.g."
        ' custom "allocation-key" "7" "inwoners" (taakvelden 7.3 stay at'
        " gemeente level)"
    ]
    entry = next(e for e in ledger.entries if isinstance(e, data.Transaction))
    assert {p.meta["area"] for p in entry.postings} == {"GM0001"}


def test_a_key_with_all_zero_figures_is_an_error(tmp_path: Path) -> None:
    path = _small(
        tmp_path,
        """
        2024-01-01 custom "observation" "BU00010001" "huishoudens" 0
        2024-01-01 custom "observation" "BU00010002" "huishoudens" 0
        2024-01-01 custom "observation" "BU00010003" "huishoudens" 0
        """,
    )
    ledger = load(path)
    messages = [format_error(e) for e in ledger.errors]
    assert messages == [
        f"{path}:25: allocation key 7.3 huishoudens (default): the huishoudens"
        " figures of the buurten of GM0001 in 2024 are all zero, so nothing can"
        " be split; choose another observation for this key (taakvelden 7.3"
        " stay at gemeente level)"
    ]


def test_a_key_for_an_unknown_taakveld_is_an_error(tmp_path: Path) -> None:
    path = _small(tmp_path, '2024-01-01 custom "allocation-key" "7.9" "inwoners"\n')
    messages = [format_error(e) for e in load(path).errors]
    assert messages[0] == (
        f"{path}:32: allocation key for unknown taakveld '7.9'; use an Iv3 code"
        " such as 7.3, a group such as 6.71 or 6, or *"
    )


def test_largest_remainder_gives_leftover_units_to_the_largest_remainders() -> None:
    assert largest_remainder(100, [1, 1, 1], 3) == [34, 33, 33]
    assert largest_remainder(-100, [1, 1, 1], 3) == [-34, -33, -33]
    # Shares 1/2 and 1/4 of 10: 5 and 2.5; 7.5 rounds half-even to 8.
    assert largest_remainder(10, [2, 1], 4) == [5, 3]
    # 9 x 1/4 = 2.25 -> 2 units handed out: 2.25 rounds to 2.
    assert largest_remainder(9, [1], 4) == [2]


@given(
    units=st.integers(min_value=-(10**12), max_value=10**12),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1),
)
def test_largest_remainder_parts_always_sum_to_the_whole(
    units: int, weights: list[int]
) -> None:
    total = sum(weights)
    assume(total > 0)
    parts = largest_remainder(units, weights, total)
    assert sum(parts) == units
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - Fraction(units * weight, total)) < 1


def test_allocated_entries_print_with_beancounts_printer(tmp_path: Path) -> None:
    # Fava and bean-report print entries; every metadata value must print.
    afval = _entry(budgeted_arnhem(tmp_path), "7.3")
    text = printer.format_entry(afval)
    assert "observation-year: 2024" in text
    assert 'allocation-key: "7.3 huishoudens"' in text
