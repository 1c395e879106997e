"""Helpers for the Iv3 tests: an Arnhem ledger, the CLI, and a fake CBS catalog.

The fake catalog serves the Iv3 table 45067NED in the shape of CBS's OData v3
feed (see shared/data/cbs/ODATA_SHAPES.md): a service document listing
TypedDataSet and UntypedDataSet, DataProperties, the dimension tables
Gemeenten, TaakveldBalanspost, Categorie and Verslagsoort, and a TypedDataSet
served in pages with ``odata.nextLink``.  Its rows are built from the bundled
Iv3 CSV; the category split (salaries, other lasten, baten) and the dimension
keys are made up for the fixture, only the sums per taakveld are CBS's.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from click.testing import CliRunner, Result

from wijkboekhouding.engine.cli import cli

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures" / "iv3"
AREAS = FIXTURES / "arnhem_2024_areas.beancount"
BUNDLED = REPO / "importers" / "iv3" / "data" / "iv3_2024_begroting.csv"
TABLE = "45067NED"

MAIN = """\
option "operating_currency" "EUR"
plugin "wijkboekhouding.plugins.areas"
{allocation}
include "areas.beancount"
include "budget.beancount"

2017-01-01 commodity EUR
  value-type: "financieel"
{extra}
"""


def arnhem_ledger(folder: Path, extra: str = "", allocation: bool = True) -> Path:
    """An Arnhem ledger: CBS 2024 areas and observations, an empty budget file."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(AREAS, folder / "areas.beancount")
    (folder / "budget.beancount").write_text("; Iv3 budget\n", encoding="utf-8")
    plugin = 'plugin "wijkboekhouding.plugins.allocation"' if allocation else ""
    main = folder / "main.beancount"
    main.write_text(MAIN.format(allocation=plugin, extra=extra), encoding="utf-8")
    return main


def invoke(*args: str) -> Result:
    """Run the command line in-process."""
    return CliRunner().invoke(cli, list(args))


def import_file(main: Path, source: Path = BUNDLED, *extra: str) -> Result:
    """Import Arnhem's 2024 begroting from a file into budget.beancount."""
    return invoke(
        "import",
        "iv3",
        str(main),
        "--gemeente",
        "GM0202",
        "--year",
        "2024",
        "--kind",
        "begroting",
        "--from",
        str(source),
        "--journal",
        str(main.parent / "budget.beancount"),
        *extra,
    )


def budgeted_arnhem(folder: Path, extra: str = "") -> Path:
    """An Arnhem ledger with the bundled 2024 begroting imported."""
    main = arnhem_ledger(folder, extra)
    result = import_file(main)
    assert result.exit_code == 0, result.output
    return main


# The fake CBS catalog.

NAMES = {"Arnhem": "GM0202", "Dordrecht": "GM0505"}
PAGE = 50


def odata_tables(source: Path = BUNDLED) -> dict[str, list[dict[str, Any]]]:
    """The Iv3 table of 2024 in raw v3 shape, for Arnhem and Dordrecht."""
    posts: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    with source.open(encoding="utf-8") as handle:
        for line in csv.DictReader(handle, delimiter=";"):
            code = NAMES.get(line["Gemeenten"])
            if code is None:
                continue
            label = line["Taakveld"]
            key = ("T" + label.split(" ", 1)[0]).ljust(6)
            posts[key] = label
            salaries = Decimal(line["L1.1 Salarissen en sociale lasten"] or 0)
            lasten = Decimal(line["Lasten"])
            parts = {"L1.1  ": salaries, "LREST ": lasten - salaries}
            parts["BALL  "] = Decimal(line["Baten"])
            for category, value in parts.items():
                rows.append(_row(len(rows), code, key, category, float(value)))
        for code in NAMES.values():  # a balance post, which is not a taakveld
            rows.append(_row(len(rows), code, "A1    ", "PRIMO ", 1234.0))
    posts["A1    "] = "A1 Immateriele vaste activa (fixture)"
    return {
        "TableInfos": [{"ID": 0, "Identifier": TABLE, "Title": "Iv3 (fixture)"}],
        "UntypedDataSet": rows,
        "TypedDataSet": rows,
        "DataProperties": _properties(),
        "CategoryGroups": [],
        "Gemeenten": _keyed({c: n for n, c in NAMES.items()}),
        "TaakveldBalanspost": _keyed(posts),
        "Categorie": _keyed(
            {
                "L1.1  ": "L1.1 Salarissen en sociale lasten",
                "LREST ": "L Overige lasten (fixture)",
                "BALL  ": "B Baten (fixture)",
                "PRIMO ": "Primo",
            }
        ),
        "Verslagsoort": _keyed({"2024X000": "Begroting", "2024X005": "Rekening"}),
    }


def _row(number: int, code: str, post: str, category: str, value: float) -> Any:
    return {
        "ID": number,
        "Gemeenten": code,
        "TaakveldBalanspost": post,
        "Categorie": category,
        "Verslagsoort": "2024X000",
        "k_1ePlaatsing_1": value,
        "k_2ePlaatsing_2": value,
    }


def _keyed(titles: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Title": t, "Description": ""} for k, t in titles.items()]


def _properties() -> list[dict[str, Any]]:
    dims = ["Gemeenten", "TaakveldBalanspost", "Categorie", "Verslagsoort"]
    found: list[dict[str, Any]] = [
        {"ID": i, "Type": "Dimension", "Key": k, "Title": k} for i, k in enumerate(dims)
    ]
    for key in ("k_1ePlaatsing_1", "k_2ePlaatsing_2"):
        found.append(
            {
                "ID": len(found),
                "Type": "Topic",
                "Key": key,
                "Title": key,
                "Datatype": "Double",
                "Unit": "x 1 000 euro",
                "Decimals": 0,
            }
        )
    return found


_EQ = re.compile(r"(\w+) eq '([^']*)'")


class FakeCbs:
    """A local OData v3 catalog on 127.0.0.1 that records what it was asked."""

    def __init__(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        self.tables = tables
        self.requests: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())

    @property
    def url(self) -> str:
        """The catalog url to pass as --catalog-url (host:port)."""
        return f"127.0.0.1:{self.server.server_address[1]}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.requests.append(self.path)
                body = fake.answer(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "application/json;odata=minimal")
                self.end_headers()
                self.wfile.write(json.dumps(body or {}).encode("utf-8"))

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def answer(self, path: str) -> dict[str, Any] | None:
        """The JSON body for a request path, or None for 404."""
        parts = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        match = re.fullmatch(rf"/ODataFeed/odata/{TABLE}/?(\w*)", parts.path)
        if match is None:
            return None
        base = f"http://{self.url}/ODataFeed/odata/{TABLE}"
        name = match.group(1)
        if not name:
            names = list(self.tables)
            return {"value": [{"name": n, "url": f"{base}/{n}"} for n in names]}
        if name not in self.tables:
            return None
        rows = self.tables[name]
        if "$filter" in query and name.endswith("DataSet"):
            wanted = _EQ.findall(query["$filter"])
            rows = [r for r in rows if all(str(r[k]) == v for k, v in wanted)]
        skip = int(query.get("$skip", 0))
        body: dict[str, Any] = {"value": rows[skip : skip + PAGE]}
        if skip + PAGE < len(rows):
            link = f"{base}/{name}?$format=json&$skip={skip + PAGE}"
            if "$filter" in query:
                link += "&$filter=" + query["$filter"]
            body["odata.nextLink"] = link
        return body


@contextmanager
def silent_catalog(give_up: float = 10.0) -> Iterator[str]:
    """A catalog on 127.0.0.1 that accepts connections and never answers.

    The port listens but nobody reads: the kernel completes each connection
    and the request waits unanswered.  After ``give_up`` seconds the socket
    closes, which resets the waiting connections, so a client without a
    timeout fails instead of hanging the test run.
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        closer = threading.Timer(give_up, sock.close)
        closer.start()
        try:
            yield f"127.0.0.1:{sock.getsockname()[1]}"
        finally:
            closer.cancel()


@contextmanager
def fake_cbs(
    tables: dict[str, list[dict[str, Any]]] | None = None,
) -> Iterator[FakeCbs]:
    """Serve a fake CBS catalog for the duration of the block."""
    fake = FakeCbs(tables if tables is not None else odata_tables())
    thread = threading.Thread(target=fake.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()
