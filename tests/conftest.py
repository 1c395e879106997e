"""Fixtures shared by the whole suite: the demo ledger and small ledgers."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from ledger_support import HEADER

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "ledgers" / "spijkerkwartier"


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
