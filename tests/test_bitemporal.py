"""Reports as known at a time: later corrections and seals do not change them."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

from audit_support import run
from beancount.parser import parser

from wijkboekhouding.engine.journal import append
from wijkboekhouding.engine.seal import seal

EXTRA = """\
2025-02-01 * "Gemeente Arnhem" "Extra wijkbudget"
  id: "gemeente:2025-02-01"
  area: "BU02020211"
  Assets:Vereniging:Bank            700.00 EUR
  Income:Subsidie:Gemeente
"""

FIX = EXTRA.replace("700.00", "750.00").replace('  id: "gemeente:2025-02-01"\n', "")


def balances(main: Path, *options: str) -> dict[tuple[str, str], Decimal]:
    result = run(
        "report",
        main,
        "--level",
        "buurt",
        "--by",
        "account:2",
        "--format",
        "json",
        *options,
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    return {(r["area"], r["key"]): Decimal(r["amount"]) for r in rows}


def difference(
    after: dict[tuple[str, str], Decimal], before: dict[tuple[str, str], Decimal]
) -> dict[tuple[str, str], Decimal]:
    keys = set(after) | set(before)
    changed = {k: after.get(k, Decimal(0)) - before.get(k, Decimal(0)) for k in keys}
    return {k: v for k, v in changed.items() if v}


def test_a_report_as_known_before_a_correction_differs_by_the_correction(
    demo_ledger: Path, tmp_path: Path
) -> None:
    journal = demo_ledger.parent / "journal.beancount"
    entries, errors, _ = parser.parse_string(EXTRA)
    assert errors == []
    append(journal, entries, recorded="2025-02-02T09:00:00.000000Z")
    fix = tmp_path / "fix.beancount"
    fix.write_text(FIX)
    result = run(
        "correct",
        demo_ledger,
        "gemeente:2025-02-01",
        "--reason",
        "bedrag",
        "--replace",
        fix,
    )
    assert result.exit_code == 0, result.output

    now = balances(demo_ledger)
    then = balances(demo_ledger, "--as-known-at", "2025-03-01")
    assert difference(now, then) == {
        ("BU02020211", "Assets:Vereniging"): Decimal("50.00"),
        ("BU02020211", "Income:Subsidie"): Decimal("-50.00"),
    }
    assert then[("BU02020211", "Assets:Vereniging")] == Decimal("6818.45")
    assert now[("BU02020211", "Assets:Vereniging")] == Decimal("6868.45")
    # Before the event was recorded it was not known at all.
    earlier = balances(demo_ledger, "--as-known-at", "2025-02-02T08:59:59Z")
    assert difference(then, earlier) == {
        ("BU02020211", "Assets:Vereniging"): Decimal("700.00"),
        ("BU02020211", "Income:Subsidie"): Decimal("-700.00"),
    }


def test_hand_written_events_count_as_recorded_when_first_sealed(
    demo_ledger: Path,
) -> None:
    unsealed = balances(demo_ledger, "--period", "2023", "--as-known-at", "2000-01-01")
    assert unsealed[("BU02020211", "Assets:Vereniging")] == Decimal("4232.00")

    done = seal(demo_ledger, datetime.date(2023, 12, 31))
    moment = datetime.datetime.fromisoformat(done.recorded.rstrip("Z"))
    just_before = (moment - datetime.timedelta(microseconds=1)).isoformat() + "Z"

    # Before the seal, the sealed 2023 events were not yet provably written;
    # the 2024 events, never sealed, still count as always known.
    assert balances(demo_ledger, "--period", "2023", "--as-known-at", just_before) == {}
    later = balances(demo_ledger, "--period", "2024", "--as-known-at", just_before)
    assert later == balances(demo_ledger, "--period", "2024")
    assert balances(
        demo_ledger, "--period", "2023", "--as-known-at", done.recorded
    ) == balances(demo_ledger, "--period", "2023")
