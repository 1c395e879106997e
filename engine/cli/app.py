"""Shared machinery of the commands: error trapping, loading and output."""

from __future__ import annotations

import io
import json
import os
import sys
import threading
import time
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
import pandas as pd

from wijkboekhouding.engine.errors import WijkboekhoudingError, format_error
from wijkboekhouding.engine.ledger import Ledger, load


class TrappingGroup(click.Group):
    """A click group that turns every failure into one clear line and exit code.

    Failures of the user's input (our exceptions, bad periods or values) exit
    with 1; anything unexpected exits with 2 and asks for a report, and shows
    the traceback only with ``--debug``.
    """

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command, translating failures as the class says."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except WijkboekhoudingError as exc:
            raise click.ClickException(str(exc)) from exc
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        except KeyboardInterrupt:
            raise click.Abort() from None
        except BrokenPipeError:
            # The reader of our output has gone (``| head``): stop quietly.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(1)
        except Exception as exc:
            if isinstance(exc, OSError) and exc.filename:
                # A file or folder the system refused: name it and the reason.
                raise click.ClickException(
                    f"{exc.filename}: {exc.strerror or exc};"
                    " check the path and its permissions"
                ) from exc
            root = ctx.find_root()
            if (root.obj or {}).get("debug"):
                raise
            raise click.ClickException(
                f"internal error: {type(exc).__name__}: {exc}"
                " (run with --debug for the details and please report it)"
            ) from exc


class _Progress:
    """Shows the stages of a long load on a terminal, never in a pipe."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.started = time.monotonic()
        self.stage = "parsing"
        self.enabled = sys.stderr.isatty()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _Progress:
        if self.enabled:
            self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self.enabled and self._thread.is_alive():
            self._thread.join()
            click.echo("\r\033[K", err=True, nl=False)

    def timing(self, message: str) -> None:
        self.stage = message.split(":")[0].strip() or self.stage

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            elapsed = time.monotonic() - self.started
            if elapsed > 1.0:
                click.echo(
                    f"\rLoading {self.path.name}: {self.stage} … {elapsed:.1f} s",
                    err=True,
                    nl=False,
                )


def open_ledger(
    path: str, *, require_clean: bool = False, use_snapshot: bool = False
) -> Ledger:
    """Load a ledger for a command, with progress on a terminal.

    With ``require_clean`` a ledger with errors stops the command with the
    error lines, so no report is built on a broken ledger.  With
    ``use_snapshot`` the projection may come from the ledger's snapshot (see
    engine/snapshot.py); the ledger then has no entries.
    """
    with _Progress(Path(path)):
        ledger = load(path, use_snapshot=use_snapshot)
    if require_clean and ledger.errors:
        lines = [format_error(error) for error in ledger.errors[:20]]
        more = len(ledger.errors) - len(lines)
        if more > 0:
            lines.append(f"... and {more} more")
        raise click.ClickException(
            f"the ledger has {len(ledger.errors)} error(s); run"
            f" `wijkboekhouding check {path}` and fix them first:\n" + "\n".join(lines)
        )
    return ledger


def plain(value: Any) -> Any:
    """A value as JSON and CSV should show it (exact Decimals as strings)."""
    if isinstance(value, Decimal):
        return str(value)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return value


def emit(table: pd.DataFrame, fmt: str, columns: Sequence[str] | None = None) -> None:
    """Print a table as an aligned text table, CSV or JSON."""
    if columns is not None:
        table = table[list(columns)]
    if fmt == "json":
        records = [
            {key: plain(value) for key, value in row.items()}
            for row in table.to_dict(orient="records")
        ]
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        buffer = io.StringIO()
        table.map(lambda v: "" if plain(v) is None else plain(v)).to_csv(
            buffer, index=False
        )
        click.echo(buffer.getvalue(), nl=False)
    elif table.empty:
        click.echo("(no postings match)")
    else:
        shown = table.map(lambda v: "" if plain(v) is None else str(plain(v)))
        click.echo(shown.to_string(index=False))
