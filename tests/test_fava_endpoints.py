"""The Wijkboekhouding page's endpoints, asked through Fava's own Flask app.

Figures are compared with the real ``wijkboekhouding report`` command, or
worked out by hand from the demo ledger's journal.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fava.application import create_app
from fava_support import DEMO, copy_demo, generated_ledger, report, report_csv

from wijkboekhouding.plugins.fava.texts import DUTCH, ENGLISH

API = "extension/Wijkboekhouding/"


class Client:
    """Fava's test client for one ledger, addressed by its slug."""

    def __init__(self, ledger: Path) -> None:
        app = create_app([str(ledger.resolve())], load=True)
        self.client = app.test_client()
        location = self.client.get("/").headers["Location"]
        self.slug = location.strip("/").split("/")[0]

    def get(self, path: str, **params: str) -> Any:
        return self.client.get(f"/{self.slug}/{path}", query_string=params)

    def json(self, endpoint: str, **params: str) -> Any:
        answer = self.get(API + endpoint, **params)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return answer.get_json()

    def rows(self, level: str, **params: str) -> dict[str, dict[str, Any]]:
        found = self.json("areas", level=level, **params)["rows"]
        return {row["area"]: row for row in found}


@pytest.fixture(scope="module")
def demo() -> Client:
    return Client(DEMO / "main.beancount")


@pytest.mark.parametrize(
    ("level", "period"),
    [
        ("wijk", None),
        ("buurt", None),
        ("buurt", "2023"),
        ("buurt", "2024"),
        ("groep", "2024"),
        ("straat", None),
        ("gemeente", "2023"),
    ],
)
def test_the_area_table_is_the_report_csv_byte_for_byte(
    demo: Client, level: str, period: str | None
) -> None:
    params = {"level": level, "unit": "EUR", "format": "csv"}
    options = ["--level", level, "--by", "flows"]
    if period:
        params["time"] = period
        options += ["--period", period]
    if level == "straat":
        params["unit"] = "UUR"
        options += ["--unit", "UUR"]
    answer = demo.get(API + "areas", **params)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/csv")
    assert answer.get_data(as_text=True) == report_csv(
        DEMO / "main.beancount", *options
    )


def test_the_years_differ_as_the_report_says(demo: Client) -> None:
    year_2023 = demo.rows("buurt", time="2023")["BU02020211"]
    year_2024 = demo.rows("buurt", time="2024")["BU02020211"]
    assert (year_2023["inflow"], year_2023["outflow"], year_2023["net"]) == (
        "5620.00",
        "1388.00",
        "4232.00",
    )
    assert (year_2024["inflow"], year_2024["outflow"], year_2024["net"]) == (
        "4315.00",
        "2428.55",
        "1886.45",
    )


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"endpoint": "areas", "level": "provincie"}, "unknown level 'provincie'"),
        ({"endpoint": "area", "area": "BU99999999"}, "unknown area 'BU99999999'"),
        (
            {"endpoint": "postings", "area": "GM0000", "figure": "inflow"},
            "unknown area 'GM0000'",
        ),
        (
            {
                "endpoint": "postings",
                "area": "BU02020211",
                "figure": "inflow",
                "level": "blok",
            },
            "unknown level 'blok'",
        ),
        (
            {"endpoint": "postings", "area": "BU02020211", "figure": "profit"},
            "unknown figure 'profit'",
        ),
        ({"endpoint": "areas", "level": "wijk", "unit": "USD"}, "unknown unit 'USD'"),
        ({"endpoint": "areas", "level": "wijk", "time": "someday"}, "someday"),
        ({"endpoint": "area", "area": "BU02020211", "depth": "0"}, "depth='0'"),
        (
            {"endpoint": "areas", "level": "buurt", "account": "["},
            "cannot use account='['; use an account name such as Expenses:Groen"
            " or a regular expression (unterminated character set)",
        ),
        (
            {"endpoint": "area", "area": "BU02020211", "account": "(?i)groen"},
            "cannot use account='(?i)groen'",
        ),
        (
            {
                "endpoint": "postings",
                "area": "BU02020211",
                "figure": "inflow",
                "account": "[",
            },
            "cannot use account='['",
        ),
        (
            {
                "endpoint": "postings",
                "area": "BU02020211",
                "figure": "inflow",
                "level": "gemeente",
            },
            "area BU02020211 is a buurt, so its figures are in the table of level"
            " buurt, not gemeente; use level=buurt or leave level out",
        ),
        (
            {
                "endpoint": "postings",
                "area": "BU02020211",
                "figure": "inflow",
                "level": "straat",
            },
            "area BU02020211 is a buurt, so its figures are in the table of level"
            " buurt, not straat",
        ),
        (
            {"endpoint": "postings", "area": "WK020202", "figure": "inflow:abc"},
            "unknown figure 'inflow:abc'",
        ),
    ],
)
def test_bad_requests_get_a_400_with_a_message(
    demo: Client, bad: dict[str, str], message: str
) -> None:
    params = dict(bad)
    answer = demo.get(API + params.pop("endpoint"), **params)
    assert answer.status_code == 400
    assert message in answer.get_json()["error"]


@pytest.mark.parametrize("level", ["wijk", "buurt", "groep"])
@pytest.mark.parametrize("time", ["", "2024"])
def test_the_postings_behind_every_figure_add_up_to_it(
    demo: Client, level: str, time: str
) -> None:
    for code, row in demo.rows(level, time=time).items():
        for figure in ("inflow", "outflow", "internal", "net"):
            found = demo.json(
                "postings", area=code, level=level, figure=figure, time=time
            )
            counted = sum((Decimal(p["counted"]) for p in found["rows"]), Decimal(0))
            assert found["count"] == len(found["rows"])
            assert counted == Decimal(found["total"]) == Decimal(row[figure]), (
                code,
                figure,
            )


def postings_of(client: Client, **params: str) -> list[tuple[str, ...]]:
    """The postings behind a figure as (date, account, area, counted) rows.

    Checks on the way that the whole list was sent and adds up to its total.
    """
    found = client.json("postings", **params)
    assert found["count"] == len(found["rows"])
    counted = sum((Decimal(p["counted"]) for p in found["rows"]), Decimal(0))
    assert counted == Decimal(found["total"])
    return [(p["date"], p["account"], p["area"], p["counted"]) for p in found["rows"]]


def total_of(client: Client, **params: str) -> Decimal:
    """What the postings behind a figure add up to."""
    rows = postings_of(client, **params)
    return sum((Decimal(row[-1]) for row in rows), Decimal(0))


def every_area(client: Client) -> list[str]:
    """The code of every area with flows in EUR, at every level."""
    levels = ("gemeente", "wijk", "buurt", "straat", "groep")
    return [code for level in levels for code in client.rows(level)]


@pytest.mark.parametrize("time", ["", "2023"])
def test_the_postings_behind_every_stock_add_up_to_it(demo: Client, time: str) -> None:
    checked = 0
    for code in every_area(demo):
        for stock in demo.json("area", area=code, time=time)["stocks"]:
            figure = f"stocks:{stock['value_type']}"
            found = total_of(
                demo, area=code, unit=stock["unit"], figure=figure, time=time
            )
            assert found == Decimal(stock["amount"]), (code, stock)
            checked += 1
    # Six areas have EUR flows; 2023 ends before the tree count, and two
    # buurten hold no money.
    assert checked == (4 if time else 10)


def test_the_postings_behind_a_stock_are_its_balance_at_the_period_end(
    demo: Client,
) -> None:
    trees = postings_of(demo, area="WK020202", unit="BOOM", figure="stocks:natuurlijk")
    assert trees == [
        ("2024-05-04", "Assets:Groen:Bomen", "BU02020210", "38"),
        ("2024-05-04", "Assets:Groen:Bomen", "BU02020211", "61"),
        ("2024-05-04", "Assets:Groen:Bomen", "BU02020212", "45"),
    ]
    bank = postings_of(
        demo, area="BU02020211", unit="EUR", figure="stocks:financieel", time="2023"
    )
    assert [row[3] for row in bank] == [
        "1850.00",
        "3500.00",
        "270.00",
        "-1100.00",
        "-240.00",
        "-48.00",
    ]
    assert sum(Decimal(row[3]) for row in bank) == Decimal("4232.00")


@pytest.mark.parametrize("time", ["", "2024"])
def test_the_postings_behind_every_trend_figure_add_up_to_it(
    demo: Client, time: str
) -> None:
    checked = 0
    for code in every_area(demo):
        for row in demo.json("area", area=code, time=time)["trend"]:
            for key in ("inflow", "outflow", "internal", "net"):
                figure = f"{key}:{row['year']}"
                found = total_of(demo, area=code, figure=figure, time=time)
                assert found == Decimal(row[key]), (code, figure)
                checked += 1
    assert checked == 4 * (6 if time else 12)  # six areas, one or two years


def test_the_postings_behind_a_trend_figure_are_those_of_its_year(
    demo: Client,
) -> None:
    trend = {row["year"]: row for row in demo.json("area", area="WK020202")["trend"]}
    assert trend[2024]["outflow"] == "1448.05"
    assert postings_of(demo, area="WK020202", figure="outflow:2024") == [
        ("2024-06-08", "Expenses:Cultuur:Buurtfeest", "BU02020211", "1250.00"),
        ("2024-10-05", "Expenses:Cultuur:Buurtfeest", "BU02020211", "145.25"),
        ("2024-12-31", "Expenses:Bank:Kosten", "BU02020211", "52.80"),
    ]


def test_a_figure_without_postings_lists_none(demo: Client) -> None:
    found = demo.json("postings", area="spijkerstraat", unit="UUR", figure="outflow")
    assert (found["count"], found["total"], found["rows"]) == (0, "0", [])
    assert found["journal_filter"] is None


def test_the_root_address_opens_our_page(demo: Client) -> None:
    for root in ("/", f"/{demo.slug}/"):
        location = demo.client.get(root).headers["Location"]
        assert location == f"/{demo.slug}/{API}"
    assert demo.get(API).status_code == 200


def test_the_postings_behind_an_inflow_name_the_transactions(demo: Client) -> None:
    found = demo.json("postings", area="BU02020210", level="buurt", figure="inflow")
    assert [(p["date"], p["account"], p["counted"]) for p in found["rows"]] == [
        ("2023-09-16", "Expenses:Groen:Plantgoed", "240.00"),
        ("2024-06-15", "Expenses:Groen:Geveltuinen", "600.00"),
    ]
    journal = demo.get("journal/", filter=found["journal_filter"])
    assert journal.status_code == 200


def test_an_area_shows_sources_themes_stocks_sub_areas_and_trend(
    demo: Client,
) -> None:
    page = demo.json("area", area="WK020202", unit="EUR")
    assert page["flows"]["inflow"] == "9935.00"
    assert page["income"] == [
        {"account": "Income:Contributies", "amount": "585.00"},
        {"account": "Income:Subsidie", "amount": "7500.00"},
    ]
    themes = {row["account"]: row for row in page["expenses"]}
    assert themes["Expenses:Groen"]["amount"] == "1220.50"
    assert themes["Expenses:Groen"]["local"] == "1220.50"
    assert themes["Expenses:Groen"]["local_share"] == "1.0000"
    assert themes["Expenses:Cultuur"]["local_share"] == "0.0000"
    assert page["stocks"] == [
        {"value_type": "financieel", "unit": "EUR", "amount": "6118.45"},
        {"value_type": "natuurlijk", "unit": "BOOM", "amount": "144"},
    ]
    assert [row["area"] for row in page["sub_areas"]] == [
        "BU02020210",
        "BU02020211",
        "BU02020212",
    ]
    for row in page["trend"]:
        year = str(row["year"])
        reported = report(
            DEMO / "main.beancount",
            "--level",
            "wijk",
            "--by",
            "flows",
            "--period",
            year,
        )[0]
        assert [row[k] for k in ("inflow", "outflow", "internal", "net")] == [
            reported[k] for k in ("inflow", "outflow", "internal", "net")
        ]
    assert [row["year"] for row in page["trend"]] == [2023, 2024]
    inflow = sum(Decimal(k["amount"]) for k in page["sankey"] if k["side"] == "in")
    outflow = sum(Decimal(k["amount"]) for k in page["sankey"] if k["side"] == "out")
    assert inflow == outflow == Decimal(page["flows"]["inflow"])


def test_stocks_are_balances_at_the_end_of_the_selected_year(demo: Client) -> None:
    page = demo.json("area", area="BU02020211", unit="EUR", time="2023")
    assert page["stocks"] == [
        {"value_type": "financieel", "unit": "EUR", "amount": "4232.00"}
    ]


def test_the_account_filter_keeps_whole_transactions(demo: Client) -> None:
    rows = demo.rows("buurt", account="Expenses:Groen")
    hommelstraat, spijkerbuurt = rows["BU02020210"], rows["BU02020211"]
    assert (hommelstraat["inflow"], hommelstraat["outflow"]) == ("840.00", "240.00")
    assert hommelstraat["internal"] == "600.00"
    assert (spijkerbuurt["inflow"], spijkerbuurt["outflow"]) == ("0.00", "1220.50")
    assert "BU02020212" not in rows


def test_the_advanced_filter_selects_transactions(demo: Client) -> None:
    rows = demo.rows("buurt", filter="Buurtfeest")
    assert list(rows) == ["BU02020211"]
    assert (rows["BU02020211"]["outflow"], rows["BU02020211"]["net"]) == (
        "2350.00",
        "-2350.00",
    )


def test_every_area_table_downloads_as_csv(demo: Client) -> None:
    page = demo.json("area", area="WK020202", unit="EUR")
    page["flows"] = [page["flows"]]
    for table in ("flows", "income", "expenses", "stocks", "sub_areas", "trend"):
        answer = demo.get(
            API + "area", area="WK020202", unit="EUR", table=table, format="csv"
        )
        assert answer.status_code == 200
        rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
        expected = [
            {key: "" if value is None else str(value) for key, value in row.items()}
            for row in page[table]
        ]
        assert rows == expected, table


def test_the_page_speaks_dutch_when_fava_does(tmp_path: Path) -> None:
    dutch = Client(
        copy_demo(tmp_path, '2023-01-01 custom "fava-option" "language" "nl"')
    )
    html = dutch.get(API).get_data(as_text=True)
    assert '"language":"nl"' in html
    assert "Instroom" in html and "Inkomsten per bron" in html
    english = Client(DEMO / "main.beancount").get(API).get_data(as_text=True)
    assert "Inflow" in english and "Instroom" not in english


def test_every_text_of_the_page_is_in_dutch_and_english() -> None:
    assert DUTCH.keys() == ENGLISH.keys()
    assert DUTCH["no_flows"] == "geen stromen in deze eenheid en periode."
    assert DUTCH["no_postings_behind"] != ENGLISH["no_postings_behind"]


def test_plotly_is_served_by_the_extension(demo: Client) -> None:
    answer = demo.get(API + "plotly.min.js")
    assert answer.status_code == 200
    assert b"plotly" in answer.get_data()[:2000].lower()


def test_postings_add_up_in_a_ledger_of_many_flows_between_buurten(
    tmp_path: Path,
) -> None:
    ledger = generated_ledger(tmp_path, 400, buurten=40)
    client = Client(ledger)
    checked = 0
    for level in ("gemeente", "wijk", "buurt"):
        for code, row in list(client.rows(level).items())[:6]:
            for figure in ("inflow", "outflow", "internal", "net"):
                found = client.json("postings", area=code, level=level, figure=figure)
                counted = sum(
                    (Decimal(p["counted"]) for p in found["rows"]), Decimal(0)
                )
                assert counted == Decimal(row[figure]), (level, code, figure)
                checked += 1
    assert checked == 4 * (1 + 6 + 6)  # one gemeente, six wijken, six buurten
