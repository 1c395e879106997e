"""The CBS importer, end to end: the real cbsodata client against a fake CBS."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data
from cbs_support import ODATA, invoke, new_ledger, serve, snapshot_of

from wijkboekhouding.engine.ledger import Ledger, load

SPIJKERKWARTIER = {
    # code: (name, inhabitants, average WOZ in euro, dwellings), 85984NED 2024
    "BU02020210": ("Hommelstraat", 1450, 243000, 939),
    "BU02020211": ("Spijkerbuurt", 3390, 344000, 1597),
    "BU02020212": ("Boulevardwijk", 2045, 343000, 1080),
}


def _import(ledger: Path, *args: str) -> str:
    result = invoke("import", "cbs", str(ledger), *args)
    assert result.exit_code == 0, result.output
    return result.output


def _observed(ledger: Ledger, area: str, name: str) -> Decimal | None:
    found = ledger.observations.own(area, name)
    return found.value if found else None


def _by_id(ledger: Ledger, entry_id: str) -> data.Directive:
    return next(e for e in ledger.entries if (e.meta or {}).get("id") == entry_id)


@pytest.fixture(scope="module")
def arnhem_online(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Arnhem imported once from the fake CBS over HTTP."""
    ledger = new_ledger(tmp_path_factory.mktemp("online") / "arnhem")
    with serve() as fake:
        output = _import(
            ledger,
            "--table",
            "85984NED",
            "--gemeente",
            "GM0202",
            "--catalog-url",
            fake.host,
        )
        assert any("%24skip" in r or "$skip" in r for r in fake.requests)
        assert any("filter" in r for r in fake.requests)
    return ledger, output


def test_online_import_holds_the_inhabitants_and_woz_cbs_published(
    arnhem_online: tuple[Path, str],
) -> None:
    ledger = load(arnhem_online[0])
    for code, (name, inhabitants, woz, dwellings) in SPIJKERKWARTIER.items():
        assert ledger.registry.name(code) == name
        assert _observed(ledger, code, "inwoners") == inhabitants
        assert _observed(ledger, code, "woz-gemiddeld") == woz
        assert _observed(ledger, code, "woningen") == dwellings
    assert _observed(ledger, "WK020202", "inwoners") == 6880
    assert _observed(ledger, "GM0202", "inwoners") == 167632


def test_online_import_declares_the_area_tree_with_cbs_names(
    arnhem_online: tuple[Path, str],
) -> None:
    ledger = load(arnhem_online[0])
    assert len(ledger.registry) == 108
    assert ledger.registry.ancestors("BU02020211") == ("WK020202", "GM0202")
    area = ledger.registry.get("WK020202")
    assert area is not None and area.name == "Spijkerkwartier"
    assert area.meta["cbs-year"] == 2024
    assert area.meta["source"] == "cbs:85984NED"


def test_total_woz_value_is_dwellings_times_average_and_marked_estimated(
    arnhem_online: tuple[Path, str],
) -> None:
    ledger = load(arnhem_online[0])
    stock = _by_id(ledger, "cbs:85984NED:2024:BU02020211:stock:woz-totaal")
    assert isinstance(stock, data.Transaction)
    # 1 597 dwellings x 344 (x 1 000 euro) = 549 368 000 euro.
    assert stock.postings[0].account == "Assets:Gebouwd:Woningwaarde"
    assert stock.postings[0].units.number == Decimal("549368000")
    assert stock.meta["method"] == "estimated: woningen x woz-gemiddeld"
    dwellings = _by_id(ledger, "cbs:85984NED:2024:BU02020211:stock:woningen")
    assert isinstance(dwellings, data.Transaction)
    assert str(dwellings.postings[0].units) == "1597 WONING"
    assert dwellings.meta["method"] == "measured"


def test_the_imported_ledger_passes_check(arnhem_online: tuple[Path, str]) -> None:
    result = invoke("check", str(arnhem_online[0]))
    assert result.exit_code == 0, result.output
    assert "ok (2078 entries, 108 areas)" in result.output


def test_empty_income_and_energy_columns_are_skipped_and_listed(
    arnhem_online: tuple[Path, str],
) -> None:
    ledger_path, output = arnhem_online
    ledger = load(ledger_path)
    assert _observed(ledger, "BU02020211", "inkomen-per-inwoner") is None
    assert "inkomen-per-inwoner: 108 areas (all)" in output
    assert "flow huishoudinkomen: 83 areas" in output
    assert "woz-gemiddeld: 12 areas: BU02020338" in output
    assert "skipped-missing 1640" in output
    assert not any(
        isinstance(e, data.Custom)
        and e.type == "observation"
        and e.values[1].value == "inkomen-per-inwoner"
        for e in ledger.entries
    )


def test_reimport_writes_nothing_and_leaves_the_files_byte_identical(
    arnhem_online: tuple[Path, str],
) -> None:
    ledger = arnhem_online[0]
    before = snapshot_of(ledger)
    with serve() as fake:
        output = _import(
            ledger,
            "--table",
            "85984NED",
            "--gemeente",
            "GM0202",
            "--catalog-url",
            fake.host,
        )
    assert "wrote 0 entries" in output
    assert (
        "new 0, unchanged 2070, corrected 0, withdrawn 0, skipped-missing 1640"
        in output
    )
    assert snapshot_of(ledger) == before


def test_summary_reports_buurten_that_do_not_add_up_to_their_wijk(
    arnhem_online: tuple[Path, str],
) -> None:
    output = arnhem_online[1]
    assert (
        "inwoners: WK020202 Spijkerkwartier 6880, its buurten add up to 6885"
        " (difference -5)" in output
    )


def test_summary_compares_the_gemeente_with_its_wijken_and_its_buurten(
    arnhem_online: tuple[Path, str],
) -> None:
    # CBS publishes 167,632 inhabitants for Arnhem; its 24 wijken add up to
    # 167,630 and its 83 buurten to 167,635, each rounded on its own.
    lines = arnhem_online[1].splitlines()
    assert [line for line in lines if line.startswith("  inwoners: GM0202")] == [
        "  inwoners: GM0202 Arnhem 167632, its wijken add up to 167630 (difference 2)",
        "  inwoners: GM0202 Arnhem 167632, its buurten add up to 167635"
        " (difference -3)",
    ]


def test_download_writes_a_snapshot_that_imports_like_the_online_table(
    tmp_path: Path, arnhem_online: tuple[Path, str]
) -> None:
    snapshot = tmp_path / "snapshot"
    with serve() as fake:
        result = invoke(
            "download",
            "cbs",
            "--table",
            "85984NED",
            "--gemeente",
            "GM0202",
            "--catalog-url",
            fake.host,
            str(snapshot),
        )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in snapshot.iterdir()) == [
        "CategoryGroups.json",
        "DataProperties.json",
        "TableInfos.json",
        "TypedDataSet.json",
        "WijkenEnBuurten.json",
    ]
    rows = json.loads((snapshot / "TypedDataSet.json").read_text())
    assert len(rows) == 108
    offline = new_ledger(tmp_path / "offline")
    _import(
        offline, "--table", "85984NED", "--gemeente", "GM0202", "--from", str(snapshot)
    )
    online_text = (arnhem_online[0].parent / "cbs.beancount").read_text()
    offline_text = (offline.parent / "cbs.beancount").read_text()
    strip = [line for line in online_text.splitlines() if "recorded:" not in line]
    assert [
        line for line in offline_text.splitlines() if "recorded:" not in line
    ] == strip


def test_2017_columns_match_on_their_stem_and_estimate_household_income(
    tmp_path: Path,
) -> None:
    ledger_path = new_ledger(tmp_path / "arnhem")
    output = _import(
        ledger_path,
        "--table",
        "83765NED",
        "--gemeente",
        "GM0202",
        "--from",
        str(ODATA / "83765NED"),
    )
    ledger = load(ledger_path)
    # GemiddeldeWoningwaarde_35 = 160 and GemiddeldInkomenPerInwoner_66 = 24.0.
    assert _observed(ledger, "BU02020211", "woz-gemiddeld") == 160000
    assert _observed(ledger, "BU02020211", "inwoners") == 3260
    assert _observed(ledger, "BU02020211", "inkomen-per-inwoner") == 24000
    flow = _by_id(ledger, "cbs:83765NED:2017:BU02020211:flow:huishoudinkomen")
    assert isinstance(flow, data.Transaction)
    # 3 260 inhabitants x 24.0 (x 1 000 euro) = 78 240 000 euro.
    assert [(p.account, p.units.number) for p in flow.postings] == [
        ("Assets:Particulier:Huishoudens", Decimal("78240000")),
        ("Income:Particulier:Inkomen", Decimal("-78240000")),
    ]
    assert flow.meta["method"] == "estimated: inwoners x inkomen-per-inwoner"
    assert ledger.registry.name("BU02020211") == "BU02020211"  # no names in 2017
    # The 2017 subset has no dwellings column: no stock, and the summary says so.
    assert _observed(ledger, "BU02020211", "woningen") is None
    assert "stock woningen: 83 areas: BU02020100" in output
    assert invoke("check", str(ledger_path)).exit_code == 0


def test_renumbered_2019_keys_import_and_energy_spending_uses_the_tariffs(
    tmp_path: Path,
) -> None:
    ledger_path = new_ledger(tmp_path / "arnhem")
    with serve() as fake:
        _import(
            ledger_path,
            "--table",
            "84583NED",
            "--gemeente",
            "GM0202",
            "--catalog-url",
            fake.host,
        )
    ledger = load(ledger_path)
    assert _observed(ledger, "BU02020211", "woningen") == 1597  # Woningvoorraad_34
    assert _observed(ledger, "BU02020211", "elektriciteit-gemiddeld") == 1710
    power = _by_id(ledger, "cbs:84583NED:2019:BU02020211:flow:elektriciteit")
    gas = _by_id(ledger, "cbs:84583NED:2019:BU02020211:flow:aardgas")
    assert isinstance(power, data.Transaction) and isinstance(gas, data.Transaction)
    # 1 597 dwellings x 1 710 kWh x 0.565 EUR/kWh = 1 542 941.55 -> 1 542 942.
    assert power.postings[0].units.number == Decimal("1542942")
    assert power.postings[0].meta["counterparty-area"] == "extern"
    # 1 597 dwellings x 760 m3 x 1.436 EUR/m3 = 1 742 901.92 -> 1 742 902.
    assert gas.postings[0].units.number == Decimal("1742902")
    assert "tarief-aardgas (2024: 1.436 EUR/m3" in gas.meta["method"]
    assert invoke("check", str(ledger_path)).exit_code == 0


def test_dry_run_reports_but_writes_nothing(tmp_path: Path) -> None:
    ledger = new_ledger(tmp_path / "arnhem")
    before = snapshot_of(ledger)
    output = _import(
        ledger,
        "--table",
        "84583NED",
        "--gemeente",
        "GM0202",
        "--from",
        str(ODATA / "84583NED"),
        "--dry-run",
    )
    assert "would write 83 entries" in output
    assert snapshot_of(ledger) == before


def test_the_2019_shaped_fixture_produces_the_golden_ledger(tmp_path: Path) -> None:
    ledger = new_ledger(tmp_path / "arnhem")
    _import(
        ledger,
        "--table",
        "84583NED",
        "--gemeente",
        "GM0202",
        "--from",
        str(ODATA / "84583NED"),
    )
    written = (ledger.parent / "cbs.beancount").read_text().splitlines()
    golden = ODATA.parent / "golden" / "84583NED_GM0202.beancount"
    without_stamps = [line for line in written if not line.startswith("  recorded: ")]
    assert without_stamps == golden.read_text().splitlines()
