"""`wijkboekhouding report --costs`: public spending allocated to an area."""

from __future__ import annotations

import csv
import datetime
import json
import re
from decimal import Decimal
from pathlib import Path

from iv3_support import BUNDLED, TESTS, budgeted_arnhem, invoke


def _costs(main: Path, area: str) -> list[dict[str, str]]:
    result = invoke(
        "report", str(main), "--costs", "--area", area, "--period", "2024",
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_costs_of_spijkerbuurt_per_inhabitant_beside_arnhem(tmp_path: Path) -> None:
    rows = _costs(budgeted_arnhem(tmp_path), "BU02020211")
    afval = next(r for r in rows if r["taakveld"] == "7.3")
    # 652,463.19 EUR for 3,390 inhabitants = 192.467 -> 192.47;
    # Arnhem: 22,115,000.00 EUR for 167,632 inhabitants = 131.926 -> 131.93.
    assert afval == {
        "kind": "begroting",
        "taakveld": "7.3",
        "name": "Afval",
        "allocation_key": "7.3 huishoudens",
        "amount": "652463.19",
        "per_inhabitant": "192.47",
        "gemeente_amount": "22115000.00",
        "gemeente_per_inhabitant": "131.93",
    }
    # Treasury stays at gemeente level by its key: nothing in the buurt.
    treasury = next(r for r in rows if r["taakveld"] == "0.5")
    assert (treasury["amount"], treasury["gemeente_amount"]) == ("0.00", "-2285000.00")


def test_the_gemeente_total_is_the_sum_of_the_file(tmp_path: Path) -> None:
    rows = _costs(budgeted_arnhem(tmp_path), "GM0202")
    with BUNDLED.open(encoding="utf-8") as handle:
        lasten = sum(
            Decimal(r["Lasten"])
            for r in csv.DictReader(handle, delimiter=";")
            if r["Gemeenten"] == "Arnhem"
        )
    total = next(r for r in rows if r["taakveld"] == "total")
    assert total["amount"] == total["gemeente_amount"] == f"{lasten * 1000:.2f}"
    assert total["amount"] == "963713000.00"


def test_costs_need_an_area(tmp_path: Path) -> None:
    result = invoke("report", str(budgeted_arnhem(tmp_path)), "--costs")
    assert result.exit_code == 2
    assert "--costs needs --area CODE (a buurt, wijk or gemeente)" in result.output


def test_an_unknown_area_points_to_the_areas_command(tmp_path: Path) -> None:
    result = invoke(
        "report", str(budgeted_arnhem(tmp_path)), "--costs", "--area", "BU99999999"
    )
    assert result.exit_code == 1
    assert result.output == (
        "Error: unknown area 'BU99999999': the ledger declares no such area;"
        " see them with `wijkboekhouding areas LEDGER`\n"
    )
    # The command it names works.
    listed = invoke("areas", str(tmp_path / "main.beancount"))
    assert listed.exit_code == 0 and "BU02020211" in listed.output


def test_the_arnhem_pilot_ledger_holds_the_allocated_begroting() -> None:
    pilot = Path(__file__).parent.parent / "ledgers" / "arnhem" / "main.beancount"
    rows = _costs(pilot, "BU02020211")
    afval = next(r for r in rows if r["taakveld"] == "7.3")
    # The same CBS households as the test fixture, so the same figures.
    assert (afval["amount"], afval["per_inhabitant"]) == ("652463.19", "192.47")


def _recorded(path: Path) -> str:
    """The one ``recorded`` stamp of the pilot's begroting entries."""
    stamps = set(re.findall(r'recorded: "([^"]+)"', path.read_text(encoding="utf-8")))
    assert len(stamps) == 1, stamps
    return stamps.pop()


def test_costs_as_known_at_count_only_what_was_recorded_by_then() -> None:
    pilot = Path(__file__).parent.parent / "ledgers" / "arnhem"
    stamp = _recorded(pilot / "begroting.beancount")
    moment = datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    before = (moment - datetime.timedelta(seconds=1)).isoformat()
    options = ("--costs", "--area", "BU02020211", "--period", "2024")
    main = str(pilot / "main.beancount")

    early = invoke("report", main, *options, "--as-known-at", before)
    assert early.exit_code == 0, early.output
    assert early.stdout == "(no postings match)\n"
    assert early.stderr == (
        f"note: no allocated public spending for BU02020211 in 2024 as known at"
        f" {before}\n"
    )

    late = invoke("report", main, *options, "--as-known-at", stamp, "--format", "json")
    assert late.exit_code == 0, late.output
    afval = next(r for r in json.loads(late.stdout) if r["taakveld"] == "7.3")
    assert (afval["amount"], afval["per_inhabitant"]) == ("652463.19", "192.47")
    assert json.loads(late.stdout) == _costs(Path(main), "BU02020211")


def test_new_then_both_imports_give_a_ledger_that_allocates(tmp_path: Path) -> None:
    # The path of the README's first command: no line of the ledger by hand.
    main = tmp_path / "arnhem" / "main.beancount"
    snapshot = TESTS / "fixtures" / "cbs" / "odata3" / "85984NED"
    budget = tmp_path / "arnhem" / "begroting.beancount"
    steps = [
        ("new", str(main.parent), "--gemeente", "GM0202", "--name", "Arnhem"),
        ("import", "cbs", str(main), "--table", "85984NED",
         "--gemeente", "GM0202", "--from", str(snapshot)),
        ("import", "iv3", str(main), "--gemeente", "GM0202", "--year", "2024",
         "--kind", "begroting", "--from", str(BUNDLED), "--journal", str(budget)),
    ]  # fmt: skip
    for step in steps:
        result = invoke(*step)
        assert result.exit_code == 0, result.output

    afval = next(r for r in _costs(main, "BU02020211") if r["taakveld"] == "7.3")
    assert (afval["amount"], afval["per_inhabitant"]) == ("652463.19", "192.47")

    # A second import adds neither the include nor the plugin again.
    again = invoke(*steps[2])
    assert again.exit_code == 0, again.output
    text = main.read_text(encoding="utf-8")
    assert text.count('include "begroting.beancount"') == 1
    assert text.count('plugin "wijkboekhouding.plugins.allocation"') == 1
