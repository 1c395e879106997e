"""Fixtures shared by the whole suite: the demo ledger and small ledgers."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "ledgers" / "spijkerkwartier"

# A small area tree and the declarations every test ledger needs.
HEADER = """\
plugin "wijkboekhouding.plugins.areas"

2024-01-01 commodity EUR
  value-type: "financieel"
2024-01-01 commodity UUR
  value-type: "menselijk"

2024-01-01 custom "area" "GM0202" "Arnhem"
  level: "gemeente"
2024-01-01 custom "area" "WK020202" "Spijkerkwartier"
  level: "wijk"
  parent: "GM0202"
2024-01-01 custom "area" "BU02020210" "Hommelstraat"
  level: "buurt"
  parent: "WK020202"
2024-01-01 custom "area" "BU02020211" "Spijkerbuurt"
  level: "buurt"
  parent: "WK020202"
"""


@pytest.fixture
def demo_ledger(tmp_path: Path) -> Path:
    """A private copy of the demo ledger; returns its main file."""
    target = tmp_path / "spijkerkwartier"
    shutil.copytree(DEMO, target, ignore=shutil.ignore_patterns(".*"))
    return target / "main.beancount"


@pytest.fixture
def make_ledger(tmp_path: Path) -> Callable[[str], Path]:
    """Write a ledger of HEADER plus the given text; return its path."""

    def write(body: str, name: str = "main.beancount", header: str = HEADER) -> Path:
        path = tmp_path / name
        path.write_text(header + "\n" + textwrap.dedent(body), encoding="utf-8")
        return path

    return write
