"""Corrections: an exact reversal, an optional replacement, both or neither."""

from __future__ import annotations

import re
from pathlib import Path

from audit_support import JOURNAL, run, write_ledger

from wijkboekhouding.engine.ledger import load

REPLACEMENT = """\
2024-02-10 * "Buurvrouw" "Gift februari"
  note: "contant"
  Assets:Kas         52.00 EUR
  Income:Giften
"""


def balance(main: Path, account: str) -> str:
    ledger = load(main)
    assert ledger.errors == []
    frame = ledger.frame
    return str(frame.loc[frame["account"] == account, "amount"].sum())


def test_correct_appends_the_exact_reversal_of_an_event(tmp_path: Path) -> None:
    main = write_ledger(tmp_path)
    before = main.read_text()
    result = run("correct", main, "gift-2", "--reason", "dubbel geboekt")
    assert result.exit_code == 0, result.output
    assert "appended gift-2/reversal (recorded 20" in result.output
    added = main.read_text()[len(before) :]
    assert re.sub(r'recorded: "[^"]+"', 'recorded: "T"', added) == (
        "\n"
        '2024-02-10 * "Buurvrouw" "Gift februari (reversal)"\n'
        '  id: "gift-2/reversal"\n'
        '  note: "contant"\n'
        '  reverses: "gift-2"\n'
        '  reason: "dubbel geboekt"\n'
        '  recorded: "T"\n'
        "  Assets:Kas     -25.00 EUR\n"
        "  Income:Giften   25.00 EUR\n"
    )
    assert balance(main, "Assets:Kas") == "105.00"  # 100 + 25 - 40 + 60 - 15 - 25


def test_a_replacement_is_appended_with_the_reversal(tmp_path: Path) -> None:
    main = write_ledger(tmp_path)
    fix = tmp_path / "fix.beancount"
    fix.write_text(REPLACEMENT)
    result = run("correct", main, "gift-2", "--reason", "bedrag", "--replace", fix)
    assert result.exit_code == 0, result.output
    assert "appended gift-2/reversal, gift-2/replacement" in result.output
    text = main.read_text()
    assert text.count('replaces: "gift-2"') == 1
    assert text.count('reverses: "gift-2"') == 1
    # 100 + 25 - 40 + 60 - 15 = 130; -25 + 52 = 157
    assert balance(main, "Assets:Kas") == "157.00"


def test_an_unknown_id_is_an_error_and_changes_nothing(tmp_path: Path) -> None:
    main = write_ledger(tmp_path)
    before = main.read_bytes()
    result = run("correct", main, "gift-9", "--reason", "x")
    assert result.exit_code == 1
    assert "no event has id 'gift-9'" in result.output
    assert main.read_bytes() == before


def test_an_event_already_reversed_cannot_be_reversed_again(tmp_path: Path) -> None:
    main = write_ledger(tmp_path)
    assert run("correct", main, "gift-2", "--reason", "eerste").exit_code == 0
    before = main.read_bytes()
    result = run("correct", main, "gift-2", "--reason", "tweede")
    assert result.exit_code == 1
    assert "event 'gift-2' is already reversed (main.beancount:" in result.output
    assert main.read_bytes() == before


def test_a_replacement_that_does_not_balance_is_refused(tmp_path: Path) -> None:
    main = write_ledger(tmp_path)
    fix = tmp_path / "fix.beancount"
    fix.write_text(
        '2024-02-10 * "Buurvrouw" "Gift"\n'
        "  Assets:Kas         52.00 EUR\n"
        "  Income:Giften     -50.00 EUR\n"
    )
    before = main.read_bytes()
    result = run("correct", main, "gift-2", "--reason", "x", "--replace", fix)
    assert result.exit_code == 1
    assert f"{fix}:1: Transaction does not balance: (2.00 EUR)" in result.output
    assert main.read_bytes() == before


def test_a_replacement_on_an_account_the_ledger_lacks_is_refused(
    tmp_path: Path,
) -> None:
    main = write_ledger(tmp_path)
    fix = tmp_path / "fix.beancount"
    fix.write_text(REPLACEMENT.replace("Income:Giften", "Income:Onbekend"))
    before = main.read_bytes()
    result = run("correct", main, "gift-2", "--reason", "x", "--replace", fix)
    assert result.exit_code == 1
    assert "account Income:Onbekend is not opened in the ledger" in result.output
    assert main.read_bytes() == before


def test_an_event_that_cannot_be_negated_needs_a_replacement(tmp_path: Path) -> None:
    journal = JOURNAL + (
        '\n2024-06-01 custom "observation" "BU02020211" "inwoners" 1234\n'
        '  id: "obs-1"\n'
    )
    main = write_ledger(tmp_path, journal)
    result = run("correct", main, "obs-1", "--reason", "x")
    assert result.exit_code == 1
    assert "event 'obs-1' is a custom; give its corrected version with --replace" in (
        result.output
    )
    fix = tmp_path / "fix.beancount"
    fix.write_text('2024-06-01 custom "observation" "BU02020211" "inwoners" 1240\n')
    result = run("correct", main, "obs-1", "--reason", "telling", "--replace", fix)
    assert result.exit_code == 0, result.output
    assert "appended obs-1/replacement" in result.output


def test_history_shows_the_event_and_its_corrections_in_recorded_order(
    tmp_path: Path,
) -> None:
    main = write_ledger(tmp_path)
    fix = tmp_path / "fix.beancount"
    fix.write_text(REPLACEMENT)
    run("correct", main, "gift-2", "--reason", "bedrag", "--replace", fix)
    fix.write_text(REPLACEMENT.replace("52.00", "53.00"))
    run("correct", main, "gift-2/replacement", "--reason", "weer", "--replace", fix)
    result = run("history", main, "gift-2")
    assert result.exit_code == 0
    heads = [line for line in result.output.splitlines() if not line.startswith(" ")]
    roles = [head.split("  ")[1] for head in heads]
    assert roles == [
        "original",
        "reversal of gift-2",
        "replacement of gift-2",
        "reversal of gift-2/replacement",
        "replacement of gift-2/replacement",
    ]
    assert heads[0].startswith("written by hand  original  main.beancount:22")
