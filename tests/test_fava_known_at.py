"""The Fava page as known at a time: the figures of ``report --as-known-at``.

A copy of the demo ledger gets an event (recorded 2 February 2025) that is
then corrected with the real CLI: 700.00 becomes 750.00.  As known at
1 March 2025 the page must show the 700.00, as the report does.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from beancount.parser import parser
from fava_support import (
    ARTIFACTS,
    BIN,
    DEMO,
    FavaServer,
    fava_server,
    launch_browser,
    report_csv,
)
from test_fava_page import FLOW_KEYS, Page, shown

from wijkboekhouding.engine.journal import append

EVENT = """\
2025-02-01 * "Gemeente Arnhem" "Extra wijkbudget"
  id: "gemeente:2025-02-01"
  area: "BU02020211"
  Assets:Vereniging:Bank            700.00 EUR
  Income:Subsidie:Gemeente
"""
REPLACEMENT = EVENT.replace("700.00", "750.00").replace(
    '  id: "gemeente:2025-02-01"\n', ""
)
RECORDED = "2025-02-02T09:00:00.000000Z"
BEFORE = "2025-03-01"  # after the event was recorded, before its correction
BAD_TIME = (
    "cannot read time 'gisteren'; use an ISO date or time such as"
    " 2024-03-01 or 2024-03-01T12:00:00Z (UTC)"
)


def cli(*arguments: str | Path) -> str:
    """Run the installed ``wijkboekhouding`` command; return its output."""
    result = subprocess.run(
        [str(BIN / "wijkboekhouding"), *(str(a) for a in arguments)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def flows_json(ledger: Path, *options: str) -> list[dict[str, Any]]:
    """``report --level buurt --by flows --format json``'s rows."""
    rows = json.loads(
        cli(
            "report",
            ledger,
            "--level",
            "buurt",
            "--by",
            "flows",
            *options,
            "--format",
            "json",
        )
    )
    assert isinstance(rows, list)
    return rows


def by_area(rows: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """The flows of each area, written as the page's cells hold them."""
    return {
        row["area"]: {
            key: "" if row[key] is None else str(row[key]) for key in FLOW_KEYS
        }
        for row in rows
    }


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo ledger with an event corrected after 1 March 2025."""
    folder = tmp_path_factory.mktemp("known-at")
    target = folder / "spijkerkwartier"
    shutil.copytree(DEMO, target, ignore=shutil.ignore_patterns(".*"))
    main = target / "main.beancount"
    entries, errors, _ = parser.parse_string(EVENT)
    assert errors == []
    append(target / "journal.beancount", entries, recorded=RECORDED)
    fix = folder / "fix.beancount"
    fix.write_text(REPLACEMENT, encoding="utf-8")
    output = cli(
        "correct",
        main,
        "gemeente:2025-02-01",
        "--reason",
        "bedrag",
        "--replace",
        fix,
    )
    assert "gemeente:2025-02-01/replacement" in output
    return main


@pytest.fixture(scope="module")
def server(
    ledger: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FavaServer]:
    log = tmp_path_factory.mktemp("fava") / "fava.log"
    with fava_server(ledger, log) as running:
        yield running


def get_json(server: FavaServer, endpoint: str, query: str) -> dict[str, Any]:
    status, body = server.get(f"extension/Wijkboekhouding/{endpoint}", query)
    assert status == 200, body
    answer = json.loads(body)
    assert isinstance(answer, dict)
    return answer


def test_the_areas_as_known_before_a_correction_are_the_reports(
    server: FavaServer, ledger: Path
) -> None:
    then = get_json(server, "areas", f"level=buurt&unit=EUR&as_known_at={BEFORE}")
    now = get_json(server, "areas", "level=buurt&unit=EUR")
    assert then["as_known_at"] == BEFORE
    assert then["rows"] == flows_json(ledger, "--as-known-at", BEFORE)
    assert now["rows"] == flows_json(ledger)
    assert then["rows"] != now["rows"]
    inflow = {
        name: {row["area"]: row["inflow"] for row in answer["rows"]}
        for name, answer in (("then", then), ("now", now))
    }
    assert inflow["then"]["BU02020211"] == "10635.00"
    assert inflow["now"]["BU02020211"] == "10685.00"


def test_the_time_filter_applies_after_the_known_at_time(
    server: FavaServer, ledger: Path
) -> None:
    query = f"level=buurt&unit=EUR&time=2025&as_known_at={BEFORE}"
    then = get_json(server, "areas", query)
    assert then["rows"] == flows_json(
        ledger, "--period", "2025", "--as-known-at", BEFORE
    )
    status, body = server.get("extension/Wijkboekhouding/areas", query + "&format=csv")
    assert status == 200
    assert body.decode() == report_csv(
        ledger,
        "--level",
        "buurt",
        "--by",
        "flows",
        "--unit",
        "EUR",
        "--period",
        "2025",
        "--as-known-at",
        BEFORE,
    )


def test_the_area_page_and_its_postings_follow_the_known_at_time(
    server: FavaServer, ledger: Path
) -> None:
    expected = by_area(flows_json(ledger, "--as-known-at", BEFORE))["BU02020211"]
    query = f"area=BU02020211&unit=EUR&as_known_at={BEFORE}"
    area = get_json(server, "area", query)
    assert {key: area["flows"][key] for key in FLOW_KEYS} == expected
    postings = get_json(server, "postings", query + "&figure=inflow")
    assert postings["total"] == expected["inflow"] == "10635.00"
    now = get_json(server, "postings", "area=BU02020211&unit=EUR&figure=inflow")
    assert now["total"] == "10685.00"
    # Before the event was recorded it is not there at all.
    before = get_json(
        server,
        "postings",
        "area=BU02020211&unit=EUR&figure=inflow&as_known_at=2025-01-31",
    )
    assert before["total"] == "9935.00"


@pytest.mark.parametrize(
    ("endpoint", "query"),
    [
        ("areas", "level=buurt"),
        ("areas", "level=buurt&format=csv"),
        ("area", "area=BU02020211"),
        ("postings", "area=BU02020211&figure=inflow"),
        ("costs", "area=BU02020211"),
    ],
)
def test_a_bad_known_at_time_is_a_bad_request_with_the_reason(
    server: FavaServer, endpoint: str, query: str
) -> None:
    status, body = server.get(
        f"extension/Wijkboekhouding/{endpoint}", query + "&as_known_at=gisteren"
    )
    assert status == 400
    assert json.loads(body) == {"error": BAD_TIME}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = launch_browser(playwright)
        yield chromium
        chromium.close()


def test_typing_a_date_shows_the_figures_as_known_then(
    server: FavaServer, ledger: Path, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = Page(context.new_page())
    try:
        page.open(server.url(query="level=buurt"))
        assert shown(page) == by_area(flows_json(ledger))
        assert page.tab.locator("#wkb-known-at-note").count() == 0

        box = page.tab.get_by_label("As known at")
        page.navigate(lambda: (box.fill(BEFORE), box.press("Enter")))
        assert f"as_known_at={BEFORE}" in page.tab.url
        assert "level=buurt" in page.tab.url
        expected = by_area(flows_json(ledger, "--as-known-at", BEFORE))
        assert shown(page) == expected
        assert page.texts("wkb-areas", "inflow")[1] == "10,635.00"
        note = page.tab.inner_text("#wkb-known-at-note")
        assert note == f"Figures as known at {BEFORE}."
        page.shot("known-at")

        # Drilling down keeps the time.
        page.navigate(lambda: page.tab.get_by_role("link", name="BU02020211").click())
        assert f"as_known_at={BEFORE}" in page.tab.url
        assert page.table("wkb-flows")["BU02020211"]["inflow"] == "10635.00"
        assert page.tab.input_value("#wkb-as-known-at") == BEFORE
        assert page.errors == []
    finally:
        context.close()


def test_the_known_at_input_speaks_dutch(
    ledger: Path, browser: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "nl"
    shutil.copytree(ledger.parent, folder, ignore=shutil.ignore_patterns(".*"))
    dutch = folder / ledger.name
    with dutch.open("a", encoding="utf-8") as main:
        main.write('\n2023-01-01 custom "fava-option" "language" "nl"\n')
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = Page(context.new_page())
    try:
        with fava_server(dutch, tmp_path / "fava.log") as running:
            page.open(running.url(query=f"level=buurt&as_known_at={BEFORE}"))
            assert page.tab.get_by_label("Zoals bekend op").input_value() == BEFORE
            note = page.tab.inner_text("#wkb-known-at-note")
            assert note == f"Cijfers zoals bekend op {BEFORE}."
            assert page.texts("wkb-areas", "inflow")[1] == "10.635,00"
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.shot("known-at-dutch")
            assert page.errors == []
    finally:
        context.close()
