"""Bank statements (CAMT.053, ING, Rabobank, ABN AMRO) become entries and balances."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from local_support import (
    BANK_EXAMPLES,
    GOLDEN,
    RECORDED,
    assert_golden,
    bank_ledger,
    journal_of,
    ledger_errors,
    snapshot,
)

from wijkboekhouding.engine.cli import cli
from wijkboekhouding.engine.errors import WijkboekhoudingError
from wijkboekhouding.importers.bank.booking import OpeningMismatch, UnknownIban
from wijkboekhouding.importers.bank.command import import_bank
from wijkboekhouding.importers.bank.csvformats import abn_iban
from wijkboekhouding.importers.bank.fava_config import importers
from wijkboekhouding.importers.bank.importers import (
    IMPORTERS,
    AbnAmroImporter,
    Camt053Importer,
    IngImporter,
    RabobankImporter,
)
from wijkboekhouding.importers.bank.statement import iban_is_valid
from wijkboekhouding.importers.table.review import RejectedFile, UnreadableFile

SAMPLES = GOLDEN / "bank"
RULES = BANK_EXAMPLES / "regels.toml"
CAMT = SAMPLES / "camt053-abnamro-2025-01.xml"
ABN = SAMPLES / "abnamro-2025-02.TAB"
ING = SAMPLES / "ing-natuurclub-2025-03.csv"
RABO = SAMPLES / "rabobank-repaircafe-2025-02.csv"


def run(
    main: Path, statement: Path, rules: Path | None = RULES, **options: bool
) -> str:
    """Import a statement; return the text appended to the journal."""
    before = journal_of(main).read_text(encoding="utf-8")
    import_bank(main, statement, rules, recorded=RECORDED, **options)
    after = journal_of(main).read_text(encoding="utf-8")
    assert after.startswith(before)
    return after[len(before) :]


@pytest.fixture
def main(tmp_path: Path) -> Path:
    return bank_ledger(tmp_path)


@pytest.mark.parametrize(
    ("earlier", "statement", "golden"),
    [
        ((), CAMT, "bank/camt053-abnamro-2025-01.beancount"),
        ((CAMT,), ABN, "bank/abnamro-2025-02.beancount"),
        ((), ING, "bank/ing-natuurclub-2025-03.beancount"),
        ((), RABO, "bank/rabobank-repaircafe-2025-02.beancount"),
    ],
)
def test_each_statement_appends_its_golden_ledger_text(
    main: Path, earlier: tuple[Path, ...], statement: Path, golden: str
) -> None:
    for previous in earlier:
        run(main, previous)
    assert_golden(run(main, statement), golden)
    assert ledger_errors(main) == []


def test_all_four_statements_leave_a_ledger_whose_balances_hold(main: Path) -> None:
    for statement in (CAMT, ABN, ING, RABO):
        run(main, statement)
    entries, errors, _ = loader.load_file(str(main))
    assert [e.message for e in errors] == []
    balances = {
        (e.account, str(e.date)): str(e.amount)
        for e in entries
        if isinstance(e, data.Balance)
    }
    assert balances == {
        ("Assets:Vereniging:Bank", "2025-01-01"): "6118.45 EUR",
        ("Assets:Vereniging:Bank", "2025-02-01"): "10077.55 EUR",
        ("Assets:Vereniging:Bank", "2025-03-01"): "9085.70 EUR",
        ("Assets:Natuurclub:Bank", "2025-04-01"): "197.80 EUR",
        ("Assets:Repaircafe:Bank", "2025-03-01"): "173.75 EUR",
    }


@pytest.mark.parametrize("statement", [CAMT, ING, RABO])
def test_importing_a_statement_twice_appends_nothing(
    main: Path, statement: Path
) -> None:
    run(main, statement)
    before = snapshot(main)
    assert run(main, statement) == ""
    assert snapshot(main) == before


def test_the_abn_amro_account_number_becomes_the_iban() -> None:
    assert abn_iban("417164300") == "NL91ABNA0417164300"
    assert iban_is_valid("NL23 RABO 0387 6543 21")
    assert not iban_is_valid("NL23RABO0387654322")


def test_each_sample_is_recognised_by_exactly_one_importer() -> None:
    found = {
        sample.name: [cls.__name__ for cls in IMPORTERS if cls().identify(str(sample))]
        for sample in (CAMT, ABN, ING, RABO)
    }
    assert found == {
        CAMT.name: ["Camt053Importer"],
        ABN.name: ["AbnAmroImporter"],
        ING.name: ["IngImporter"],
        RABO.name: ["RabobankImporter"],
    }


def test_an_iban_no_account_declares_names_it_and_the_line_to_add(
    tmp_path: Path,
) -> None:
    from local_support import demo_copy

    main = demo_copy(tmp_path)
    before = snapshot(main)
    with pytest.raises(UnknownIban) as caught:
        import_bank(main, ING, RULES)
    assert "no account of the ledger declares IBAN NL55INGB0003456789" in str(
        caught.value
    )
    assert 'iban: "NL55INGB0003456789"' in str(caught.value)
    assert snapshot(main) == before


def test_a_break_in_the_running_balance_rejects_the_statement(
    main: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "ing.csv"
    text = ING.read_text(encoding="utf-8").replace('"265,00"', '"275,00"')
    broken.write_text(text, encoding="utf-8")
    before = snapshot(main)
    with pytest.raises(RejectedFile) as caught:
        import_bank(main, broken, RULES)
    message = str(caught.value)
    assert "rejected, 2 bad row(s)" in message
    assert "row 4, column 'Saldo na mutatie', value '275.00'" in message
    assert "row 3, column 'Saldo na mutatie', value '200.05'" in message
    assert snapshot(main) == before


def test_a_camt_statement_whose_balances_do_not_add_up_is_rejected(
    main: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "camt.xml"
    text = CAMT.read_text(encoding="utf-8").replace("10077.55", "10077.65")
    broken.write_text(text, encoding="utf-8")
    before = snapshot(main)
    with pytest.raises(RejectedFile) as caught:
        import_bank(main, broken, RULES)
    assert (
        "file, column 'Bal CLBD', value '10077.65': the opening balance 6118.45"
        " plus the entries gives 10077.55" in str(caught.value)
    )
    assert snapshot(main) == before


def test_a_statement_that_skips_a_month_is_refused(main: Path) -> None:
    before = snapshot(main)
    with pytest.raises(OpeningMismatch) as caught:
        import_bank(main, ABN, RULES)
    assert "opens at 10077.55 EUR on 2025-02-03, but the ledger holds 6118.45" in str(
        caught.value
    )
    assert snapshot(main) == before


def test_a_line_no_rule_matches_needs_the_default_account(main: Path) -> None:
    before = snapshot(main)
    with pytest.raises(RejectedFile) as caught:
        import_bank(main, CAMT, None)
    assert len(caught.value.bad) == 5
    assert "the ledger opens no account Income:Te-verdelen" in str(caught.value)
    assert snapshot(main) == before


def test_unmatched_lines_go_flagged_to_the_default_accounts(main: Path) -> None:
    with main.open("a", encoding="utf-8") as handle:
        handle.write(
            "2023-01-01 open Income:Te-verdelen EUR\n"
            "2023-01-01 open Expenses:Te-verdelen EUR\n"
        )
    text = run(main, CAMT, None)
    assert text.count(" ! ") == 5
    assert '  Income:Te-verdelen      -4000.00 EUR\n    area: "BU02020211"' in text
    assert ledger_errors(main) == []


def test_skipping_bad_lines_writes_no_balance_assertion(
    main: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "rabo.csv"
    raw = RABO.read_bytes().replace(b'"2025-02-03"', b'"03-02-2025"')
    broken.write_bytes(raw)
    outcome = import_bank(main, broken, RULES, skip_bad_rows=True, recorded=RECORDED)
    assert [(b.row, b.column) for b in outcome.skipped] == [(3, "Datum")]
    assert outcome.notes == ("no balance assertion was written, as lines were skipped",)
    text = journal_of(main).read_text(encoding="utf-8")
    assert "balance Assets:Repaircafe:Bank" not in text
    assert text.count("Assets:Repaircafe:Bank ") == 3


def test_a_file_of_no_known_format_is_refused(main: Path, tmp_path: Path) -> None:
    other = tmp_path / "notities.csv"
    other.write_text("Datum;Bedrag\n01-01-2025;5,00\n", encoding="utf-8")
    with pytest.raises(UnreadableFile) as caught:
        import_bank(main, other, RULES)
    assert "is not a statement this program reads" in str(caught.value)


def test_dry_run_shows_entries_and_summary_without_writing(main: Path) -> None:
    before = snapshot(main)
    result = CliRunner().invoke(
        cli,
        ["import", "bank", str(main), str(RABO), "--rules", str(RULES), "--dry-run"],
    )
    assert result.exit_code == 0, result.output
    assert "2025-03-01 balance Assets:Repaircafe:Bank" in result.output
    assert result.output.rstrip().endswith(
        f"would append 5 new entries to {journal_of(main)}; 0 already in the"
        " ledger; 0 bad row(s) skipped"
    )
    assert snapshot(main) == before


def test_fava_loads_the_import_config_and_extracts_the_same_entries(
    main: Path,
) -> None:
    from fava.core.ingest import extract_from_file, load_import_config

    shutil.copy(RULES, main.parent / "regels.toml")
    config = main.parent / "import_config.py"
    config.write_text(
        "from wijkboekhouding.importers.bank.fava_config import importers\n"
        'CONFIG = importers(__file__, rules="regels.toml")\n',
        encoding="utf-8",
    )
    loaded = load_import_config(config)
    assert sorted(loaded.importers) == [
        "wijkboekhouding.abnamro",
        "wijkboekhouding.camt053",
        "wijkboekhouding.ing",
        "wijkboekhouding.rabobank",
    ]
    wrapped = loaded.importers["wijkboekhouding.camt053"]
    info = wrapped.file_import_info(CAMT)
    assert (info.account, str(info.date)) == ("Assets:Vereniging:Bank", "2025-01-31")
    existing, _, _ = loader.load_file(str(main))
    entries = extract_from_file(wrapped, CAMT, existing)  # type: ignore[arg-type]
    assert [str(e.meta["id"]).rsplit(":", 1)[-1] for e in entries] == [
        "0417164300250106000000101",
        "0417164300250108000000102",
        "0417164300250115000000103",
        "0417164300250120000000104",
        "0417164300250131000000105",
        "2025-02-01",
    ]
    # Once imported, Fava marks every entry as a duplicate.
    run(main, CAMT)
    existing, _, _ = loader.load_file(str(main))
    entries = extract_from_file(wrapped, CAMT, existing)  # type: ignore[arg-type]
    assert all(e.meta.get("__duplicate__") for e in entries)


def test_the_importers_are_beangulp_importers() -> None:
    import beangulp

    assert all(isinstance(i, beangulp.Importer) for i in importers())
    assert [type(i) for i in importers()] == [
        Camt053Importer,
        IngImporter,
        RabobankImporter,
        AbnAmroImporter,
    ]


LINE = st.lists(
    st.one_of(
        st.text(max_size=10),
        st.sampled_from(
            [
                "20250303",
                "2025-13-01",
                "Af",
                "Bij",
                "12,50",
                "x",
                '"',
                ";",
                "NL55INGB0003456789",
            ]
        ),
    ),
    max_size=11,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(extra=st.lists(LINE, min_size=1, max_size=4))
def test_random_lines_in_a_statement_never_crash_or_write_part_of_it(
    tmp_path_factory: pytest.TempPathFactory, extra: list[list[str]]
) -> None:
    folder = tmp_path_factory.mktemp("random")
    main = bank_ledger(folder)
    statement = folder / "ing.csv"
    lines = ING.read_text(encoding="utf-8").splitlines()
    junk = [";".join('"' + c.replace('"', "") + '"' for c in row) for row in extra]
    statement.write_text("\n".join(lines[:2] + junk + lines[2:]) + "\n", "utf-8")
    before = snapshot(main)
    try:
        import_bank(main, statement, RULES, recorded=RECORDED)
    except WijkboekhoudingError:
        assert snapshot(main) == before
    else:
        assert ledger_errors(main) == []
    shutil.rmtree(folder)


def test_a_journal_outside_the_ledger_is_refused(main: Path, tmp_path: Path) -> None:
    other = main.parent / "bank.beancount"
    other.write_text("", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            *("import", "bank", str(main), str(RABO)),
            *("--rules", str(RULES), "--journal", str(other)),
        ],
    )
    assert result.exit_code == 1
    assert f'add `include "bank.beancount"` to {main} first' in result.output
    assert other.read_text(encoding="utf-8") == ""


def test_a_chosen_journal_file_that_the_ledger_includes_gets_the_entries(
    main: Path,
) -> None:
    other = main.parent / "bank.beancount"
    other.write_text("", encoding="utf-8")
    with main.open("a", encoding="utf-8") as handle:
        handle.write('include "bank.beancount"\n')
    outcome = import_bank(main, RABO, RULES, journal=other, recorded=RECORDED)
    assert outcome.target == other
    assert other.read_text(encoding="utf-8").count("Assets:Repaircafe:Bank") == 5
    assert ledger_errors(main) == []


@settings(max_examples=60, deadline=None)
@given(
    sample=st.sampled_from([CAMT, ABN, ING, RABO]),
    cut=st.integers(min_value=0, max_value=4000),
    junk=st.binary(max_size=40),
)
def test_damaged_statements_of_every_format_raise_only_our_errors(
    sample: Path, cut: int, junk: bytes
) -> None:
    import tempfile

    raw = sample.read_bytes()
    damaged = raw[:cut] + junk + raw[cut + len(junk) :]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / sample.name
        path.write_bytes(damaged)
        for cls in IMPORTERS:
            importer = cls()
            if not importer.identify(str(path)):
                continue
            try:
                statement = importer.read(path)
            except WijkboekhoudingError:
                continue
            assert statement.iban


def test_the_older_comma_layout_of_ing_imports_without_a_balance(
    main: Path, tmp_path: Path
) -> None:
    old = tmp_path / "ing-oud.csv"
    lines = []
    for line in ING.read_text(encoding="utf-8").splitlines():
        cells = line.split(";")[:9]
        lines.append(",".join(cells).replace("Mutatiesoort", "MutatieSoort"))
    old.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    text = run(main, old)
    assert text.count("Assets:Natuurclub:Bank ") == 4
    assert " balance " not in text
    assert '2025-03-03 * "Gemeente Arnhem" "Subsidie natuurclub 2025' in text
    assert ledger_errors(main) == []
