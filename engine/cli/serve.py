"""``wijkboekhouding serve``: Fava with the Wijkboekhouding page, on 127.0.0.1."""

from __future__ import annotations

import click
from fava.cli import main as fava_main
from fava.util import slugify

from wijkboekhouding.engine.cli.app import open_ledger


def page_url(host: str, port: int, title: str, path: str) -> str:
    """The address of our page, under the slug Fava gives the ledger."""
    slug = slugify(title) or slugify(path)
    return f"http://{host}:{port}/{slug}/extension/Wijkboekhouding/"


@click.command()
@click.argument("ledger", type=click.Path(dir_okay=False))
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
def serve(ledger: str, port: int, host: str) -> None:
    """Start Fava on the ledger and print the address of our page."""
    loaded = open_ledger(ledger)  # a missing or unreadable file fails here, clearly
    title = str(loaded.options.get("title") or "")
    click.echo(f"Wijkboekhouding: {page_url(host, port, title, ledger)}")
    fava_main.main(args=["--host", host, "--port", str(port), ledger], prog_name="fava")
