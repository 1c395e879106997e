"""Load a ledger with the real Beancount loader and hold what reports need."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from beancount import loader
from beancount.core import data

from wijkboekhouding.engine import snapshot
from wijkboekhouding.engine.areas import AreaRegistry
from wijkboekhouding.engine.errors import LedgerNotFound, error_at
from wijkboekhouding.engine.lookup import AreaLookup
from wijkboekhouding.engine.model import META_ID
from wijkboekhouding.engine.observations import Observations
from wijkboekhouding.engine.postings import postings_frame
from wijkboekhouding.engine.stamps import stamp_problems

log = logging.getLogger(__name__)

PLUGIN = "wijkboekhouding.plugins.areas"

# Beancount's pickle cache decides freshness by modification time, which is
# not fine enough for a journal appended to several times a second.
loader.initialize(use_cache=False)


@dataclass
class Ledger:
    """A loaded ledger: its entries, errors, options, areas and observations.

    A ledger restored from its snapshot (``from_snapshot``) has its postings
    table, areas and observations but no entries; commands that need the
    entries load without the snapshot.
    """

    path: Path
    entries: list[data.Directive]
    errors: list[Any]
    options: dict[str, Any]
    registry: AreaRegistry
    observations: Observations
    _frame: pd.DataFrame | None = field(default=None, repr=False)
    from_snapshot: bool = False

    @property
    def frame(self) -> pd.DataFrame:
        """The postings table, built on first use."""
        if self._frame is None:
            self._frame = postings_frame(self.entries)
        return self._frame

    @property
    def files(self) -> list[str]:
        """Every file the ledger consists of, the main file first."""
        return list(self.options.get("include", [str(self.path)]))

    @property
    def plugins(self) -> list[str]:
        """The modules of the main file's ``plugin`` lines, in order."""
        return [name for name, _ in self.options.get("plugin", [])]

    def ids(self) -> set[str]:
        """The ``id`` of every entry."""
        return {
            str(entry.meta[META_ID])
            for entry in self.entries
            if entry.meta and META_ID in entry.meta
        }


def load(path: str | Path, *, use_snapshot: bool = False) -> Ledger:
    """Load a ledger file, with its plugins, and read its areas.

    With ``use_snapshot``, the projection is taken from the ledger's snapshot
    while its files are unchanged, and a clean fresh load writes a new one.

    Raises:
      LedgerNotFound: the file does not exist.
    """
    ledger_path = Path(path)
    if not ledger_path.is_file():
        raise LedgerNotFound(str(path))
    if use_snapshot:
        return _load_with_snapshot(ledger_path)
    log.info("loading %s", ledger_path)
    entries, errors, options = loader.load_file(str(ledger_path))
    registry, area_errors = AreaRegistry.from_entries(entries)
    observations, obs_errors = Observations.from_entries(entries)
    errors = list(errors)
    plugins = [name for name, _ in options.get("plugin", [])]
    if PLUGIN not in plugins:
        errors.append(
            error_at(
                {"filename": str(ledger_path), "lineno": 1},
                f'the areas plugin is not enabled; add `plugin "{PLUGIN}"`'
                " to the main ledger file",
            )
        )
        errors.extend(area_errors)
    errors.extend(obs_errors)
    errors.extend(AreaLookup.from_entries(entries, registry)[1])
    errors.extend(stamp_problems(entries))
    return Ledger(ledger_path, entries, errors, options, registry, observations)


def _load_with_snapshot(ledger_path: Path) -> Ledger:
    kept = snapshot.restore(ledger_path)
    if kept is not None:
        log.info("using the snapshot of %s", ledger_path)
        files = [name for name in kept.files if name != "<code>"]
        return Ledger(
            ledger_path,
            [],
            [],
            {"include": files},
            kept.registry,
            kept.observations,
            _frame=kept.frame,
            from_snapshot=True,
        )
    ledger = load(ledger_path)
    if not ledger.errors:
        snapshot.save(
            ledger_path,
            ledger.files,
            ledger.frame,
            ledger.registry,
            ledger.observations,
        )
    return ledger
