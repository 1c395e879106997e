"""CBS revises a figure: the next import appends a linked correction."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from beancount.core import data
from cbs_support import copy_fixtures, invoke, new_ledger, snapshot_of

from wijkboekhouding.engine.ledger import load

OBSERVATION = "cbs:85984NED:2024:BU02020211:inwoners"
STOCK = "cbs:85984NED:2024:BU02020211:stock:woningen"


def _set(folder: Path, code: str, key: str, value: int) -> None:
    path = folder / "TypedDataSet.json"
    rows = json.loads(path.read_text())
    for row in rows:
        if row["WijkenEnBuurten"].strip() == code:
            row[key] = value
    path.write_text(json.dumps(rows))


def _import(ledger: Path, snapshot: Path) -> str:
    result = invoke(
        "import",
        "cbs",
        str(ledger),
        "--table",
        "85984NED",
        "--gemeente",
        "GM0202",
        "--from",
        str(snapshot),
    )
    assert result.exit_code == 0, result.output
    return result.output


def _entry(entries: list[data.Directive], entry_id: str) -> data.Directive:
    return next(e for e in entries if (e.meta or {}).get("id") == entry_id)


def test_a_revised_figure_is_corrected_and_linked_to_the_original(
    tmp_path: Path,
) -> None:
    tables = copy_fixtures(tmp_path / "odata3")
    snapshot = tables / "85984NED"
    ledger = new_ledger(tmp_path / "arnhem")
    _import(ledger, snapshot)

    # CBS revises Spijkerbuurt: 3 400 inhabitants and 1 600 dwellings.
    _set(snapshot, "BU02020211", "AantalInwoners_5", 3400)
    _set(snapshot, "BU02020211", "Woningvoorraad_35", 1600)
    before = (ledger.parent / "cbs.beancount").read_text()
    output = _import(ledger, snapshot)

    assert "corrected 4" in output  # inwoners, woningen, 2 stocks
    assert f"{OBSERVATION}: 3390 -> 3400" in output
    after = (ledger.parent / "cbs.beancount").read_text()
    assert after.startswith(before)  # appended, nothing rewritten

    loaded = load(ledger)
    assert not loaded.errors
    observed = loaded.observations.own("BU02020211", "inwoners")
    assert observed is not None and observed.value == 3400
    replacement = _entry(loaded.entries, OBSERVATION + "/replacement")
    assert replacement.meta["replaces"] == OBSERVATION

    reversal = _entry(loaded.entries, STOCK + "/reversal")
    new_stock = _entry(loaded.entries, STOCK + "/replacement")
    assert isinstance(reversal, data.Transaction)
    assert isinstance(new_stock, data.Transaction)
    assert reversal.meta["reverses"] == STOCK
    assert new_stock.meta["replaces"] == STOCK
    assert str(reversal.postings[0].units) == "-1597 WONING"
    assert str(new_stock.postings[0].units) == "1600 WONING"
    # The wijk's dwellings now hold the revised buurt: 939 + 1600 + 1080.
    frame = loaded.frame
    rows = frame[(frame["account"] == "Assets:Gebouwd:Woningen")]
    in_wijk = rows[rows["wijk"] == "WK020202"]
    assert sum(in_wijk["amount"], Decimal(0)) == 3619


def test_a_second_revision_chains_on_the_first_correction(tmp_path: Path) -> None:
    tables = copy_fixtures(tmp_path / "odata3")
    snapshot = tables / "85984NED"
    ledger = new_ledger(tmp_path / "arnhem")
    _import(ledger, snapshot)
    _set(snapshot, "BU02020211", "AantalInwoners_5", 3400)
    _import(ledger, snapshot)
    _set(snapshot, "BU02020211", "AantalInwoners_5", 3410)
    output = _import(ledger, snapshot)

    assert "corrected 1" in output
    loaded = load(ledger)
    assert not loaded.errors
    second = _entry(loaded.entries, OBSERVATION + "/replacement-2")
    assert second.meta["replaces"] == OBSERVATION + "/replacement"
    observed = loaded.observations.own("BU02020211", "inwoners")
    assert observed is not None and observed.value == 3410

    # And importing the same revision again writes nothing.
    files = snapshot_of(ledger)
    assert "wrote 0 entries" in _import(ledger, snapshot)
    assert snapshot_of(ledger) == files


WOZ = "cbs:85984NED:2024:BU02020211:woz-gemiddeld"
WOZ_STOCK = "cbs:85984NED:2024:BU02020211:stock:woz-totaal"


def _withdraw_woz(snapshot: Path, value: int | None = None) -> None:
    """CBS withdraws Spijkerbuurt's average WOZ (or publishes ``value``)."""
    path = snapshot / "TypedDataSet.json"
    rows = json.loads(path.read_text())
    for row in rows:
        if row["WijkenEnBuurten"].strip() == "BU02020211":
            row["GemiddeldeWOZWaardeVanWoningen_39"] = value
    path.write_text(json.dumps(rows))


def _woz_value(ledger: Path) -> Decimal:
    frame = load(ledger).frame
    rows = frame[
        (frame["account"] == "Assets:Gebouwd:Woningwaarde")
        & (frame["area"] == "BU02020211")
    ]
    return sum(rows["amount"], Decimal(0))


def test_a_withdrawn_figure_and_the_stock_built_from_it_are_undone(
    tmp_path: Path,
) -> None:
    tables = copy_fixtures(tmp_path / "odata3")
    snapshot = tables / "85984NED"
    ledger = new_ledger(tmp_path / "arnhem")
    _import(ledger, snapshot)
    # Spijkerbuurt: 1,597 dwellings x 344,000 EUR = 549,368,000 EUR.
    assert _woz_value(ledger) == 549368000

    _withdraw_woz(snapshot)
    before = (ledger.parent / "cbs.beancount").read_text()
    output = _import(ledger, snapshot).splitlines()

    # Two entries: the observation and the stock; 2,070 - 2 stay unchanged.
    assert output[1:6] == [
        f"wrote 2 entries to {ledger.parent / 'cbs.beancount'}",
        "new 0, unchanged 2068, corrected 0, withdrawn 2, skipped-missing 1640"
        " (already declared in the ledger: 3)",
        "withdrawn since the last import (CBS no longer publishes these figures;"
        " their entries are undone):",
        f"  {WOZ}: 344000 -> missing",
        f"  {WOZ_STOCK}: 549368000 EUR -> missing",
    ]
    # Not among the ordinary missing values: still the 12 areas of before.
    text = "\n".join(output)
    assert "  woz-gemiddeld: 12 areas: BU02020338," in text
    assert "  stock woz-totaal: 10 areas: BU02020338," in text

    # Appended, linked to the originals; nothing rewritten.
    after = (ledger.parent / "cbs.beancount").read_text()
    assert after.startswith(before)
    loaded = load(ledger)
    assert not loaded.errors
    gone = _entry(loaded.entries, WOZ + "/withdrawal")
    assert isinstance(gone, data.Custom) and gone.type == "observation-withdrawn"
    assert gone.meta["replaces"] == WOZ
    assert gone.meta["reason"] == (
        "CBS withdrew it from table 85984NED: 344000 -> missing"
    )
    reversal = _entry(loaded.entries, WOZ_STOCK + "/reversal")
    assert isinstance(reversal, data.Transaction)
    assert reversal.meta["reverses"] == WOZ_STOCK
    assert [str(p.units) for p in reversal.postings] == [
        "-549368000 EUR",
        "549368000 EUR",
    ]
    assert loaded.observations.own("BU02020211", "woz-gemiddeld") is None
    assert _woz_value(ledger) == 0

    # Importing again writes nothing; it is now an ordinary missing value.
    files = snapshot_of(ledger)
    again = _import(ledger, snapshot)
    assert "wrote 0 entries" in again
    assert "withdrawn 0, skipped-missing 1641" in again
    assert "  woz-gemiddeld: 13 areas: BU02020211," in again
    assert snapshot_of(ledger) == files


def test_a_figure_published_again_replaces_the_withdrawal(tmp_path: Path) -> None:
    tables = copy_fixtures(tmp_path / "odata3")
    snapshot = tables / "85984NED"
    ledger = new_ledger(tmp_path / "arnhem")
    _import(ledger, snapshot)
    _withdraw_woz(snapshot)
    _import(ledger, snapshot)

    _withdraw_woz(snapshot, 350)
    output = _import(ledger, snapshot)
    assert "new 0, unchanged 2068, corrected 2, withdrawn 0" in output
    assert f"  {WOZ}: missing -> 350000" in output
    # 1,597 dwellings x 350,000 EUR = 558,950,000 EUR.
    assert f"  {WOZ_STOCK}: missing -> 558950000 EUR" in output
    loaded = load(ledger)
    assert not loaded.errors
    back = _entry(loaded.entries, WOZ + "/replacement-2")
    assert back.meta["replaces"] == WOZ + "/withdrawal"
    observed = loaded.observations.own("BU02020211", "woz-gemiddeld")
    assert observed is not None and observed.value == 350000
    stock = _entry(loaded.entries, WOZ_STOCK + "/replacement")
    assert stock.meta["replaces"] == WOZ_STOCK
    assert _woz_value(ledger) == 558950000
