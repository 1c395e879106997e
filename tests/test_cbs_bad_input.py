"""Every bad input gives one clear message, a non-zero exit, and no change."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import cbsodata
import pytest
from cbs_support import FakeCBS, copy_fixtures, invoke, new_ledger, serve, snapshot_of


def _fail(ledger: Path, *args: str) -> str:
    before = snapshot_of(ledger)
    result = invoke("import", "cbs", str(ledger), *args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert snapshot_of(ledger) == before
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


def _online(ledger: Path, fake: FakeCBS, table: str = "85984NED", *extra: str) -> str:
    return _fail(
        ledger,
        "--table",
        table,
        "--gemeente",
        "GM0202",
        "--catalog-url",
        fake.host,
        *extra,
    )


def _server_error(fake: FakeCBS) -> None:
    fake.status = 500


def _slow(fake: FakeCBS) -> None:
    fake.delay = 1.5


def _malformed(fake: FakeCBS) -> None:
    fake.malformed = True


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (
            _server_error,
            "Error: table 85984NED: downloading from 127.0.0.1:{port} failed"
            " (HTTP 500); the ledger is unchanged. Try again later, check"
            " --catalog-url, or import a snapshot with --from DIR",
        ),
        (
            _slow,
            "Error: table 85984NED: downloading from 127.0.0.1:{port} failed"
            " (no answer within 0.3 s); the ledger is unchanged. Try again later,"
            " check --catalog-url, or import a snapshot with --from DIR",
        ),
        (
            _malformed,
            "Error: table 85984NED: 127.0.0.1:{port} sent an answer that is not"
            " CBS OData JSON (malformed JSON: Expecting property name enclosed in"
            " double quotes at character 44); the ledger is unchanged. Check"
            " --catalog-url or try again",
        ),
    ],
    ids=["http-500", "timeout", "malformed-json"],
)
def test_a_failing_server_leaves_the_ledger_unchanged(
    tmp_path: Path, fault: Callable[[FakeCBS], None], message: str
) -> None:
    ledger = new_ledger(tmp_path / "arnhem")
    with serve() as fake:
        fault(fake)
        line = _online(ledger, fake, "85984NED", "--timeout", "0.3")
    assert line == message.format(port=fake.port)


def test_an_unknown_table_id_says_so(tmp_path: Path) -> None:
    ledger = new_ledger(tmp_path / "arnhem")
    with serve() as fake:
        line = _online(ledger, fake, "99999NED")
    assert line == (
        f"Error: table 99999NED: 127.0.0.1:{fake.port} has no such table; check"
        " the id (the Kerncijfers wijken en buurten 2024 table is 85984NED)"
    )


def _other_table(root: Path) -> None:
    folder = root / "37230ned"
    folder.mkdir()
    info = [
        {
            "Identifier": "37230ned",
            "Title": "Bevolkingsontwikkeling; regio per maand",
            "Period": "2024",
        }
    ]
    (folder / "TableInfos.json").write_text(json.dumps(info))
    (folder / "_service.json").write_text(
        (root / "85984NED" / "_service.json")
        .read_text()
        .replace("85984NED", "37230ned")
    )


def test_a_table_of_another_kind_is_refused_before_download(tmp_path: Path) -> None:
    root = copy_fixtures(tmp_path / "odata3")
    _other_table(root)
    ledger = new_ledger(tmp_path / "arnhem")
    with serve(FakeCBS(root=root)) as fake:
        line = _online(ledger, fake, "37230ned")
        assert not any("TypedDataSet" in r for r in fake.requests)
    assert line == (
        "Error: table 37230ned is 'Bevolkingsontwikkeling; regio per maand', not a"
        " 'Kerncijfers wijken en buurten' table; give the id of a Kerncijfers"
        " table (e.g. 85984NED for 2024)"
    )


def test_a_gemeente_absent_from_the_table_is_named(tmp_path: Path) -> None:
    ledger = new_ledger(tmp_path / "arnhem")
    with serve() as fake:
        line = _fail(
            ledger,
            "--table",
            "85984NED",
            "--gemeente",
            "GM0363",
            "--catalog-url",
            fake.host,
        )
    assert line == (
        "Error: table 85984NED has no rows for gemeente GM0363; check the code"
        " (GM and four digits) and whether the gemeente existed in that year's"
        " boundaries"
    )


def test_a_unit_that_contradicts_the_catalogue_is_an_error(tmp_path: Path) -> None:
    root = copy_fixtures(tmp_path / "odata3")
    path = root / "85984NED" / "DataProperties.json"
    properties = json.loads(path.read_text())
    for prop in properties:
        if prop["Key"] == "GemiddeldeWOZWaardeVanWoningen_39":
            prop["Unit"] = "euro"
    path.write_text(json.dumps(properties))
    ledger = new_ledger(tmp_path / "arnhem")
    with serve(FakeCBS(root=root)) as fake:
        line = _online(ledger, fake)
    assert line == (
        "Error: table 85984NED: column GemiddeldeWOZWaardeVanWoningen_39 is in"
        " 'euro' but the catalogue expects 'x 1 000 euro' for woz-gemiddeld;"
        " nothing was imported. Check the table, and update"
        " importers/cbs/catalogue.toml if CBS changed the unit"
    )


def test_proxy_settings_do_not_break_a_local_catalog_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A proxy that refuses everything, as cbsodata reads it at import time.
    dead = "http://127.0.0.1:9"
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(name, dead)
    ledger = new_ledger(tmp_path / "arnhem")
    with serve() as fake:
        cbsodata.options.requests = {"proxies": {"http": dead, "https": dead}}
        result = invoke(
            "import",
            "cbs",
            str(ledger),
            "--table",
            "85984NED",
            "--gemeente",
            "GM0202",
            "--catalog-url",
            fake.host,
        )
        assert cbsodata.options.requests["proxies"]["http"] == dead
    assert result.exit_code == 0, result.output
    assert "new 2070" in result.output


def test_a_missing_snapshot_folder_says_how_to_make_one(tmp_path: Path) -> None:
    ledger = new_ledger(tmp_path / "arnhem")
    line = _fail(
        ledger,
        "--table",
        "85984NED",
        "--gemeente",
        "GM0202",
        "--from",
        str(tmp_path / "nowhere"),
    )
    assert line == (
        f"Error: {tmp_path / 'nowhere'}: not a usable snapshot of table 85984NED"
        " (no such folder); write one with `wijkboekhouding download cbs --table"
        " 85984NED --gemeente GMxxxx DIR`"
    )


def test_a_snapshot_of_another_table_is_refused(tmp_path: Path) -> None:
    ledger = new_ledger(tmp_path / "arnhem")
    snapshot = Path(__file__).parent / "fixtures" / "cbs" / "odata3" / "83765NED"
    line = _fail(
        ledger, "--table", "85984NED", "--gemeente", "GM0202", "--from", str(snapshot)
    )
    assert "(it holds table 83765NED)" in line


def test_a_truncated_snapshot_file_is_named(tmp_path: Path) -> None:
    root = copy_fixtures(tmp_path / "odata3")
    data_set = root / "85984NED" / "TypedDataSet.json"
    data_set.write_text(data_set.read_text()[:5000])
    ledger = new_ledger(tmp_path / "arnhem")
    line = _fail(
        ledger,
        "--table",
        "85984NED",
        "--gemeente",
        "GM0202",
        "--from",
        str(root / "85984NED"),
    )
    assert line.startswith(
        f"Error: {data_set}: not a usable snapshot of table 85984NED"
    )


def test_a_malformed_gemeente_code_is_refused(tmp_path: Path) -> None:
    ledger = new_ledger(tmp_path / "arnhem")
    line = _fail(ledger, "--table", "85984NED", "--gemeente", "0202", "--from", ".")
    assert line == "Error: --gemeente '0202': use GM and four digits, e.g. GM0202"


def test_download_of_a_failing_server_writes_no_folder(tmp_path: Path) -> None:
    with serve() as fake:
        fake.status = 503
        result = invoke(
            "download",
            "cbs",
            "--table",
            "85984NED",
            "--gemeente",
            "GM0202",
            "--catalog-url",
            fake.host,
            str(tmp_path / "snap"),
        )
    assert result.exit_code == 1
    assert "(HTTP 503)" in result.output
    assert not (tmp_path / "snap").exists()


def test_a_server_that_is_not_running_says_cannot_connect(tmp_path: Path) -> None:
    ledger = new_ledger(tmp_path / "arnhem")
    with serve() as fake:
        port = fake.port
    line = _fail(
        ledger,
        "--table",
        "85984NED",
        "--gemeente",
        "GM0202",
        "--catalog-url",
        f"127.0.0.1:{port}",
        "--timeout",
        "2",
    )
    assert line.startswith(
        f"Error: table 85984NED: downloading from 127.0.0.1:{port} failed"
        " (cannot connect); the ledger is unchanged."
    )


def test_a_missing_ledger_is_reported_before_any_download(tmp_path: Path) -> None:
    result = invoke(
        "import",
        "cbs",
        str(tmp_path / "none.beancount"),
        "--table",
        "85984NED",
        "--gemeente",
        "GM0202",
        "--catalog-url",
        "127.0.0.1:1",
    )
    assert result.exit_code == 1
    assert "no such ledger file" in result.output
    assert not (tmp_path / "cbs.beancount").exists()


def test_the_installed_command_exits_non_zero_without_a_traceback(
    tmp_path: Path,
) -> None:
    ledger = new_ledger(tmp_path / "arnhem")
    before = snapshot_of(ledger)
    command = Path(sys.executable).parent / "wijkboekhouding"
    with serve() as fake:
        fake.status = 500
        done = subprocess.run(
            [
                str(command),
                "import",
                "cbs",
                str(ledger),
                "--table",
                "85984NED",
                "--gemeente",
                "GM0202",
                "--catalog-url",
                fake.host,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("Error: table 85984NED: downloading from")
    assert "Traceback" not in done.stderr
    assert snapshot_of(ledger) == before


def test_a_table_id_that_is_no_id_is_refused(tmp_path: Path) -> None:
    ledger = new_ledger(tmp_path / "arnhem")
    line = _fail(ledger, "--table", "../85984NED", "--gemeente", "GM0202")
    assert line == "Error: --table '../85984NED': give a CBS table id such as 85984NED"
