"""Bank statements (CAMT.053, ING, Rabobank, ABN AMRO) become entries and balances."""

from __future__ import annotations

import shutil
from decimal import Decimal
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
from wijkboekhouding.importers.bank.booking import (
    ClosingMismatch,
    OpeningMismatch,
    UnknownIban,
)
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


def broken_ing(folder: Path) -> Path:
    """The ING sample with one restated balance: rows 3 and 4 no longer add up."""
    broken = folder / "ing-fout.csv"
    text = ING.read_text(encoding="utf-8").replace('"265,00"', '"275,00"')
    broken.write_text(text, encoding="utf-8")
    return broken


def test_lines_reported_as_skipped_are_not_written(main: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            *("import", "bank", str(main), str(broken_ing(tmp_path))),
            *("--rules", str(RULES), "--skip-bad-rows"),
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line[:42] for line in lines if line.startswith("skipped")] == [
        "skipped row 3, column 'Saldo na mutatie', ",
        "skipped row 4, column 'Saldo na mutatie', ",
    ]
    assert (
        f"appended 2 new entries to {journal_of(main)}; 0 already in the ledger;"
        " 2 bad row(s) skipped"
    ) in lines
    text = journal_of(main).read_text(encoding="utf-8")
    assert text.count("Assets:Natuurclub:Bank ") == 2
    assert '"Gemeente Arnhem"' in text
    assert '"Kosten OranjePakket"' in text
    assert "J. de Vries" not in text
    assert "Vogelbescherming" not in text
    assert ledger_errors(main) == []


def test_the_corrected_export_adds_only_the_skipped_lines_and_its_balance(
    main: Path, tmp_path: Path
) -> None:
    import_bank(main, broken_ing(tmp_path), RULES, skip_bad_rows=True)
    outcome = import_bank(main, ING, RULES, recorded=RECORDED)
    assert (len(outcome.new), outcome.duplicates) == (3, 2)
    assert [str(e.meta["id"]).rsplit(":", 1)[-1] for e in outcome.new] == [
        "ing-83d0490e9e11",
        "ing-725a585d391d",
        "2025-04-01",
    ]
    assert ledger_errors(main) == []
    text = journal_of(main).read_text(encoding="utf-8")
    assert text.count("Assets:Natuurclub:Bank ") == 5


def test_the_id_of_a_line_does_not_depend_on_the_balances_a_bank_restates(
    tmp_path: Path,
) -> None:
    restated = tmp_path / "abn.TAB"
    lines = []
    for line in ABN.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        for column in (3, 4):
            before = Decimal(cells[column].replace(",", "."))
            cells[column] = str(before + 100).replace(".", ",")
        lines.append("\t".join(cells))
    restated.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pairs = [
        (IngImporter(), ING, broken_ing(tmp_path)),
        (AbnAmroImporter(), ABN, restated),
    ]
    for importer, sample, other in pairs:
        first = importer.read(sample)
        second = importer.read(other)
        assert first.opening != second.opening or second.bad
        ids = [line.reference for line in first.lines]
        assert [line.reference for line in second.lines] == ids


# The ids the digest with balances gave, as ledgers written before hold them.
FORMER_IDS = {
    "bank/ing-natuurclub-2025-03.beancount": {
        "ing-0b1cc688b00b": "ing-012a390b1dc4",
        "ing-83d0490e9e11": "ing-4df807b900a8",
        "ing-725a585d391d": "ing-33cd581a06c3",
        "ing-f5f6d5b2d07d": "ing-71f7d206d744",
    },
    "bank/abnamro-2025-02.beancount": {
        "abn-030b9155974d": "abn-bf540a06771f",
        "abn-9e9764552473": "abn-aee3854fc60c",
        "abn-19d001c80f23": "abn-9834b5cca731",
        "abn-fc8f87188170": "abn-432a37570276",
    },
}


@pytest.mark.parametrize(
    ("earlier", "statement", "golden"),
    [
        ((), ING, "bank/ing-natuurclub-2025-03.beancount"),
        ((CAMT,), ABN, "bank/abnamro-2025-02.beancount"),
    ],
)
def test_lines_booked_under_their_former_digest_are_not_booked_again(
    main: Path, earlier: tuple[Path, ...], statement: Path, golden: str
) -> None:
    for previous in earlier:
        run(main, previous)
    text = (GOLDEN / golden).read_text(encoding="utf-8")
    for new, former in FORMER_IDS[golden].items():
        assert new in text
        text = text.replace(new, former)
    with journal_of(main).open("a", encoding="utf-8") as handle:
        handle.write(text)
    before = snapshot(main)
    assert run(main, statement) == ""
    assert snapshot(main) == before
    assert ledger_errors(main) == []


def test_an_import_after_which_the_closing_balance_fails_is_refused(
    main: Path,
) -> None:
    with journal_of(main).open("a", encoding="utf-8") as handle:
        handle.write(
            '\n2025-03-10 * "J. de Vries" "Donatie, met de hand geboekt"\n'
            '  area: "BU02020210"\n'
            "  Assets:Natuurclub:Bank   15.00 EUR\n"
            "  Income:Donaties\n"
        )
    assert ledger_errors(main) == []
    line = journal_of(main).read_text(encoding="utf-8").count("\n") - 3
    before = snapshot(main)
    with pytest.raises(ClosingMismatch) as caught:
        import_bank(main, ING, RULES)
    message = str(caught.value)
    assert (
        "the statement closes Assets:Natuurclub:Bank at 197.80 EUR, but with its"
        " new lines the ledger would hold 212.80 EUR at the start of 2025-04-01"
    ) in message
    assert message.endswith(
        f"{journal_of(main)}:{line}: 2025-03-10 J. de Vries Donatie, met de hand"
        " geboekt"
    )
    assert snapshot(main) == before


def test_a_statement_in_neither_utf8_nor_windows_1252_is_rejected(
    main: Path, tmp_path: Path
) -> None:
    damaged = tmp_path / "ing.csv"
    raw = ING.read_bytes().replace(b"Kosten OranjePakket", b"Kosten Oranje\x8dPakket")
    damaged.write_bytes(raw)
    before = snapshot(main)
    with pytest.raises(UnreadableFile) as caught:
        import_bank(main, damaged, RULES)
    assert str(caught.value) == (
        f"{damaged}: line 2 is neither UTF-8 nor Windows-1252 (byte 0x8d, after"
        ' \'"20250331";"Kosten Oranje\'); bank exports are UTF-8 or Windows-1252;'
        " download the statement again from the bank's website and import that"
        " file as it is, without saving it from another program; nothing was"
        " written"
    )
    assert snapshot(main) == before


UNKNOWN_IBAN = "NL89INGB0002468135"


def fava_ledger_with_statements(main: Path) -> tuple[Path, Path]:
    """Fava options, the import config and two statements beside the ledger.

    Returns the ING statement of the Natuurclub and one of an account that
    no ``open`` directive declares.
    """
    folder = main.parent
    shutil.copy(RULES, folder / "regels.toml")
    (folder / "import_config.py").write_text(
        "from wijkboekhouding.importers.bank.fava_config import importers\n"
        'CONFIG = importers(__file__, rules="regels.toml")\n',
        encoding="utf-8",
    )
    statements = folder / "bankafschriften"
    statements.mkdir()
    known = statements / ING.name
    shutil.copy(ING, known)
    stranger = statements / "ing-vogelwacht-2025-03.csv"
    text = ING.read_text(encoding="utf-8").replace("NL55INGB0003456789", UNKNOWN_IBAN)
    stranger.write_text(text, encoding="utf-8")
    text = main.read_text(encoding="utf-8")
    # Without our Fava extension: this test is about the import page only.
    lines = [line for line in text.splitlines() if '"fava-extension"' not in line]
    lines += [
        '2023-01-01 custom "fava-option" "import-config" "import_config.py"',
        '2023-01-01 custom "fava-option" "import-dirs" "bankafschriften"',
    ]
    main.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return known, stranger


def test_fava_lists_a_statement_of_an_undeclared_iban_under_no_importer(
    main: Path,
) -> None:
    from fava.core import FavaLedger

    known, stranger = fava_ledger_with_statements(main)
    ledger = FavaLedger(str(main), poll_watcher=True)
    ledger.ingest.load_file()
    assert ledger.ingest.errors == ()
    listed = {
        Path(found.name).name: [
            (info.importer_name, info.account, str(info.date))
            for info in found.importers
        ]
        for found in ledger.ingest.import_data()
    }
    assert listed == {
        known.name: [("wijkboekhouding.ing", "Assets:Natuurclub:Bank", "2025-03-31")],
        stranger.name: [],
    }
    entries = ledger.ingest.extract(str(known), "wijkboekhouding.ing")
    assert [type(e).__name__ for e in entries] == [
        *(["Transaction"] * 4),
        "Balance",
    ]
    assert not any("__former_id__" in e.meta for e in entries)


def test_fava_offers_the_statement_once_the_ledger_declares_its_iban(
    main: Path,
) -> None:
    from fava.core import FavaLedger

    _, stranger = fava_ledger_with_statements(main)
    ledger = FavaLedger(str(main), poll_watcher=True)
    ledger.ingest.load_file()
    assert ledger.ingest.import_data()[-1].importers == []
    # The user adds the account while Fava runs; the import page sees it.
    accounts = main.parent / "accounts.beancount"
    with accounts.open("a", encoding="utf-8") as handle:
        handle.write(
            "\n2023-01-01 open Assets:Vogelwacht:Bank EUR\n"
            '  area: "BU02020210"\n'
            f'  iban: "{UNKNOWN_IBAN}"\n'
        )
    found = ledger.ingest.import_data()[-1]
    assert Path(found.name) == stranger
    assert [(i.importer_name, i.account) for i in found.importers] == [
        ("wijkboekhouding.ing", "Assets:Vogelwacht:Bank")
    ]


def test_without_a_ledger_file_the_account_of_a_statement_is_not_made_up() -> None:
    importer = IngImporter(ledger="/nonexistent/main.beancount")
    assert importer.identify(str(ING))
    assert importer.account(str(ING)) == ""
