"""Auditor commands: correct, seal, verify and history.

``correct`` appends the reversal (and replacement) of an event, ``seal``
commits a hash over the events up to a date, ``verify`` recomputes every
seal and names what changed, ``history`` shows an event with its
corrections.  See docs/audit.md.
"""

from __future__ import annotations

import datetime
import json
import os

import click
from beancount.core import data
from beancount.parser import printer

from wijkboekhouding.engine.cli.app import open_ledger
from wijkboekhouding.engine.corrections import (
    META_REASON,
    META_REPLACES,
    META_REVERSES,
    UnknownEvent,
)
from wijkboekhouding.engine.corrections import correct as append_correction
from wijkboekhouding.engine.model import META_ID
from wijkboekhouding.engine.seal import EventLog, SealRefused, read_events, stamp_of
from wijkboekhouding.engine.seal import seal as append_seal
from wijkboekhouding.engine.verify import check

FORMATS = click.Choice(["text", "json"])


@click.command()
@click.argument("ledger", type=click.Path(dir_okay=False))
@click.argument("event_id", metavar="ID")
@click.option("--reason", required=True, help="Why the event is corrected.")
@click.option(
    "--replace",
    "replace_file",
    type=click.Path(dir_okay=False),
    help="A small ledger file holding the corrected entry.",
)
def correct(ledger: str, event_id: str, reason: str, replace_file: str | None) -> None:
    """Reverse event ID exactly, and optionally append its replacement."""
    if not reason.strip():
        raise click.BadParameter("give a reason", param_hint="--reason")
    # A ledger with errors may be corrected: the correction may be the fix.
    loaded = open_ledger(ledger)
    done = append_correction(loaded, event_id, " ".join(reason.split()), replace_file)
    click.echo(
        f"{done.target}: appended {', '.join(done.ids)} (recorded {done.recorded})"
    )


@click.command()
@click.argument("ledger", type=click.Path(dir_okay=False))
@click.option(
    "--until",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Last date sealed (default: today, UTC).",
)
def seal(ledger: str, until: datetime.datetime | None) -> None:
    """Append a seal over all events up to a date."""
    problems: list[str] = []

    def verified(log: EventLog) -> int:
        result = check(log)
        problems.extend(result.as_text())
        return len(result.problems)

    try:
        done = append_seal(ledger, until.date() if until else None, check=verified)
    except SealRefused:
        raise click.ClickException(
            f"{ledger} does not verify, so it is not sealed:\n" + "\n".join(problems)
        ) from None
    click.echo(
        f"{ledger}: sealed {done.new_events} new events ({done.total_events} in"
        f" all) until {done.until}: {done.hash}"
    )


@click.command()
@click.argument("ledger", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
def verify(ledger: str, fmt: str) -> None:
    """Recompute every seal; exit 1 when a sealed event was touched."""
    result = check(read_events(ledger))
    if fmt == "json":
        click.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(result.as_text()))
    if not result.ok:
        raise click.exceptions.Exit(1)


@click.command()
@click.argument("ledger", type=click.Path(dir_okay=False))
@click.argument("event_id", metavar="ID")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
def history(ledger: str, event_id: str, fmt: str) -> None:
    """Show event ID with its corrections and replacements, in recorded order."""
    log = read_events(ledger)
    chain = events_of(log, event_id)
    if not chain:
        raise UnknownEvent(ledger, event_id)
    folder = os.path.dirname(os.path.abspath(ledger))
    rows = [_row(entry, role, folder) for entry, role in chain]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        click.echo(
            f"{row['recorded'] or 'written by hand'}  {row['role']}"
            f"  {row['file']}:{row['line']}"
            + (f"  reason: {row['reason']}" if row["reason"] else "")
        )
        click.echo("  " + str(row["text"]).rstrip().replace("\n", "\n  "))


def events_of(log: EventLog, event_id: str) -> list[tuple[data.Directive, str]]:
    """The event and every event correcting it (transitively), by recorded time."""
    by_id = {str(e.meta[META_ID]): e for e in log.events if META_ID in e.meta}
    if event_id not in by_id:
        return []
    found: list[tuple[data.Directive, str]] = [(by_id[event_id], "original")]
    pending = [event_id]
    while pending:
        current = pending.pop()
        for entry in log.events:
            meta = entry.meta
            for key, role in (
                (META_REVERSES, "reversal"),
                (META_REPLACES, "replacement"),
            ):
                if str(meta.get(key)) == current and all(
                    entry is not e for e, _ in found
                ):
                    found.append((entry, f"{role} of {current}"))
                    if META_ID in meta:
                        pending.append(str(meta[META_ID]))
    found.sort(key=lambda pair: stamp_of(pair[0]) or "")
    return found


def _row(entry: data.Directive, role: str, folder: str) -> dict[str, object]:
    meta = entry.meta
    filename = str(meta.get("filename"))
    return {
        "id": meta.get(META_ID),
        "role": role,
        "date": str(entry.date),
        "recorded": stamp_of(entry),
        "reason": meta.get(META_REASON),
        "file": os.path.relpath(filename, folder) if filename else None,
        "line": meta.get("lineno"),
        "text": printer.format_entry(entry),
    }
