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


def test_a_figure_that_became_missing_is_kept_and_listed(tmp_path: Path) -> None:
    tables = copy_fixtures(tmp_path / "odata3")
    snapshot = tables / "85984NED"
    ledger = new_ledger(tmp_path / "arnhem")
    _import(ledger, snapshot)
    path = snapshot / "TypedDataSet.json"
    rows = json.loads(path.read_text())
    for row in rows:
        if row["WijkenEnBuurten"].strip() == "BU02020211":
            row["AantalInwoners_5"] = None
    path.write_text(json.dumps(rows))
    output = _import(ledger, snapshot)

    assert "wrote 0 entries" in output
    assert "inwoners: 1 areas: BU02020211" in output
    observed = load(ledger).observations.own("BU02020211", "inwoners")
    assert observed is not None and observed.value == 3390
