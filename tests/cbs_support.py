"""A fake CBS OData v3 server on 127.0.0.1 for the CBS importer's tests.

It serves the folders under ``tests/fixtures/cbs/odata3`` in CBS's own
shapes: the service document, each OData name as ``{"odata.metadata", "value"}``
pages of ``page_size`` rows chained by ``odata.nextLink`` (which repeats the
``$filter``), and ``$filter`` on the data set for the forms the importer and
``cbsodata`` users send.  Faults (HTTP 500, a slow answer, malformed JSON)
are switched on per test.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import cbsodata

FIXTURES = Path(__file__).parent / "fixtures" / "cbs"
ODATA = FIXTURES / "odata3"
DATA_SETS = ("TypedDataSet", "UntypedDataSet")

_CLAUSE = re.compile(
    r"^\(?\s*(?:"
    r"(?P<field>\w+) eq '(?P<value>[^']*)'"
    r"|startswith\((?P<sfield>\w+),'(?P<prefix>[^']*)'\)"
    r"|substringof\('(?P<part>[^']*)',(?P<ofield>\w+)\)"
    r")\s*\)?$"
)


def copy_fixtures(target: Path) -> Path:
    """A writable copy of the fixture tables, for tests that change a value."""
    shutil.copytree(ODATA, target)
    return target


def row_filter(expression: str) -> Any:
    """A predicate for an OData ``$filter`` of clauses joined by ``or``."""
    tests = []
    for clause in re.split(r"\s+or\s+", expression.strip()):
        match = _CLAUSE.match(clause.strip())
        if match is None:
            raise ValueError(f"unsupported $filter clause: {clause}")
        tests.append(match.groupdict())

    def keep(row: dict[str, Any]) -> bool:
        for t in tests:
            if t["field"] and str(row.get(t["field"])) == t["value"]:
                return True
            if t["sfield"] and str(row.get(t["sfield"], "")).startswith(t["prefix"]):
                return True
            if t["ofield"] and t["part"] in str(row.get(t["ofield"], "")):
                return True
        return False

    return keep


@dataclass
class FakeCBS:
    """The server's state: where its tables are and which faults are on."""

    root: Path = ODATA
    page_size: int = 40
    status: int | None = None
    delay: float = 0.0
    malformed: bool = False
    requests: list[str] = field(default_factory=list)
    port: int = 0

    @property
    def base(self) -> str:
        """The scheme, host and port clients use."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def host(self) -> str:
        """What ``--catalog-url`` takes."""
        return f"127.0.0.1:{self.port}"

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, bytes]:
        """Status and body of one GET."""
        if self.delay:
            time.sleep(self.delay)
        if self.status is not None:
            return self.status, b'{"odata.error": "fault switched on by the test"}'
        if self.malformed:
            return 200, b'{"odata.metadata": "x", "value": [ {"ID": 0,'
        parts = [p for p in path.split("/") if p]
        if parts == ["ODataCatalog", "Tables"]:
            rows = [
                json.loads((d / "TableInfos.json").read_text())[0]
                for d in sorted(self.root.iterdir())
            ]
            return 200, self._page(rows, path, query, paged=False)
        if len(parts) < 3 or parts[:2] != ["ODataFeed", "odata"]:
            return 404, b"{}"
        folder = self.root / parts[2]
        if not folder.is_dir():
            return 404, b'{"odata.error": "table not found"}'
        if len(parts) == 3:
            template = (folder / "_service.json").read_text()
            return 200, template.replace("{BASE}", self.base).encode()
        name = parts[3]
        source = folder / f"{name}.json"
        if name == "UntypedDataSet" and not source.exists():
            source = folder / "TypedDataSet.json"
        if len(parts) != 4 or not source.exists():
            return 404, b"{}"
        rows = json.loads(source.read_text(encoding="utf-8"))
        if name in DATA_SETS and "$filter" in query:
            try:
                keep = row_filter(query["$filter"][0])
            except ValueError as exc:
                return 400, json.dumps({"odata.error": str(exc)}).encode()
            rows = [r for r in rows if keep(r)]
        return 200, self._page(rows, path, query, paged=True)

    def _page(
        self, rows: list[Any], path: str, query: dict[str, list[str]], paged: bool
    ) -> bytes:
        skip = int(query.get("$skip", ["0"])[0])
        end = skip + self.page_size if paged else len(rows)
        body: dict[str, Any] = {
            "odata.metadata": f"{self.base}{path}/$metadata",
            "value": rows[skip:end],
        }
        if end < len(rows):
            link = f"{self.base}{path}?$format=json&$skip={end}"
            if "$filter" in query:
                link += "&$filter=" + quote(query["$filter"][0], safe="")
            body["odata.nextLink"] = link
        return json.dumps(body).encode("utf-8")


def _handler(fake: FakeCBS) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            fake.requests.append(self.path)
            status, body = fake.answer(url.path, parse_qs(url.query))
            try:
                self.send_response(status)
                self.send_header(
                    "Content-Type", "application/json;odata=minimalmetadata"
                )
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@contextmanager
def serve(fake: FakeCBS | None = None) -> Iterator[FakeCBS]:
    """Run a fake CBS in a thread; restore ``cbsodata``'s global options after."""
    fake = fake or FakeCBS()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    saved = (cbsodata.options.use_https, dict(cbsodata.options.requests))
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        cbsodata.options.use_https, cbsodata.options.requests = saved


def invoke(*args: str) -> Any:
    """Run ``wijkboekhouding ARGS`` through click's test runner."""
    from click.testing import CliRunner

    from wijkboekhouding.engine.cli import cli

    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def new_ledger(folder: Path, gemeente: str = "GM0202", name: str = "Arnhem") -> Path:
    """A fresh ledger made by ``wijkboekhouding new``; the main file's path."""
    result = invoke("new", str(folder), "--gemeente", gemeente, "--name", name)
    assert result.exit_code == 0, result.output
    return folder / "main.beancount"


def snapshot_of(ledger: Path) -> dict[str, bytes]:
    """The bytes of every file in a ledger's folder, to show nothing changed."""
    return {
        p.name: p.read_bytes()
        for p in sorted(ledger.parent.iterdir())
        if p.is_file() and not p.name.endswith(".lock")
    }
