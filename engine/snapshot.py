"""A snapshot of a ledger's projection, kept beside it, keyed by its content.

Loading is the expensive step (Beancount parses about 9,000 transactions a
second), while most commands only need the projection: the postings table,
the areas and the observations.  After a clean load, :func:`save` writes
them to ``.wijkboekhouding/<main file>.snapshot`` beside the ledger, with a
SHA-256 digest of every file the ledger consists of and of our own code.
:func:`restore` gives them back only while every digest still matches, so a
changed, added (through an edited include line) or removed entry always
means a fresh load.

A snapshot is a pickle, as trusted as the ledger folder it sits in; a
ledger's ``plugin`` lines run code from the same place already.

Limitation: an ``include`` with a glob pattern that starts matching a new
file, with no file of the ledger changed, is not noticed until some ledger
file changes; run with ``--no-snapshot`` or touch the main file after adding
files that way.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wijkboekhouding.engine.areas import AreaRegistry
from wijkboekhouding.engine.observations import Observations

log = logging.getLogger(__name__)

FORMAT = 2
_CODE_ROOTS = (Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent)


@dataclass(frozen=True)
class Snapshot:
    """What a report needs from a ledger, without its entries."""

    ledger: str
    files: dict[str, str]
    frame: pd.DataFrame
    registry: AreaRegistry
    observations: Observations


def snapshot_path(ledger: Path) -> Path:
    """Where the snapshot of a ledger is kept."""
    return ledger.parent / ".wijkboekhouding" / f"{ledger.name}.snapshot"


def digest(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, or "missing"."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "missing"


def code_digest() -> str:
    """A digest of our engine and plugins, so new code never reads old snapshots."""
    sha = hashlib.sha256(str(FORMAT).encode())
    for root in (_CODE_ROOTS[0], _CODE_ROOTS[1] / "plugins"):
        for source in sorted(root.rglob("*.py")):
            sha.update(source.read_bytes())
    return sha.hexdigest()


def save(
    ledger: Path,
    files: list[str],
    frame: pd.DataFrame,
    registry: AreaRegistry,
    observations: Observations,
) -> None:
    """Write the snapshot of a cleanly loaded ledger; never fails the caller."""
    target = snapshot_path(ledger)
    digests = {name: digest(name) for name in files}
    digests["<code>"] = code_digest()
    payload = Snapshot(str(ledger.resolve()), digests, frame, registry, observations)
    try:
        target.parent.mkdir(exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, target)
    except OSError as exc:
        log.debug("no snapshot written for %s: %s", ledger, exc)


def restore(ledger: Path) -> Snapshot | None:
    """The snapshot of a ledger if it matches the ledger's content, else None."""
    target = snapshot_path(ledger)
    try:
        with open(target, "rb") as handle:
            snapshot = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    if not isinstance(snapshot, Snapshot) or snapshot.ledger != str(ledger.resolve()):
        return None  # not ours, or a copied ledger folder
    for name, expected in snapshot.files.items():
        current = code_digest() if name == "<code>" else digest(name)
        if current != expected:
            log.info("snapshot of %s is stale (%s changed)", ledger, name)
            return None
    return snapshot
