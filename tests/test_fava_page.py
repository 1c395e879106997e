"""The Wijkboekhouding page in a real Fava, driven in headless Chromium.

One Fava server and one browser serve the whole module; each test opens a
fresh page.  Screenshots of every page land in tests/artifacts/.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fava_support import ARTIFACTS, DEMO, FavaServer, copy_demo, fava_server, report

playwright_api = pytest.importorskip("playwright.sync_api")

LEDGER = DEMO / "main.beancount"
FLOW_KEYS = (
    "inflow",
    "outflow",
    "internal",
    "net",
    "local_share",
    "inhabitants",
    "net_per_inhabitant",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FavaServer]:
    log = tmp_path_factory.mktemp("fava") / "fava.log"
    with fava_server(LEDGER, log) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from fava_support import launch_browser

    with playwright_api.sync_playwright() as playwright:
        chromium = launch_browser(playwright)
        yield chromium
        chromium.close()


class Page:
    """A browser tab that records console errors."""

    def __init__(self, tab: Any) -> None:
        self.tab = tab
        self.errors: list[str] = []
        tab.on("console", self._console)
        tab.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def open(self, url: str) -> None:
        self.tab.goto(url)
        self.ready()

    def ready(self) -> None:
        """Wait until our script has drawn the page (and its charts)."""
        self.tab.wait_for_selector("#wkb-root[data-ready=true]:not([data-stale])")

    def navigate(self, action: Callable[[], None]) -> None:
        """Do something that makes Fava load our page anew, and wait for it."""
        self.tab.evaluate("document.getElementById('wkb-root').dataset.stale = '1'")
        action()
        self.ready()

    def table(self, table_id: str) -> dict[str, dict[str, str]]:
        """Each row of a table by area: the exact value behind every cell."""
        return self.tab.evaluate(
            """(id) => Object.fromEntries([...document.querySelectorAll(
                 `#${id} tbody tr`)].map((tr) => [tr.dataset.area,
                 Object.fromEntries([...tr.querySelectorAll('td')].map(
                   (td) => [td.dataset.key, td.dataset.value]))]))""",
            table_id,
        )

    def texts(self, table_id: str, key: str) -> list[str]:
        return self.tab.eval_on_selector_all(
            f"#{table_id} td[data-key={key}]", "cells => cells.map(c => c.innerText)"
        )

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.tab.screenshot(path=str(ARTIFACTS / f"fava-{name}.png"), full_page=True)


@pytest.fixture
def page(browser: Any) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, accept_downloads=True
    )
    yield Page(context.new_page())
    context.close()


def expected(level: str, *options: str) -> dict[str, dict[str, str]]:
    rows = report(LEDGER, "--level", level, "--by", "flows", *options)
    return {row["area"]: {key: row[key] for key in FLOW_KEYS} for row in rows}


def shown(page: Page, table_id: str = "wkb-areas") -> dict[str, dict[str, str]]:
    return {
        area: {key: cells[key] for key in FLOW_KEYS}
        for area, cells in page.table(table_id).items()
    }


def test_the_tables_at_wijk_and_buurt_show_the_report_figures(
    server: FavaServer, page: Page
) -> None:
    page.open(server.url(query="level=wijk"))
    assert shown(page) == expected("wijk")
    assert page.texts("wkb-areas", "inflow") == ["9,935.00"]
    page.shot("wijk")

    page.navigate(
        lambda: page.tab.get_by_role("link", name="buurt", exact=True).click()
    )
    assert "level=buurt" in page.tab.url
    assert shown(page) == expected("buurt")
    assert page.texts("wkb-areas", "net") == ["600.00", "6,118.45", "0.00"]
    page.shot("buurt")
    assert page.errors == []


def test_selecting_a_year_in_favas_time_filter_changes_the_figures(
    server: FavaServer, page: Page
) -> None:
    page.open(server.url(query="level=buurt"))
    found = {}
    for year in ("2023", "2024"):
        box = page.tab.get_by_placeholder("Time")
        page.navigate(lambda y=year, box=box: (box.fill(y), box.press("Enter")))
        assert f"time={year}" in page.tab.url and "level=buurt" in page.tab.url
        found[year] = shown(page)
        assert found[year] == expected("buurt", "--period", year)
        page.shot(f"buurt-{year}")
    assert found["2023"] != found["2024"]
    assert found["2023"]["BU02020211"]["net"] == "4232.00"
    assert page.errors == []


def test_a_buurt_drills_down_to_the_postings_that_add_up_to_its_figure(
    server: FavaServer, page: Page
) -> None:
    page.open(server.url(query="level=buurt&time=2024"))
    page.navigate(lambda: page.tab.get_by_role("link", name="BU02020211").click())
    assert "area=BU02020211" in page.tab.url and "time=2024" in page.tab.url
    flows = page.table("wkb-flows")["BU02020211"]
    assert (
        flows["outflow"]
        == expected("buurt", "--period", "2024")["BU02020211"]["outflow"]
    )
    page.shot("area")

    page.navigate(lambda: page.tab.locator("#wkb-flows td[data-key=outflow] a").click())
    counted = page.tab.eval_on_selector_all(
        "#wkb-postings td[data-key=counted]", "cells => cells.map(c => c.dataset.value)"
    )
    total = page.tab.get_attribute("#wkb-total", "data-value")
    assert (
        sum(Decimal(c) for c in counted) == Decimal(total) == Decimal(flows["outflow"])
    )
    assert len(counted) == 5
    page.shot("postings")

    page.tab.locator("#wkb-journal").click()
    page.tab.wait_for_url("**/journal/**")
    page.tab.wait_for_selector("text=Kraam en materiaal buurtmarkt")
    assert page.tab.locator("text=Wijkbudget 2024").count() == 0
    page.shot("journal")
    assert page.errors == []


def test_the_sankey_and_capital_bars_render(server: FavaServer, page: Page) -> None:
    page.open(server.url(query="area=WK020202&unit=EUR"))
    page.tab.wait_for_selector("#wkb-sankey svg .sankey-node")
    labels = page.tab.eval_on_selector_all(
        "#wkb-sankey .sankey-node .node-label", "nodes => nodes.map(n => n.textContent)"
    )
    assert {
        "Income:Subsidie",
        "Income:Contributies",
        "Expenses:Groen",
        "Expenses:Cultuur",
        "Spijkerkwartier",
    } <= set(labels)
    bars = page.tab.locator("#wkb-capitals svg .bars .point")
    assert bars.count() == 14  # seven capitals, in EUR and in BOOM
    page.shot("charts")
    assert page.errors == []


def test_the_csv_download_equals_the_table(
    server: FavaServer, page: Page, tmp_path: Path
) -> None:
    page.open(server.url(query="level=buurt&time=2024"))
    with page.tab.expect_download() as download:
        page.tab.locator("a.wkb-csv").click()
    saved = tmp_path / "table.csv"
    download.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
    table = page.table("wkb-areas")
    assert {row["area"]: {k: row[k] for k in FLOW_KEYS} for row in rows} == {
        area: {k: cells[k] for k in FLOW_KEYS} for area, cells in table.items()
    }
    assert len(rows) == 3
    assert page.errors == []


def test_the_page_speaks_dutch_when_fava_does(browser: Any, tmp_path: Path) -> None:
    ledger = copy_demo(tmp_path, '2023-01-01 custom "fava-option" "language" "nl"')
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = Page(context.new_page())
    try:
        with fava_server(ledger, tmp_path / "fava.log") as dutch:
            page.open(dutch.url(query="level=buurt"))
            headers = page.tab.eval_on_selector_all(
                "#wkb-areas th", "cells => cells.map(c => c.innerText)"
            )
            assert headers[2:5] == ["Instroom", "Uitstroom", "Intern"]
            assert page.texts("wkb-areas", "inflow")[1] == "9.935,00"
            assert page.tab.get_by_text("Gebieden op niveau buurt").count() == 1
            page.shot("dutch")
            assert page.errors == []
    finally:
        context.close()


TABLES = (
    "wkb-flows",
    "wkb-income",
    "wkb-expenses",
    "wkb-stocks",
    "wkb-sub-areas",
    "wkb-trend",
)


def tables_shown(page: Page) -> list[str]:
    """The ids of the area page's tables that are on the page."""
    return [name for name in TABLES if page.tab.locator(f"#{name}").count() == 1]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("area=spijkerstraat&unit=EUR", "street-eur"),
        ("area=BU02020211&time=2019", "buurt-2019"),
        ("area=BU02020212&unit=UUR", "buurt-hours"),
    ],
)
def test_an_area_without_flows_shows_its_tables_and_says_so(
    server: FavaServer, page: Page, query: str, name: str
) -> None:
    page.open(server.url(query=query))
    assert tables_shown(page) == list(TABLES)
    assert page.tab.locator(".wkb-error").count() == 0
    note = page.tab.locator("#wkb-no-flows").inner_text()
    assert note.endswith(": no flows in this unit and period.")
    assert page.tab.locator("#wkb-sankey").count() == 0
    page.shot(f"no-flows-{name}")
    assert page.errors == []


def test_a_chart_that_fails_leaves_the_tables(server: FavaServer, page: Page) -> None:
    page.tab.route("**/plotly.min.js", lambda route: route.abort())
    page.open(server.url(query="area=WK020202&unit=EUR"))
    assert tables_shown(page) == list(TABLES)
    assert page.table("wkb-flows")["WK020202"]["inflow"] == "9935.00"
    failures = page.tab.locator("#wkb-sankey .wkb-chart-error")
    assert failures.inner_text() == (
        "The chart could not be drawn: could not load plotly.min.js"
    )
    assert page.tab.locator("#wkb-capitals .wkb-chart-error").count() == 1
    page.shot("chart-failed")


def counted_postings(page: Page) -> tuple[Decimal, list[str]]:
    """The total of the postings list, and the counted part of each posting."""
    counted = page.tab.eval_on_selector_all(
        "#wkb-postings td[data-key=counted]", "cells => cells.map(c => c.dataset.value)"
    )
    return Decimal(page.tab.get_attribute("#wkb-total", "data-value")), counted


@pytest.mark.parametrize(
    ("cell", "figure", "value", "rows"),
    [
        (
            "#wkb-stocks tbody tr:nth-child(2) td[data-key=amount]",
            "stocks:natuurlijk",
            "144",
            3,
        ),
        (
            "#wkb-trend tbody tr:nth-child(2) td[data-key=outflow]",
            "outflow:2024",
            "1448.05",
            3,
        ),
        (
            "#wkb-sub-areas tr[data-area=BU02020210] td[data-key=inflow]",
            "inflow",
            "840.00",
            2,
        ),
    ],
)
def test_stocks_trend_and_sub_area_figures_drill_down_to_their_postings(
    server: FavaServer, page: Page, cell: str, figure: str, value: str, rows: int
) -> None:
    page.open(server.url(query="area=WK020202&unit=EUR"))
    assert page.tab.get_attribute(cell, "data-value") == value
    page.navigate(lambda: page.tab.locator(f"{cell} a").click())
    assert f"figure={figure.replace(':', '%3A')}" in page.tab.url
    total, counted = counted_postings(page)
    assert sum(Decimal(c) for c in counted) == total == Decimal(value)
    assert len(counted) == rows
    assert page.tab.locator("#wkb-journal").count() == 1
    page.shot(f"postings-{figure.replace(':', '-')}")
    assert page.errors == []


def test_a_figure_of_zero_says_no_postings_count(
    server: FavaServer, page: Page
) -> None:
    page.open(server.url(query="area=spijkerstraat&unit=UUR&figure=outflow"))
    assert counted_postings(page) == (Decimal(0), [])
    assert page.tab.locator("#wkb-no-postings").inner_text() == (
        "No postings count towards this figure: it is zero."
    )
    assert page.tab.get_by_text("Too many transactions").count() == 0
    assert page.errors == []


def test_the_root_address_opens_our_page(server: FavaServer, page: Page) -> None:
    page.tab.goto(f"{server.root}/")
    page.ready()
    assert page.tab.url == server.url(query="")
    assert shown(page) == expected("wijk")  # the default level
    assert page.errors == []
