"""The costs section of the Wijkboekhouding page: ``report --costs`` in Fava.

A real Fava serves a copy of the Arnhem pilot ledger (its 2024 begroting
allocated to the buurten); every figure is compared with the real
``wijkboekhouding report --costs`` command.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fava.application import create_app
from fava_support import (
    ARTIFACTS,
    BIN,
    DEMO,
    PAGE,
    ROOT,
    FavaServer,
    fava_server,
    launch_browser,
    report_csv,
)

ARNHEM = ROOT / "ledgers" / "arnhem"
AREA = "BU02020211"
COSTS = PAGE + "costs"
JSON = ("--format", "json")


def cli_json(ledger: Path, *options: str) -> Any:
    """What ``wijkboekhouding report ... --format json`` prints, parsed."""
    result = subprocess.run(
        [str(BIN / "wijkboekhouding"), "report", str(ledger), *options, *JSON],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the Arnhem pilot ledger, without its snapshot folders."""
    target = tmp_path_factory.mktemp("arnhem") / "arnhem"
    shutil.copytree(
        ARNHEM,
        target,
        ignore=lambda _, names: [name for name in names if name.startswith(".")],
    )
    return target / "main.beancount"


@pytest.fixture(scope="module")
def server(
    ledger: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FavaServer]:
    log = tmp_path_factory.mktemp("fava") / "fava.log"
    with fava_server(ledger, log) as running:
        yield running


@pytest.fixture(scope="module")
def expected(ledger: Path) -> list[dict[str, Any]]:
    """The CLI's cost table of Spijkerbuurt for 2024."""
    rows = cli_json(ledger, "--costs", "--area", AREA, "--period", "2024")
    assert isinstance(rows, list)
    return rows


def test_the_costs_json_is_the_report_json(
    server: FavaServer, expected: list[dict[str, Any]]
) -> None:
    status, body = server.get(COSTS, f"area={AREA}&time=2024")
    assert status == 200, body
    answer = json.loads(body)
    assert answer["rows"] == expected
    # 7.3 Afval: 652,463.19 of Arnhem's 22,115,000.00 EUR by households.
    afval = next(row for row in answer["rows"] if row["taakveld"] == "7.3")
    assert (afval["amount"], afval["per_inhabitant"]) == ("652463.19", "192.47")
    assert afval["gemeente_per_inhabitant"] == "131.93"
    assert answer["rows"][-1]["taakveld"] == "total"
    assert (answer["name"], answer["gemeente"], answer["gemeente_name"]) == (
        "Spijkerbuurt",
        "GM0202",
        "Arnhem",
    )
    assert (answer["inhabitants"], answer["gemeente_inhabitants"]) == (
        "3390",
        "167632",
    )
    assert answer["period"] == "2024-01-01..2024-12-31"
    assert answer["notes"] == [
        "not allocated below the gemeente, so not in BU02020211:"
        " 0.5, 0.8, 0.9, 0.10, 2.4, 8.2"
    ]


def test_the_costs_csv_is_the_report_csv(server: FavaServer, ledger: Path) -> None:
    status, body = server.get(COSTS, f"area={AREA}&time=2024&format=csv")
    assert status == 200
    assert body.decode("utf-8") == report_csv(
        ledger, "--costs", "--area", AREA, "--period", "2024"
    )


def test_an_unknown_area_gets_a_400_with_its_message(server: FavaServer) -> None:
    status, body = server.get(COSTS, "area=BU99999999&time=2024")
    assert status == 400
    assert json.loads(body) == {
        "error": "unknown area 'BU99999999': the ledger declares no such area;"
        " pick an area from the table of its level"
    }


def test_as_known_at_before_the_begroting_leaves_no_costs(server: FavaServer) -> None:
    status, body = server.get(COSTS, f"area={AREA}&as_known_at=2020-01-01")
    assert status == 200
    assert json.loads(body)["rows"] == []


def test_a_ledger_without_budget_has_no_costs_section() -> None:
    app = create_app([str((DEMO / "main.beancount").resolve())], load=True)
    client = app.test_client()
    slug = client.get("/").headers["Location"].strip("/").split("/")[0]
    for area in (AREA, "groene-buurten"):
        answer = client.get(f"/{slug}/{COSTS}", query_string={"area": area})
        assert answer.status_code == 200
        assert answer.get_json()["rows"] == []


def test_the_area_page_shows_the_costs_section(
    server: FavaServer, expected: list[dict[str, Any]]
) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api")
    from test_fava_page import Page

    first = expected[0]
    assert (first["taakveld"], first["amount"]) == ("0.1", "127604.02")
    with playwright_api.sync_playwright() as playwright:
        browser = launch_browser(playwright)
        try:
            context = browser.new_context(viewport={"width": 1700, "height": 1000})
            page = Page(context.new_page())
            page.open(server.url(query=f"area={AREA}&time=2024"))
            heading = page.tab.locator("#wkb-costs-section h3")
            assert heading.inner_text() == "Costs of running this area (EUR)"
            cell = page.tab.locator("#wkb-costs tbody tr").first.locator(
                "td[data-key=amount]"
            )
            assert cell.get_attribute("data-value") == first["amount"]
            assert cell.inner_text() == "127,604.02"
            rows = page.tab.locator("#wkb-costs tbody tr")
            assert rows.count() == len(expected)
            csv_link = page.tab.locator("#wkb-costs-section a.wkb-csv")
            assert "format=csv" in (csv_link.get_attribute("href") or "")
            # Fava scrolls its content pane: bring the section to its top.
            page.tab.evaluate(
                "document.getElementById('wkb-costs-section').scrollIntoView()"
            )
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.tab.screenshot(path=str(ARTIFACTS / "fava-costs.png"))
            assert page.errors == []
            context.close()
        finally:
            browser.close()
