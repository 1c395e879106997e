"""Run a measuring script in a fresh interpreter and read back its figures."""

from __future__ import annotations

import json
import subprocess
import sys


def run_probe(code: str, *args: object) -> dict[str, float]:
    """Run ``code`` with ``args`` in a new Python; it prints one JSON object.

    A fresh process per measurement keeps imports, caches and memory peaks
    of one measurement out of the next.
    """
    output = subprocess.run(
        [sys.executable, "-c", code, *(str(arg) for arg in args)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures: dict[str, float] = json.loads(output)
    return figures
