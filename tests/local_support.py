"""Helpers for the table and bank import tests: demo copies and golden text."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from wijkboekhouding.engine.ledger import load

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "ledgers" / "spijkerkwartier"
EXAMPLES = REPO / "importers" / "table" / "examples"
BANK_EXAMPLES = REPO / "importers" / "bank" / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"
RECORDED = "2026-01-01T00:00:00.000000Z"


def demo_copy(folder: Path, *extras: Path) -> Path:
    """Copy the demo ledger into ``folder``, include ``extras``; return main."""
    target = folder / "ledger"
    shutil.copytree(DEMO, target)
    main = target / "main.beancount"
    with main.open("a", encoding="utf-8") as handle:
        for extra in extras:
            shutil.copy(extra, target / extra.name)
            handle.write(f'include "{extra.name}"\n')
    return main


def table_ledger(folder: Path) -> Path:
    """A demo copy with the streets, postcodes and units of the examples."""
    return demo_copy(folder, EXAMPLES / "spijkerkwartier-extra.beancount")


def bank_ledger(folder: Path) -> Path:
    """A demo copy with the Natuurclub's and Repair Café's accounts."""
    return demo_copy(folder, GOLDEN / "bank" / "accounts.beancount")


def journal_of(main: Path) -> Path:
    """The journal file imports append to."""
    return main.parent / "journal.beancount"


def snapshot(main: Path) -> dict[str, bytes]:
    """The bytes of every file of a ledger folder."""
    return {p.name: p.read_bytes() for p in sorted(main.parent.glob("*.beancount"))}


def ledger_errors(main: Path) -> list[str]:
    """The errors `wijkboekhouding check` would print."""
    return [error.message for error in load(main).errors]


def assert_golden(text: str, name: str) -> None:
    """Compare appended ledger text with its committed golden file.

    Run with ``UPDATE_GOLDEN=1`` to rewrite the file after a deliberate change.
    """
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
