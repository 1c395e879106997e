"""The ``wijkboekhouding`` command line.

Engine commands live in this package; importers and plugins add theirs
through the entry-point groups ``wijkboekhouding.importers`` (subcommands of
``import``) and ``wijkboekhouding.commands`` (top-level commands), so a
municipality's own importer is found the same way as the bundled ones.
"""

from __future__ import annotations

import logging
from importlib.metadata import entry_points

import click

from wijkboekhouding.engine.cli.app import TrappingGroup
from wijkboekhouding.engine.cli.audit import correct, history, seal, verify
from wijkboekhouding.engine.cli.export import export
from wijkboekhouding.engine.cli.ledger_commands import areas, check, new
from wijkboekhouding.engine.cli.report import report
from wijkboekhouding.engine.cli.serve import serve

log = logging.getLogger(__name__)


@click.group(cls=TrappingGroup)
@click.option("-v", "--verbose", is_flag=True, help="Say what is being done.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool, debug: bool) -> None:
    """Wijkboekhouding: the money and value flowing through a neighbourhood."""
    ctx.obj = {"debug": debug}
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


@cli.group(name="import", cls=TrappingGroup)
def import_group() -> None:
    """Append entries from outside data (CBS, budgets, tables, bank statements)."""


for command in (
    new,
    check,
    areas,
    report,
    export,
    serve,
    correct,
    seal,
    verify,
    history,
):
    cli.add_command(command)


def _add_plugged(group: click.Group, entry_group: str) -> None:
    for point in entry_points(group=entry_group):
        try:
            command = point.load()
        except (ImportError, AttributeError) as exc:
            log.debug("cannot load command %s (%s): %s", point.name, point.value, exc)
            continue
        group.add_command(command, name=point.name)


_add_plugged(import_group, "wijkboekhouding.importers")
_add_plugged(cli, "wijkboekhouding.commands")


def main() -> None:
    """Run the command line."""
    cli(prog_name="wijkboekhouding")
