"""`wijkboekhouding import iv3` from a file: entries, idempotency and bad input."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from beancount.core import data
from iv3_support import BUNDLED, FIXTURES, arnhem_ledger, import_file, invoke

from wijkboekhouding.engine.ledger import load

AFVAL = "7-Volksgezondheid-en-milieu:7-3-Afval"


def _budget_entries(main: Path) -> dict[str, data.Transaction]:
    ledger = load(main)
    assert ledger.errors == []
    return {
        e.meta["taakveld"]: e
        for e in ledger.entries
        if isinstance(e, data.Transaction) and "taakveld" in e.meta
    }


def test_import_writes_arnhem_afval_in_euros_with_its_provenance(
    tmp_path: Path,
) -> None:
    main = arnhem_ledger(tmp_path, allocation=False)
    result = import_file(main)
    assert result.exit_code == 0, result.output
    # The bundled file has 71 taakvelden for Arnhem, 10 of them all zero.
    assert "appended 61 taakveld entries of Arnhem" in result.output

    afval = _budget_entries(main)["7.3"]
    # Arnhem;7.3 Afval;1113.0;25078.0;22115.0 (x EUR 1,000)
    amounts = {p.account: p.units.number for p in afval.postings}
    assert amounts == {
        f"Expenses:Publiek:Begroting:{AFVAL}": Decimal("22115000.00"),
        f"Income:Publiek:Begroting:{AFVAL}": Decimal("-25078000.00"),
        "Equity:Publiek:Begroting": Decimal("2963000.00"),
    }
    assert afval.narration == "Begroting 2024: 7.3 Afval"
    assert afval.payee == "Gemeente Arnhem"
    for key, value in {
        "id": "iv3:GM0202:2024:begroting:7.3",
        "source": "file:iv3_2024_begroting.csv",
        "method": "measured",
        "sector": "publiek",
        "area": "GM0202",
        "taakveld-name": "Afval",
        "iv3-scheme": "iv3-2024",
        "iv3-kind": "begroting",
    }.items():
        assert afval.meta[key] == value
    # The areas plugin put every posting in the gemeente, in sector publiek.
    assert {p.meta["gemeente"] for p in afval.postings} == {"GM0202"}
    assert {p.meta["sector"] for p in afval.postings} == {"publiek"}


def test_truncated_cbs_names_get_their_full_taakveld_name(tmp_path: Path) -> None:
    main = arnhem_ledger(tmp_path, allocation=False)
    import_file(main)
    entries = _budget_entries(main)
    assert entries["5.7"].meta["taakveld-name"] == (
        "Openbaar groen en (openlucht) recreatie"
    )
    # Treasury lasten are negative in the file: -2285.0.
    treasury = {p.account: p.units.number for p in entries["0.5"].postings}
    assert treasury[
        "Expenses:Publiek:Begroting:0-Bestuur-en-ondersteuning:0-5-Treasury"
    ] == (Decimal("-2285000.00"))


def test_a_second_import_appends_nothing(tmp_path: Path) -> None:
    main = arnhem_ledger(tmp_path, allocation=False)
    import_file(main)
    budget = tmp_path / "budget.beancount"
    before = budget.read_bytes()
    again = import_file(main)
    assert again.exit_code == 0, again.output
    assert "appended 0 taakveld entries" in again.output
    assert "61 already present" in again.output
    assert budget.read_bytes() == before


def test_dry_run_prints_the_entries_and_writes_nothing(tmp_path: Path) -> None:
    main = arnhem_ledger(tmp_path, allocation=False)
    before = (tmp_path / "budget.beancount").read_bytes()
    result = import_file(main, BUNDLED, "--dry-run")
    assert result.exit_code == 0, result.output
    assert 'id: "iv3:GM0202:2024:begroting:7.3"' in result.output
    assert (tmp_path / "budget.beancount").read_bytes() == before


def _bad_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = BUNDLED.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "bad.csv"
    bad.write_text(text.replace(old, new), encoding="utf-8")
    return bad


def _line_of(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(start))


def test_unknown_taakveld_names_file_line_and_value_and_changes_nothing(
    tmp_path: Path,
) -> None:
    main = arnhem_ledger(tmp_path / "l", allocation=False)
    bad = _bad_copy(tmp_path, "Arnhem;7.3 Afval;", "Arnhem;7.9 Afval;")
    files = {p: p.read_bytes() for p in (tmp_path / "l").iterdir()}
    result = import_file(main, bad)
    assert result.exit_code == 1
    line = _line_of(bad, "Arnhem;7.9")
    assert result.output == (
        f"Error: {bad}:{line}: unknown taakveld '7.9 Afval'; use a code of the Iv3"
        " scheme such as 7.3 or 6.71a (see docs/budgets.md for the list)\n"
    )
    assert {p: p.read_bytes() for p in files} == files


def test_a_gemeente_absent_from_the_file_is_named(tmp_path: Path) -> None:
    main = arnhem_ledger(tmp_path / "l", allocation=False)
    bad = _bad_copy(tmp_path, "\nArnhem;", "\nArnhemm;")
    before = (tmp_path / "l" / "budget.beancount").read_bytes()
    result = import_file(main, bad)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {bad}: no rows for gemeente GM0202 (Arnhem); check --gemeente"
        " and --year, or give a file that holds this gemeente with --from\n"
    )
    assert (tmp_path / "l" / "budget.beancount").read_bytes() == before


def test_an_amount_that_is_not_a_number_is_named(tmp_path: Path) -> None:
    main = arnhem_ledger(tmp_path / "l", allocation=False)
    bad = _bad_copy(
        tmp_path,
        "Arnhem;7.3 Afval;1113.0;25078.0;",
        "Arnhem;7.3 Afval;1113.0;25.078,0;",
    )
    result = import_file(main, bad)
    assert result.exit_code == 1
    line = _line_of(bad, "Arnhem;7.3")
    assert result.output.startswith(
        f"Error: {bad}:{line}: column Baten holds '25.078,0', not a number;"
    )
    assert (tmp_path / "l" / "budget.beancount").read_text() == "; Iv3 budget\n"


def test_a_gemeente_the_ledger_does_not_declare_is_refused(tmp_path: Path) -> None:
    main = arnhem_ledger(tmp_path, allocation=False)
    result = invoke(
        "import", "iv3", str(main), "--gemeente", "GM0505", "--year", "2024",
        "--kind", "begroting", "--from", str(BUNDLED),
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: {main}: the ledger declares no area GM0505; declare it first"
    )
    assert "Dordrecht" not in main.read_text()


def test_a_gemeente_code_outside_the_name_table_asks_for_its_name(
    tmp_path: Path,
) -> None:
    main = arnhem_ledger(tmp_path, allocation=False)
    result = invoke(
        "import", "iv3", str(main), "--gemeente", "GM0344", "--year", "2024",
        "--kind", "begroting", "--from", str(BUNDLED),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "gemeente 'GM0344' is not in the bundled name table" in result.output
    assert "pass --name with the name the file uses" in result.output


def test_golden_file_the_sample_rows_give_the_expected_entries(
    tmp_path: Path,
) -> None:
    # Five Arnhem rows (one all zero, one with negative lasten) and a
    # Nederland row, beside the entries they must produce.
    main = arnhem_ledger(tmp_path, allocation=False)
    result = import_file(main, FIXTURES / "golden_arnhem_2024.csv", "--dry-run")
    assert result.exit_code == 0, result.output
    expected = (FIXTURES / "golden_arnhem_2024.beancount").read_text(encoding="utf-8")
    assert result.output == expected
