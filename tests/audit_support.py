"""Helpers for the auditor tests: a small ledger, the CLI, json findings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from wijkboekhouding.engine.cli import cli

# Opens and five events; two on 2024-02-10, so their order is meaningful.
OPENS = """\
plugin "wijkboekhouding.plugins.areas"

2024-01-01 commodity EUR
  value-type: "financieel"
2024-01-01 custom "area" "GM0202" "Arnhem"
  level: "gemeente"
2024-01-01 custom "area" "BU02020211" "Spijkerbuurt"
  level: "buurt"
  parent: "GM0202"
2024-01-01 open Assets:Kas EUR
  area: "BU02020211"
2024-01-01 open Income:Giften EUR
  area: "BU02020211"
2024-01-01 open Expenses:Groen EUR
  area: "BU02020211"
"""

JOURNAL = """\
2024-01-15 * "Buurman" "Gift januari"
  id: "gift-1"
  Assets:Kas        100.00 EUR
  Income:Giften    -100.00 EUR

2024-02-10 * "Buurvrouw" "Gift februari"
  id: "gift-2"
  note: "contant"
  Assets:Kas         25.00 EUR
  Income:Giften     -25.00 EUR

2024-02-10 * "Tuincentrum" "Plantgoed"
  id: "plant-1"
  Expenses:Groen     40.00 EUR
  Assets:Kas        -40.00 EUR

2024-03-05 * "Buurman" "Gift maart"
  id: "gift-3"
  Assets:Kas         60.00 EUR
  Income:Giften     -60.00 EUR

2024-05-01 * "Tuincentrum" "Plantgoed mei"
  id: "plant-2"
  Expenses:Groen     15.00 EUR
  Assets:Kas        -15.00 EUR
"""


def write_ledger(folder: Path, journal: str = JOURNAL) -> Path:
    """A one-file ledger of OPENS and ``journal``; returns the main file."""
    folder.mkdir(parents=True, exist_ok=True)
    main = folder / "main.beancount"
    main.write_text(OPENS + "\n" + journal, encoding="utf-8")
    return main


def run(*args: str) -> Result:
    """Run the real command line in-process."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def verified(main: Path) -> dict[str, Any]:
    """The json output of ``verify``."""
    result = run("verify", str(main), "--format", "json")
    found: dict[str, Any] = json.loads(result.stdout)
    assert result.exit_code == (0 if found["ok"] else 1)
    return found
