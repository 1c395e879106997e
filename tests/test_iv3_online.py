"""`import iv3` without --from: the real cbsodata client against a fake CBS."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from urllib.parse import unquote_plus

import cbsodata
from iv3_support import (
    arnhem_ledger,
    fake_cbs,
    import_file,
    invoke,
    silent_catalog,
)

from wijkboekhouding.engine.ledger import load


def _online(main: Path, url: str, kind: str = "begroting") -> object:
    return invoke(
        "import", "iv3", str(main), "--gemeente", "GM0202", "--year", "2024",
        "--kind", kind, "--catalog-url", url,
        "--journal", str(main.parent / "budget.beancount"),
    )  # fmt: skip


def _figures(main: Path) -> dict[str, dict[str, object]]:
    ledger = load(main)
    assert ledger.errors == []
    return {
        e.meta["id"]: {p.account: p.units.number for p in e.postings}
        for e in ledger.entries
        if "taakveld" in (getattr(e, "meta", None) or {})
    }


def test_online_import_gives_the_same_figures_as_the_file(tmp_path: Path) -> None:
    online = arnhem_ledger(tmp_path / "online", allocation=False)
    saved = (cbsodata.options.catalog_url, cbsodata.options.use_https)
    with fake_cbs() as fake:
        result = _online(online, fake.url)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "appended 61 taakveld entries of Arnhem" in result.output  # type: ignore[attr-defined]
    assert "from CBS table 45067NED" in result.output  # type: ignore[attr-defined]

    offline = arnhem_ledger(tmp_path / "file", allocation=False)
    import_file(offline)
    assert _figures(online) == _figures(offline)
    assert 'source: "cbs:45067NED"' in (online.parent / "budget.beancount").read_text()

    # The client asked for Arnhem's begroting only, and followed the pages
    # (Arnhem has 71 taakvelden x 3 categories + 1 balance row = 214 rows).
    asked = [unquote_plus(r) for r in fake.requests]
    data_pages = [r for r in asked if "/TypedDataSet" in r]
    assert len(data_pages) == 5
    assert "Gemeenten eq 'GM0202' and Verslagsoort eq '2024X000'" in data_pages[0]
    assert "$skip=200" in data_pages[-1]
    # The client's module-wide options are restored.
    assert (cbsodata.options.catalog_url, cbsodata.options.use_https) == saved


def test_a_kind_the_table_does_not_hold_is_named(tmp_path: Path) -> None:
    main = arnhem_ledger(tmp_path, allocation=False)
    with fake_cbs() as fake:
        result = _online(main, fake.url, kind="jaarrekening")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert result.output == (  # type: ignore[attr-defined]
        "Error: CBS table 45067NED (2024X005): no rows for gemeente GM0202;"
        " check --gemeente and --year, or give a file that holds this gemeente"
        " with --from\n"
    )
    assert (tmp_path / "budget.beancount").read_text() == "; Iv3 budget\n"


def test_an_unreachable_catalog_is_one_clear_line(tmp_path: Path) -> None:
    main = arnhem_ledger(tmp_path, allocation=False)
    with socket.socket() as sock:  # a port that nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = _online(main, f"127.0.0.1:{port}")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    output = result.output  # type: ignore[attr-defined]
    assert output.startswith("Error: CBS table 45067NED: download failed (")
    assert output.endswith(
        "check the network and the table id (--table), or import from a file"
        " with --from\n"
    )
    assert (tmp_path / "budget.beancount").read_text() == "; Iv3 budget\n"


def test_a_catalog_that_never_answers_times_out_in_one_clear_line(
    tmp_path: Path,
) -> None:
    main = arnhem_ledger(tmp_path, allocation=False)
    files = {p: p.read_bytes() for p in tmp_path.iterdir()}
    with silent_catalog() as url:
        started = time.monotonic()
        result = invoke(
            "import", "iv3", str(main), "--gemeente", "GM0202", "--year", "2024",
            "--kind", "begroting", "--catalog-url", url, "--timeout", "0.3",
            "--journal", str(tmp_path / "budget.beancount"),
        )  # fmt: skip
        waited = time.monotonic() - started
    assert result.exit_code == 1, result.output
    assert result.output == (
        f"Error: CBS table 45067NED: {url} gave no answer within 0.3 s; the"
        " ledger is unchanged. Try again later or with a longer --timeout, or"
        " import from a file with --from\n"
    )
    assert waited < 5  # the 0.3 s timeout, not the server giving up at 10 s
    assert {p: p.read_bytes() for p in tmp_path.iterdir()} == files
