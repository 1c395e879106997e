"""Our Fava page's requests against Fava's own income statement, in one run.

Usage: ``python bench/bench_fava.py [--quick]``.  Generates a ledger of
100,000 transactions (10,000 with ``--quick``) with bench/generate.py, starts
one real Fava on it, and then, for each of three periods, times:

- Fava's income statement data (``api/income_statement``), the baseline;
- our area table at gemeente, wijk and buurt level (``areas``);
- our page of one wijk (``area``).

Each request gets a spelling of its period that is new to both caches (Fava
keeps filtered entries, which our page uses too).  Our first request after a
load also builds the postings table, which is kept until the ledger
changes; it is timed on its own.  Figures are medians over the filters; the
ratio is ours over Fava's (goal: at most 1).  Last, the same requests once
more, answered from the caches of both.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fava_support import fava_server

from bench.generate import write_ledger

# Each period spelled five ways that Fava reads as the same dates: every
# request gets a filter string new to Fava's cache and to ours, so each one
# pays for its own filtering.
PERIODS = (
    (
        "2023",
        "2023-01 - 2023-12",
        "2023-q1 - 2023-q4",
        "2023-01-01 - 2023-12-31",
        "2023-01 to 2023-12",
    ),
    (
        "2024",
        "2024-01 - 2024-12",
        "2024-q1 - 2024-q4",
        "2024-01-01 - 2024-12-31",
        "2024-01 to 2024-12",
    ),
    (
        "2023-07 - 2024-06",
        "2023-q3 - 2024-q2",
        "2023-07-01 - 2024-06-30",
        "2023-07 to 2024-06",
        "2023-07-01 to 2024-06-30",
    ),
)
LEVELS = ("gemeente", "wijk", "buurt")
HEADER = """\
option "title" "Bench"
option "operating_currency" "EUR"
plugin "wijkboekhouding.plugins.areas"
include "areas.beancount"
include "data.beancount"
2020-01-01 custom "fava-extension" "wijkboekhouding.plugins.fava"
"""


def timed(url: str) -> float:
    """Seconds to fetch ``url`` completely (it must answer 200)."""
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as answer:
        answer.read()
        assert answer.status == 200, url
    return time.perf_counter() - start


def main() -> int:
    quick = "--quick" in sys.argv
    transactions = 10_000 if quick else 100_000
    with tempfile.TemporaryDirectory() as folder:
        main_file = write_ledger(Path(folder) / "main.beancount", transactions)
        ledger = main_file.parent / "fava.beancount"
        ledger.write_text(HEADER, encoding="utf-8")
        print(f"ledger: {transactions} transactions, {ledger}", flush=True)
        started = time.perf_counter()
        with fava_server(ledger, Path(folder) / "fava.log") as fava:
            print(f"fava started and loaded: {time.perf_counter() - started:.1f} s")
            ours = fava.url("extension/Wijkboekhouding/")
            wijk = _first_wijk(folder)
            first = timed(f"{ours}areas?level=wijk&unit=EUR")
            print(f"our first request (builds the postings table): {first:.2f} s")
            figures: dict[str, list[float]] = {}
            for round_number, spellings in enumerate(PERIODS):
                names = [
                    "fava income statement",
                    *(f"ours: areas at {level}" for level in LEVELS),
                    f"ours: area page of {wijk}",
                ]
                shift = round_number % len(spellings)
                for number, name in enumerate(names):
                    period = spellings[(number + shift) % len(spellings)]
                    query = f"time={urllib.parse.quote(period)}"
                    if name.startswith("fava"):
                        url = fava.url("api/income_statement", query)
                    elif "page" in name:
                        url = f"{ours}area?area={wijk}&{query}"
                    else:
                        url = f"{ours}areas?level={name.split()[-1]}&{query}"
                    figures.setdefault(name, []).append(timed(url))
            # The same requests again: both answer from their caches.
            query = f"time={urllib.parse.quote(PERIODS[0][0])}"
            again = {
                "again: fava income statement": fava.url("api/income_statement", query),
                "again: ours at buurt": f"{ours}areas?level=buurt&{query}",
            }
            for name, url in again.items():
                timed(url)
                figures[name] = [timed(url)]
    _print(figures)
    return 0


def _first_wijk(folder: str) -> str:
    text = (Path(folder) / "areas.beancount").read_text(encoding="utf-8")
    start = text.index('"WK') + 1
    return text[start : text.index('"', start)]


def _print(figures: dict[str, list[float]]) -> None:
    baseline = statistics.median(figures["fava income statement"])
    print(f"{'request':40} {'median s':>9} {'ratio':>7}")
    for name, values in figures.items():
        middle = statistics.median(values)
        print(f"{name:40} {middle:9.3f} {middle / baseline:7.2f}")


if __name__ == "__main__":
    sys.exit(main())
