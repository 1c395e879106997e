"""The bundled pilot ledger of Arnhem, built by the CBS importer."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from cbs_support import ODATA, invoke, snapshot_of

from wijkboekhouding.engine.ledger import load

ARNHEM = Path(__file__).parent.parent / "ledgers" / "arnhem" / "main.beancount"


def test_the_arnhem_ledger_passes_check_and_holds_the_whole_gemeente() -> None:
    ledger = load(ARNHEM)
    assert ledger.errors == []
    assert len(ledger.registry) == 108
    assert len(ledger.registry.at_level("wijk")) == 24
    assert len(ledger.registry.at_level("buurt")) == 83
    spijker = ledger.observations.own("BU02020211", "inwoners")
    assert spijker is not None and spijker.value == 3390
    frame = ledger.frame
    dwellings = frame[frame["account"] == "Assets:Gebouwd:Woningen"]
    # The buurten add up to the gemeente's published Woningvoorraad_35.
    assert sum(dwellings["amount"], Decimal(0)) == 80665


def test_reimporting_the_bundled_snapshot_into_the_pilot_changes_nothing() -> None:
    before = snapshot_of(ARNHEM)
    result = invoke(
        "import",
        "cbs",
        str(ARNHEM),
        "--table",
        "85984NED",
        "--gemeente",
        "GM0202",
        "--from",
        str(ODATA / "85984NED"),
        "--dry-run",
    )
    assert result.exit_code == 0, result.output
    assert "would write 0 entries" in result.output
    assert snapshot_of(ARNHEM) == before
