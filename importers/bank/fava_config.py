"""An import configuration for Fava's import page.

Fava runs the file that its ``import-config`` option names and takes the
importers from its ``CONFIG`` list.  Point the option at a two-line file
beside the ledger, so that the rules and the ledger are found next to it::

    # import_config.py, beside main.beancount
    from wijkboekhouding.importers.bank.fava_config import importers
    CONFIG = importers(__file__, rules="bank-rules.toml")

and in the ledger::

    2023-01-01 custom "fava-option" "import-config" "import_config.py"
    2023-01-01 custom "fava-option" "import-dirs" "bankafschriften"

The ``CONFIG`` of this module itself (no rules) works too when the option
names this file's path.
"""

from __future__ import annotations

from pathlib import Path

from wijkboekhouding.importers.bank.importers import IMPORTERS, StatementImporter
from wijkboekhouding.importers.bank.rules import load_rules


def importers(
    config_file: str | Path | None = None,
    *,
    rules: str | Path | None = None,
    ledger: str | Path = "main.beancount",
) -> list[StatementImporter]:
    """One importer per statement format, sharing the rules.

    Args:
      config_file: The import configuration's own path (``__file__``);
        relative ``rules`` and ``ledger`` paths are taken from its folder.
      rules: The rules file, if any.
      ledger: The main ledger file, to name each statement's account in
        Fava's list of files.

    Raises:
      RulesError: the rules file cannot be used.
    """
    folder = Path(config_file).parent if config_file is not None else Path.cwd()
    loaded = load_rules(folder / rules if rules is not None else None)
    return [cls(loaded, ledger=folder / ledger) for cls in IMPORTERS]


CONFIG = importers()
