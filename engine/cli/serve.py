"""``wijkboekhouding serve``: Fava with the Wijkboekhouding page, on 127.0.0.1."""

from __future__ import annotations

import os
import sys

import click

from wijkboekhouding.engine.cli.app import open_ledger


@click.command()
@click.argument("ledger", type=click.Path(dir_okay=False))
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
def serve(ledger: str, port: int, host: str) -> None:
    """Start Fava on the ledger and print the address of our page."""
    open_ledger(ledger)  # a missing or unreadable file fails here, clearly
    click.echo(f"Wijkboekhouding: http://{host}:{port}/extension/Wijkboekhouding/")
    command = [
        sys.executable,
        "-m",
        "fava",
        "--host",
        host,
        "--port",
        str(port),
        ledger,
    ]
    os.execv(sys.executable, command)
