"""Auditor commands: correct, seal, verify, history (see the event store issue)."""

from __future__ import annotations

import click


@click.command()
def correct() -> None:
    """Append a correction that reverses an event."""
    raise click.ClickException("correct is not available yet")


@click.command()
def seal() -> None:
    """Append a seal over all events so far."""
    raise click.ClickException("seal is not available yet")


@click.command()
def verify() -> None:
    """Check every seal."""
    raise click.ClickException("verify is not available yet")


@click.command()
def history() -> None:
    """Show an event with its corrections."""
    raise click.ClickException("history is not available yet")
