"""The projection snapshot: reused while the ledger is unchanged, never stale."""

from __future__ import annotations

import shutil
from pathlib import Path

from wijkboekhouding.engine.ledger import load
from wijkboekhouding.engine.postings import in_period
from wijkboekhouding.engine.projection import flows_by_area


def wijk_inflow(path: Path) -> tuple[bool, str]:
    ledger = load(path, use_snapshot=True)
    frame = in_period(ledger.frame, "2024")
    flows = flows_by_area(frame, ledger.registry, "wijk")[("WK020202", "EUR")]
    return ledger.from_snapshot, str(flows.inflow)


def test_an_unchanged_ledger_is_answered_from_its_snapshot(demo_ledger: Path) -> None:
    assert wijk_inflow(demo_ledger) == (False, "4315.00")
    assert wijk_inflow(demo_ledger) == (True, "4315.00")
    assert (demo_ledger.parent / ".wijkboekhouding").is_dir()


def test_a_change_in_an_included_file_means_a_fresh_load(demo_ledger: Path) -> None:
    wijk_inflow(demo_ledger)
    journal = demo_ledger.parent / "journal.beancount"
    journal.write_text(
        journal.read_text()
        .replace(
            "Assets:Vereniging:Bank            4000.00 EUR",
            "Assets:Vereniging:Bank            4100.00 EUR",
        )
        .replace(
            "2025-01-01 balance Assets:Vereniging:Bank  6118.45 EUR",
            "2025-01-01 balance Assets:Vereniging:Bank  6218.45 EUR",
        )
    )
    assert wijk_inflow(demo_ledger) == (False, "4415.00")
    assert wijk_inflow(demo_ledger) == (True, "4415.00")


def test_a_copied_ledger_folder_does_not_use_the_original_snapshot(
    demo_ledger: Path, tmp_path: Path
) -> None:
    wijk_inflow(demo_ledger)
    copy = tmp_path / "copy"
    shutil.copytree(demo_ledger.parent, copy)
    assert wijk_inflow(copy / "main.beancount") == (False, "4315.00")


def test_a_ledger_with_errors_gets_no_snapshot(demo_ledger: Path) -> None:
    journal = demo_ledger.parent / "journal.beancount"
    journal.write_text(
        journal.read_text() + '\n2024-12-31 * "x"\n  Expenses:Nergens 1 EUR\n'
    )
    first = load(demo_ledger, use_snapshot=True)
    assert first.errors
    again = load(demo_ledger, use_snapshot=True)
    assert not again.from_snapshot and again.errors
