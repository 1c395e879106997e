"""Residents' spreadsheets become entries through a mapping; bad rows write nothing."""

from __future__ import annotations

import datetime
import shutil
from decimal import Decimal
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from local_support import (
    EXAMPLES,
    GOLDEN,
    RECORDED,
    assert_golden,
    journal_of,
    ledger_errors,
    snapshot,
    table_ledger,
)

from wijkboekhouding.engine.cli import cli
from wijkboekhouding.engine.errors import WijkboekhoudingError
from wijkboekhouding.importers.table.command import import_table
from wijkboekhouding.importers.table.encoding import (
    UndeclaredUtf8,
    WrongEncoding,
    single_byte,
)
from wijkboekhouding.importers.table.mapping import MappingError, UnusableConstant
from wijkboekhouding.importers.table.review import RejectedFile, UnreadableFile
from wijkboekhouding.importers.table.values import (
    BadValue,
    parse_amount,
    parse_date,
)

HOURS_XLSX = GOLDEN / "table" / "vrijwilligersuren.xlsx"


def run(main: Path, file: Path, mapping: str, **options: object) -> str:
    """Import and return the text appended to the journal."""
    before = journal_of(main).read_text(encoding="utf-8")
    import_table(main, file, EXAMPLES / mapping, recorded=RECORDED, **options)  # type: ignore[arg-type]
    after = journal_of(main).read_text(encoding="utf-8")
    assert after.startswith(before)
    return after[len(before) :]


@pytest.fixture
def main(tmp_path: Path) -> Path:
    return table_ledger(tmp_path)


@pytest.mark.parametrize(
    ("sample", "mapping", "golden"),
    [
        ("bomentelling.csv", "bomentelling.toml", "table/bomentelling.beancount"),
        ("repaircafe.csv", "repaircafe.toml", "table/repaircafe.beancount"),
        (
            "vrijwilligersuren.csv",
            "vrijwilligersuren.toml",
            "table/vrijwilligersuren.beancount",
        ),
    ],
)
def test_each_example_csv_appends_its_golden_ledger_text(
    main: Path, sample: str, mapping: str, golden: str
) -> None:
    text = run(main, EXAMPLES / sample, mapping)
    assert_golden(text, golden)
    assert ledger_errors(main) == []


def test_an_xlsx_sheet_gives_the_same_entries_as_its_csv_export(main: Path) -> None:
    text = run(main, HOURS_XLSX, "vrijwilligersuren.toml")
    assert_golden(text, "table/vrijwilligersuren.beancount")
    # The CSV export of the same sheet is recognised as already imported.
    again = run(main, EXAMPLES / "vrijwilligersuren.csv", "vrijwilligersuren.toml")
    assert again == ""


def test_importing_the_same_table_twice_appends_nothing(main: Path) -> None:
    first = run(main, EXAMPLES / "bomentelling.csv", "bomentelling.toml")
    assert first.count(" * ") == 6
    before = snapshot(main)
    outcome = import_table(
        main, EXAMPLES / "bomentelling.csv", EXAMPLES / "bomentelling.toml"
    )
    assert (len(outcome.new), outcome.duplicates) == (0, 6)
    assert snapshot(main) == before


def test_trees_counted_by_street_land_in_the_street_block_and_buurt(
    main: Path,
) -> None:
    run(main, EXAMPLES / "bomentelling.csv", "bomentelling.toml")
    from wijkboekhouding.engine.ledger import load

    frame = load(main).frame
    trees = frame[
        (frame["unit"] == "BOOM") & (frame["account"] == "Assets:Groen:Bomen")
    ]
    by_area = trees.groupby("area")["amount"].sum()
    # 2024 count (38, 61, 45) plus 2025: Spijkerstraat 7+4, Spijkerlaan 12,
    # 6828 CB 9 and Hommelstraat 6 in BU02020210, Boulevard Heuvelink 15.
    assert by_area["spijkerstraat"] == Decimal(11)
    assert by_area["blok-spijkerlaan"] == Decimal(12)
    assert by_area["BU02020210"] == Decimal(38 + 9 + 6)
    assert by_area["BU02020212"] == Decimal(45 + 15)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


BAD_TREES = """\
Datum;Straat;Soort;Aantal
03-05-2025;Spijkerstraat;Linde;7
31-02-2025;Spijkerstraat;Eik;3
03-05-2025;Spijkerstrat;Els;2
03-05-2025;Spijkerlaan;Beuk;twaalf
"""


def test_every_bad_row_is_listed_and_the_ledger_is_unchanged(
    main: Path, tmp_path: Path
) -> None:
    before = snapshot(main)
    sample = write(tmp_path / "bomen.csv", BAD_TREES)
    with pytest.raises(RejectedFile) as caught:
        import_table(main, sample, EXAMPLES / "bomentelling.toml")
    assert snapshot(main) == before
    message = str(caught.value)
    assert "3 bad row(s); nothing was written" in message
    assert "row 3, column 'Datum', value '31-02-2025': not a date" in message
    assert "row 4, column 'Straat', value 'Spijkerstrat'" in message
    assert "did you mean 'Spijkerstraat'" in message
    assert "row 5, column 'Aantal', value 'twaalf': not an amount" in message
    assert [b.row for b in caught.value.bad] == [3, 4, 5]


def test_skip_bad_rows_imports_the_rest_and_lists_the_skipped(
    main: Path, tmp_path: Path
) -> None:
    sample = write(tmp_path / "bomen.csv", BAD_TREES)
    outcome = import_table(
        main,
        sample,
        EXAMPLES / "bomentelling.toml",
        skip_bad_rows=True,
        recorded=RECORDED,
    )
    assert len(outcome.new) == 1
    assert [b.row for b in outcome.skipped] == [3, 4, 5]
    assert journal_of(main).read_text(encoding="utf-8").count("Bomentelling Linde") == 1
    assert ledger_errors(main) == []


@pytest.mark.parametrize(
    ("mapping_text", "expected"),
    [
        (
            'account = "Assets:Groen:Boomen"',
            "the ledger opens no account Assets:Groen:Boomen; did you mean"
            " Assets:Groen:Bomen",
        ),
        ('unit = "BOMEN"', "unit BOMEN is not declared"),
        ('area = "BU99999999"', "unknown area, street or postcode 'BU99999999'"),
    ],
)
def test_an_unknown_constant_account_unit_or_area_is_one_mapping_error(
    main: Path, tmp_path: Path, mapping_text: str, expected: str
) -> None:
    mapping = write(tmp_path / "m.toml", trees_mapping(mapping_text))
    before = snapshot(main)
    with pytest.raises(UnusableConstant) as caught:
        import_table(main, EXAMPLES / "bomentelling.csv", mapping)
    message = str(caught.value)
    assert "1 constant field(s) of the mapping cannot be used" in message
    assert message.count(expected) == 1
    assert "row 2" not in message
    assert snapshot(main) == before


def trees_mapping(*replacements: str) -> str:
    """The tree count's mapping with some of its ``key = value`` lines replaced."""
    lines = (EXAMPLES / "bomentelling.toml").read_text(encoding="utf-8").splitlines()
    for replacement in replacements:
        key = replacement.split(" = ")[0]
        lines = [replacement if ln.startswith(f"{key} = ") else ln for ln in lines]
    return "\n".join(lines) + "\n"


def test_two_wrong_constants_are_listed_once_each_not_once_per_row(
    main: Path, tmp_path: Path
) -> None:
    text = trees_mapping('account = "Assets:Groen:Boomen"', 'unit = "BOMEN"')
    mapping = write(tmp_path / "m.toml", text)
    result = CliRunner().invoke(
        cli,
        [
            *("import", "table", str(main), str(EXAMPLES / "bomentelling.csv")),
            *("--mapping", str(mapping)),
        ],
    )
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == (
        f"Error: {mapping}: 2 constant field(s) of the mapping cannot be used, so"
        " no row can be imported; nothing was written. Correct the mapping:"
    )
    assert [line.split(":")[0] for line in lines[1:]] == [
        "  account = 'Assets",
        "  unit = 'BOMEN'",
    ]
    assert "the ledger opens no account Assets:Groen:Boomen" in lines[1]
    assert "unit BOMEN is not declared" in lines[2]


def test_a_constant_account_opened_after_a_row_is_still_a_row_problem(
    main: Path, tmp_path: Path
) -> None:
    extra = main.parent / "spijkerkwartier-extra.beancount"
    with extra.open("a", encoding="utf-8") as handle:
        handle.write("2025-05-04 open Assets:Groen:Laat BOOM\n")
    mapping = write(tmp_path / "m.toml", trees_mapping('account = "Assets:Groen:Laat"'))
    with pytest.raises(RejectedFile) as caught:
        import_table(main, EXAMPLES / "bomentelling.csv", mapping)
    assert [b.row for b in caught.value.bad] == [2, 3, 4, 5]
    assert "Assets:Groen:Laat opens on 2025-05-04" in str(caught.value)


def test_a_missing_column_names_it_and_the_columns_there_are(
    main: Path, tmp_path: Path
) -> None:
    sample = write(
        tmp_path / "b.csv",
        "Datum;Straat;Boom;Aantal\n03-05-2025;Spijkerstraat;Linde;7\n",
    )
    before = snapshot(main)
    with pytest.raises(UnreadableFile) as caught:
        import_table(main, sample, EXAMPLES / "bomentelling.toml")
    assert "has no column(s) 'Soort'" in str(caught.value)
    assert "'Datum', 'Straat', 'Boom', 'Aantal'" in str(caught.value)
    assert snapshot(main) == before


def test_a_wrong_sheet_name_lists_the_sheets(main: Path) -> None:
    before = snapshot(main)
    with pytest.raises(UnreadableFile) as caught:
        import_table(
            main, HOURS_XLSX, EXAMPLES / "vrijwilligersuren.toml", sheet="Urenlijst"
        )
    assert "has no sheet 'Urenlijst'; its sheets are: 'Toelichting', 'Uren'" in str(
        caught.value
    )
    assert snapshot(main) == before


def test_a_file_in_another_encoding_than_declared_is_rejected(
    main: Path, tmp_path: Path
) -> None:
    mapping_text = (EXAMPLES / "repaircafe.toml").read_text(encoding="utf-8")
    mapping = write(tmp_path / "m.toml", mapping_text.replace("cp1252", "utf-8"))
    before = snapshot(main)
    with pytest.raises(UnreadableFile) as caught:
        import_table(main, EXAMPLES / "repaircafe.csv", mapping)
    assert (
        "line 3 is not valid utf-8 (byte 0xe9, after"
        " '22-02-2025;Spijkerstraat;31;19;'); save the file as \"CSV UTF-8\" from"
        " the spreadsheet program, or declare its encoding under [source] in the"
        ' mapping, e.g. encoding = "cp1252" (Excel on Windows); nothing was'
        " written"
    ) in str(caught.value)
    assert snapshot(main) == before


def test_a_byte_that_windows_1252_lacks_rejects_a_file_of_no_declared_encoding(
    main: Path, tmp_path: Path
) -> None:
    raw = (EXAMPLES / "repaircafe.csv").read_bytes()
    sample = tmp_path / "repaircafe.csv"
    sample.write_bytes(raw.replace(b"veel fietsen", b"veel fiets\x81en"))
    text = (EXAMPLES / "repaircafe.toml").read_text(encoding="utf-8")
    mapping = write(tmp_path / "m.toml", text.replace('encoding = "cp1252"\n', ""))
    before = snapshot(main)
    with pytest.raises(WrongEncoding) as caught:
        import_table(main, sample, mapping)
    assert (
        "line 2 is neither UTF-8 nor Windows-1252 (byte 0x81, after"
        " 'Spijkerstraat;23;15;veel fiets'); save the file as \"CSV UTF-8\" from the"
        " spreadsheet program, or declare its encoding under [source] in the"
        ' mapping, e.g. encoding = "mac-roman" (an older Mac); nothing was written'
    ) in str(caught.value)
    assert snapshot(main) == before


def test_a_utf8_file_read_with_the_shipped_cp1252_mapping_is_rejected(
    main: Path, tmp_path: Path
) -> None:
    text = (EXAMPLES / "repaircafe.csv").read_text(encoding="cp1252")
    sample = write(tmp_path / "repaircafe.csv", text, "utf-8")
    before = snapshot(main)
    result = CliRunner().invoke(
        cli,
        [
            *("import", "table", str(main), str(sample)),
            *("--mapping", str(EXAMPLES / "repaircafe.toml")),
        ],
    )
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {sample}: is UTF-8 (line 3 has 'é', bytes 0xc3 0xa9), but the"
        " mapping declares encoding = 'cp1252', which would read it as 'Ã©'; set"
        ' encoding = "utf-8" under [source] in the mapping, or leave encoding out'
        " (UTF-8 is recognised); nothing was written\n"
    )
    assert snapshot(main) == before


def test_a_utf8_file_with_a_byte_order_mark_is_not_read_as_cp1252(
    main: Path, tmp_path: Path
) -> None:
    sample = tmp_path / "bomen.csv"
    raw = (EXAMPLES / "bomentelling.csv").read_bytes()
    sample.write_bytes(b"\xef\xbb\xbf" + raw)
    text = (EXAMPLES / "bomentelling.toml").read_text(encoding="utf-8")
    mapping = write(
        tmp_path / "m.toml", text.replace("[source]", '[source]\nencoding = "cp1252"')
    )
    with pytest.raises(UndeclaredUtf8) as caught:
        import_table(main, sample, mapping)
    assert "line 1 has the byte-order mark, bytes 0xef 0xbb 0xbf" in str(caught.value)


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("cp1252", True),
        ("latin-1", True),
        ("iso-8859-15", True),
        ("mac-roman", True),
        ("utf-8", False),
        ("utf-16", False),
        ("shift_jis", False),
    ],
)
def test_single_byte_encodings_are_told_from_multi_byte_ones(
    encoding: str, expected: bool
) -> None:
    assert single_byte(encoding) is expected


def test_dry_run_prints_the_entries_and_a_summary_and_writes_nothing(
    main: Path,
) -> None:
    before = snapshot(main)
    result = CliRunner().invoke(
        cli,
        [
            "import",
            "table",
            str(main),
            str(EXAMPLES / "repaircafe.csv"),
            "--mapping",
            str(EXAMPLES / "repaircafe.toml"),
            "--dry-run",
        ],
    )
    assert result.exit_code == 0, result.output
    assert '2025-02-22 * "Repair Café Spijkerstraat"' in result.output
    assert "31 BEZOEK" in result.output
    assert result.output.rstrip().endswith(
        f"would append 3 new entries to {journal_of(main)}; 0 already in the"
        " ledger; 0 bad row(s) skipped"
    )
    assert snapshot(main) == before


def test_the_command_reports_a_rejected_file_in_one_message(
    main: Path, tmp_path: Path
) -> None:
    sample = write(tmp_path / "bomen.csv", BAD_TREES)
    result = CliRunner().invoke(
        cli,
        [
            "import",
            "table",
            str(main),
            str(sample),
            "--mapping",
            str(EXAMPLES / "bomentelling.toml"),
        ],
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "rejected, 3 bad row(s)" in result.output


TREES_WITH_TWO_BAD_CELLS = """\
Datum;Straat;Soort;Aantal
03-05-2025;Spijkerstraat;Linde;7
31-02-2025;Spijkerstrat;Eik;drie
03-05-2025;Onbekendelaan;Els;twee
03-05-2025;Spijkerlaan;Beuk;twaalf
"""


def test_the_summary_counts_bad_rows_not_bad_cells(main: Path, tmp_path: Path) -> None:
    sample = write(tmp_path / "bomen.csv", TREES_WITH_TWO_BAD_CELLS)
    args = [
        *("import", "table", str(main), str(sample)),
        *("--mapping", str(EXAMPLES / "bomentelling.toml")),
    ]
    rejected = CliRunner().invoke(cli, args)
    assert rejected.exit_code == 1
    assert "rejected, 3 bad row(s); nothing was written" in rejected.output
    result = CliRunner().invoke(cli, [*args, "--skip-bad-rows"])
    assert result.exit_code == 0, result.output
    skipped = [line for line in result.output.splitlines() if "skipped row" in line]
    assert [line.split(",")[0] for line in skipped] == [
        "skipped row 3",
        "skipped row 3",
        "skipped row 3",
        "skipped row 4",
        "skipped row 4",
        "skipped row 5",
    ]
    assert result.output.rstrip().endswith(
        f"appended 1 new entry to {journal_of(main)}; 0 already in the ledger;"
        " 3 bad row(s) skipped"
    )


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("1.234,56", None, "1234.56"),
        ("-12,5", None, "-12.5"),
        ("12,50-", None, "-12.50"),
        ("€ 1.000", ",", "1000"),
        ("1234.5", None, "1234.5"),
        ("1,234.56", None, "1234.56"),
        ("7", None, "7"),
    ],
)
def test_dutch_and_english_amounts_are_read(
    text: str, decimal: str | None, expected: str
) -> None:
    assert parse_amount(text, decimal) == Decimal(expected)


@pytest.mark.parametrize("text", ["1.234", "12,3,4", "", "abc", "1.2.3,4,5"])
def test_unclear_amounts_are_refused(text: str) -> None:
    with pytest.raises(BadValue):
        parse_amount(text)


def test_dutch_dates_are_read() -> None:
    assert parse_date("31-12-2024") == datetime.date(2024, 12, 31)
    assert parse_date("31/12/2024") == datetime.date(2024, 12, 31)
    assert parse_date("2024-12-31") == datetime.date(2024, 12, 31)
    assert parse_date("20241231") == datetime.date(2024, 12, 31)


CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "03-05-2025",
            "31-02-2025",
            "1.234,5",
            "7",
            "-3",
            "Spijkerstraat",
            "6828 CB",
            "BU02020212",
            '"',
            ";",
            "\n",
        ]
    ),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(rows=st.lists(st.lists(CELL, min_size=0, max_size=6), max_size=6))
def test_random_rows_never_crash_and_never_write_part_of_a_file(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]]
) -> None:
    folder = tmp_path_factory.mktemp("random")
    main = table_ledger(folder)
    lines = ["Datum;Straat;Soort;Aantal"] + [
        ";".join(c.replace(";", ",") for c in row) for row in rows
    ]
    sample = write(folder / "random.csv", "\n".join(lines) + "\n")
    before = snapshot(main)
    try:
        outcome = import_table(
            main, sample, EXAMPLES / "bomentelling.toml", recorded=RECORDED
        )
    except WijkboekhoudingError:
        assert snapshot(main) == before
        return
    # Accepted: every entry was written, and the ledger still checks.
    written = journal_of(main).read_text(encoding="utf-8")
    assert written.count("Bomentelling") - before["journal.beancount"].decode().count(
        "Bomentelling"
    ) == len(outcome.new)
    assert ledger_errors(main) == []
    shutil.rmtree(folder)


def test_a_mapping_without_a_required_field_says_which(
    main: Path, tmp_path: Path
) -> None:
    text = (EXAMPLES / "bomentelling.toml").read_text(encoding="utf-8")
    mapping = write(tmp_path / "m.toml", text.replace('unit = "BOOM"\n', ""))
    with pytest.raises(MappingError) as caught:
        import_table(main, EXAMPLES / "bomentelling.csv", mapping)
    assert "[entry] misses unit; give each as a constant" in str(caught.value)


def test_a_file_named_xlsx_that_is_no_workbook_is_refused(
    main: Path, tmp_path: Path
) -> None:
    fake = write(tmp_path / "uren.xlsx", "Datum;Uren\n")
    before = snapshot(main)
    with pytest.raises(UnreadableFile) as caught:
        import_table(main, fake, EXAMPLES / "vrijwilligersuren.toml")
    assert "is not a readable Excel (.xlsx) file" in str(caught.value)
    assert snapshot(main) == before


def test_a_project_without_an_account_in_the_mapping_is_a_bad_row(
    main: Path, tmp_path: Path
) -> None:
    sample = write(
        tmp_path / "uren.csv",
        "Datum,Project,Postcode,Uren,Vrijwilliger\n"
        "12-04-2025,Geveltuinen,6828 BA,2,A.K.\n"
        "12-04-2025,Buurtkrant,6828 BA,2,A.K.\n",
    )
    with pytest.raises(RejectedFile) as caught:
        import_table(main, sample, EXAMPLES / "vrijwilligersuren.toml")
    assert [(b.row, b.column, b.value) for b in caught.value.bad] == [
        (3, "Project", "Buurtkrant")
    ]
    assert "no account is given for this value" in str(caught.value)


def test_contradicting_street_declarations_stop_the_import(main: Path) -> None:
    extra = main.parent / "spijkerkwartier-extra.beancount"
    with extra.open("a", encoding="utf-8") as handle:
        handle.write('2023-01-01 custom "area-alias" "Spijkerlaan" "BU02020212"\n')
    before = snapshot(main)
    # The ledger itself now fails its checks, so the import stops at the load.
    with pytest.raises(click.ClickException) as caught:
        import_table(
            main, EXAMPLES / "bomentelling.csv", EXAMPLES / "bomentelling.toml"
        )
    assert "the ledger has 1 error(s)" in str(caught.value)
    assert (
        "spijkerkwartier-extra.beancount:28: street 'Spijkerlaan' is given to both"
        " blok-spijkerlaan and BU02020212" in str(caught.value)
    )
    assert snapshot(main) == before


def test_excels_unicode_text_export_utf16_with_tabs_is_recognised(
    main: Path, tmp_path: Path
) -> None:
    csv_text = (EXAMPLES / "bomentelling.csv").read_text(encoding="utf-8")
    sample = tmp_path / "bomen.txt"
    sample.write_bytes(csv_text.replace(";", "\t").encode("utf-16"))
    text = (EXAMPLES / "bomentelling.toml").read_text(encoding="utf-8")
    mapping = write(tmp_path / "m.toml", text.replace('delimiter = ";"\n', ""))
    outcome = import_table(main, sample, mapping, recorded=RECORDED)
    assert len(outcome.new) == 6
    # Same ids as the semicolon CSV: importing that now adds nothing.
    again = import_table(main, EXAMPLES / "bomentelling.csv", mapping)
    assert (len(again.new), again.duplicates) == (0, 6)
