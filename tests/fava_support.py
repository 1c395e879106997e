"""Helpers for the Fava tests: a real Fava server, a headless browser, the CLI."""

from __future__ import annotations

import csv
import io
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "ledgers" / "spijkerkwartier"
BIN = Path(sys.executable).parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
PAGE = "extension/Wijkboekhouding/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def copy_demo(folder: Path, extra: str = "") -> Path:
    """Copy the demo ledger into ``folder``; append ``extra`` to its main file."""
    target = folder / "spijkerkwartier"
    shutil.copytree(DEMO, target)
    main = target / "main.beancount"
    if extra:
        main.write_text(main.read_text(encoding="utf-8") + "\n" + extra + "\n")
    return main


class FavaServer:
    """A Fava process on 127.0.0.1 serving one ledger."""

    def __init__(self, process: subprocess.Popen[bytes], port: int) -> None:
        self.process = process
        self.port = port
        self.root = f"http://127.0.0.1:{port}"
        self.slug = ""

    def wait(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"fava exited with {self.process.returncode}")
            try:
                opener = urllib.request.build_opener(_NoRedirect)
                opener.open(self.root + "/", timeout=5)
            except urllib.error.HTTPError as redirect:
                location = redirect.headers.get("Location", "")
                self.slug = location.strip("/").split("/")[0]
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("fava did not start in time")

    def url(self, path: str = PAGE, query: str = "") -> str:
        """The address of a page of the served ledger."""
        return f"{self.root}/{self.slug}/{path}" + (f"?{query}" if query else "")

    def get(self, path: str, query: str = "") -> tuple[int, bytes]:
        """Fetch a page; return the status and body (also for 4xx answers)."""
        try:
            with urllib.request.urlopen(self.url(path, query), timeout=60) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@contextmanager
def fava_server(ledger: Path, log: Path) -> Iterator[FavaServer]:
    """Start Fava on ``ledger`` and stop it afterwards."""
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                str(BIN / "fava"),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                str(ledger),
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        server = FavaServer(process, port)
        try:
            server.wait()
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def report(ledger: Path, *options: str) -> list[dict[str, str]]:
    """Run ``wijkboekhouding report --format csv`` and read its rows."""
    return list(csv.DictReader(io.StringIO(report_csv(ledger, *options))))


def report_csv(ledger: Path, *options: str) -> str:
    """The CSV text ``wijkboekhouding report`` prints."""
    result = subprocess.run(
        [
            str(BIN / "wijkboekhouding"),
            "report",
            str(ledger),
            *options,
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def generated_ledger(folder: Path, transactions: int, buurten: int) -> Path:
    """A synthetic ledger from bench/generate.py, with the page enabled."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench.generate import write_ledger

    write_ledger(folder / "main.beancount", transactions, buurten=buurten, seed=7)
    ledger = folder / "fava.beancount"
    ledger.write_text(
        'option "title" "Generated"\n'
        'plugin "wijkboekhouding.plugins.areas"\n'
        'include "areas.beancount"\n'
        'include "data.beancount"\n'
        '2020-01-01 custom "fava-extension" "wijkboekhouding.plugins.fava"\n',
        encoding="utf-8",
    )
    return ledger


def launch_browser(playwright: Any) -> Any:
    """Headless Debian Chromium, as CI runs it."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
