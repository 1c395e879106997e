"""The command line: new, check, report, and clear errors for bad input."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from wijkboekhouding.engine.cli import cli

WB = str(Path(sys.executable).parent / "wijkboekhouding")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed command as a user would."""
    return subprocess.run([WB, *args], capture_output=True, text=True, check=False)


def test_new_creates_a_ledger_that_passes_check(tmp_path: Path) -> None:
    folder = tmp_path / "arnhem"
    result = CliRunner().invoke(
        cli, ["new", str(folder), "--gemeente", "GM0202", "--name", "Arnhem"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == [
        "areas.beancount",
        "journal.beancount",
        "main.beancount",
    ]
    checked = CliRunner().invoke(cli, ["check", str(folder / "main.beancount")])
    assert checked.exit_code == 0, checked.output
    assert "ok (" in checked.output and "1 areas)" in checked.output


def test_new_refuses_a_folder_that_holds_a_ledger(tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["new", str(tmp_path), "--gemeente", "GM0202"])
    before = (tmp_path / "main.beancount").read_bytes()
    result = runner.invoke(cli, ["new", str(tmp_path), "--gemeente", "GM0202"])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path}: already holds main.beancount, areas.beancount,"
        " journal.beancount; choose an empty folder\n"
    )
    assert (tmp_path / "main.beancount").read_bytes() == before


def test_report_by_flows_as_json_has_exact_figures(demo_ledger: Path) -> None:
    result = run(
        "report",
        str(demo_ledger),
        "--level",
        "wijk",
        "--by",
        "flows",
        "--period",
        "2024",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        {
            "area": "WK020202",
            "name": "Spijkerkwartier",
            "unit": "EUR",
            "inflow": "4315.00",
            "outflow": "1448.05",
            "internal": "1895.50",
            "net": "2866.95",
            "local_share": "0.4037",
            "inhabitants": "6880",
            "net_per_inhabitant": "0.42",
        }
    ]


def test_report_by_account_as_csv(demo_ledger: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "report",
            str(demo_ledger),
            "--level",
            "buurt",
            "--by",
            "account:1",
            "--period",
            "2024",
            "--unit",
            "EUR",
            "--area",
            "BU02020212",
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output == (
        "area,name,key,unit,amount\nBU02020212,Boulevardwijk,Income,EUR,-315.00\n"
    )


def test_report_of_a_group_of_buurten_in_hours(demo_ledger: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "report",
            str(demo_ledger),
            "--level",
            "groep",
            "--by",
            "flows",
            "--unit",
            "UUR",
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    # 2023: 18 hours; 2024: 24 + 12 hours, all spent inside the group; the
    # 8 hours moved from Spijkerbuurt to Hommelstraat are an internal transfer.
    assert result.output.splitlines()[1] == (
        "groene-buurten,Groene buurten,UUR,54,0,62,54,1.0000,4840,0.01"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["check", "nowhere.beancount"],
            "Error: nowhere.beancount: no such ledger file; give the path of the main"
            " .beancount file (create one with `wijkboekhouding new DIR --gemeente"
            " GMxxxx`)",
        ),
        (
            ["report", "LEDGER", "--level", "provincie"],
            "Error: unknown level 'provincie'; this ledger has the levels: gemeente,"
            " wijk, buurt, groep, straat",
        ),
        (
            ["report", "LEDGER", "--period", "vorig jaar"],
            "Error: cannot read period 'vorig jaar'; use 2024, 2024-03, 2024-03-15 or a"
            " range like 2023..2024",
        ),
        (
            ["report", "LEDGER", "--by", "kleur"],
            "Error: cannot group by 'kleur'; use account:N, value-type, sector, unit,"
            " method, source or flows",
        ),
        (
            ["report", "LEDGER", "--unit", "eur"],
            "Error: unknown unit 'eur'; this ledger has the units: BOOM, EUR, UUR",
        ),
        (
            ["report", "LEDGER", "--area", "BU99999999"],
            "Error: unknown area 'BU99999999': the ledger declares no such area; see"
            " them with `wijkboekhouding areas LEDGER`",
        ),
    ],
)
def test_bad_input_gives_one_clear_line(
    demo_ledger: Path, args: list[str], message: str
) -> None:
    args = [str(demo_ledger) if a == "LEDGER" else a for a in args]
    result = run(*args)
    assert result.returncode == 1
    assert result.stderr.strip() == message
    assert "Traceback" not in result.stderr


def test_an_unknown_option_is_named() -> None:
    result = run("report", "x.beancount", "--colour", "red")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == "Error: No such option '--colour'."
    assert "Traceback" not in result.stderr


def test_an_unparsable_ledger_is_reported_by_line(tmp_path: Path) -> None:
    path = tmp_path / "main.beancount"
    path.write_text(
        'plugin "wijkboekhouding.plugins.areas"\n2024-13-45 open Assets:X\n'
    )
    checked = run("check", str(path))
    assert checked.returncode == 1
    assert f"{path}:2: " in checked.stderr
    assert checked.stderr.strip().endswith(f"Error: 1 error(s) in {path}")
    reported = run("report", str(path))
    assert reported.returncode == 1
    assert reported.stderr.startswith(
        f"Error: the ledger has 1 error(s); run `wijkboekhouding check {path}`"
    )
    assert "Traceback" not in checked.stderr + reported.stderr


def test_a_plugin_that_cannot_be_imported_is_one_line_not_a_traceback(
    tmp_path: Path,
) -> None:
    path = tmp_path / "main.beancount"
    path.write_text(
        'plugin "wijkboekhouding.plugins.nonexistent"\n'
        'plugin "wijkboekhouding.plugins.areas"\n'
    )
    checked = run("check", str(path))
    assert checked.returncode == 1
    assert checked.stderr.splitlines() == [
        '<load>:0: Error importing "wijkboekhouding.plugins.nonexistent":'
        " ModuleNotFoundError: No module named 'wijkboekhouding.plugins.nonexistent'",
        f"Error: 1 error(s) in {path}",
    ]


def test_new_refuses_an_impossible_start_date_and_writes_nothing(
    tmp_path: Path,
) -> None:
    result = run("new", str(tmp_path / "x"), "--gemeente", "GM0202",
                 "--start", "2024-02-30")  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for --start: '2024-02-30' is not a date like 2024-01-01"
    )
    assert not (tmp_path / "x").exists()


def test_new_in_a_folder_it_cannot_create_names_it(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run("new", str(blocker / "ledger"), "--gemeente", "GM0202")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"Error: {blocker / 'ledger'}: Not a directory; check the path and its"
        " permissions"
    )


def test_serve_prints_the_address_of_our_page_and_fava_answers_it(
    demo_ledger: Path,
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [WB, "serve", str(demo_ledger), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline().strip()
        slug = "wijkboekhouding-spijkerkwartier"
        url = f"http://127.0.0.1:{port}/{slug}/extension/Wijkboekhouding/"
        assert first == f"Wijkboekhouding: {url}"
        status = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    status = answer.status
                    page = answer.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert status == 200
        assert "Wijkboekhouding" in page
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_table_report_says_whose_boundaries_its_areas_follow(
    demo_ledger: Path,
) -> None:
    buurten = CliRunner().invoke(
        cli, ["report", str(demo_ledger), "--level", "buurt", "--period", "2024"]
    )
    assert buurten.output.splitlines()[-1] == "Boundaries: CBS 2024 (3 areas)"
    streets = CliRunner().invoke(cli, ["report", str(demo_ledger), "--level", "straat"])
    assert streets.output.splitlines()[-1] == (
        "Boundaries: declared in the ledger (1 areas)"
    )


def test_measured_and_estimated_figures_can_be_shown_apart(demo_ledger: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "report",
            str(demo_ledger),
            "--level",
            "buurt",
            "--by",
            "method",
            "--unit",
            "BOOM",
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    # The tree count is the one entry that says it was measured.
    assert result.output.splitlines() == [
        "area,name,key,unit,amount",
        "BU02020210,Hommelstraat,measured,BOOM,38",
        "BU02020211,Spijkerbuurt,measured,BOOM,61",
        "BU02020212,Boulevardwijk,measured,BOOM,45",
    ]
