"""The bank statement formats as beangulp importers.

Fava's import page and ``wijkboekhouding import bank`` use the same classes:
each recognises its format, reads the statement, and books it with the
ledger's accounts (found by the ``iban`` on their ``open`` directive), its
areas and the rules.  Fava hands the ledger's entries to :meth:`extract`;
the command line loads the ledger itself.
"""

from __future__ import annotations

import datetime
import logging
import os
from abc import abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import beangulp
from beancount import loader
from beancount.core import data

from wijkboekhouding.engine.model import META_ID
from wijkboekhouding.importers.bank.booking import (
    META_IBAN,
    book,
    check_closing,
    check_opening,
)
from wijkboekhouding.importers.bank.camt import is_camt053, parse_camt053
from wijkboekhouding.importers.bank.csvformats import (
    is_abnamro,
    is_ing,
    is_rabobank,
    parse_abnamro,
    parse_ing,
    parse_rabobank,
)
from wijkboekhouding.importers.bank.rules import Rules, load_rules
from wijkboekhouding.importers.bank.statement import Statement, normalise_iban
from wijkboekhouding.importers.table.facts import LedgerFacts
from wijkboekhouding.importers.table.review import (
    META_FORMER_ID,
    Extraction,
    RejectedFile,
    UnreadableFile,
    entry_ids,
)

log = logging.getLogger(__name__)


class StatementImporter(beangulp.Importer):  # type: ignore[misc]
    """A beangulp importer for one statement format.

    Args:
      rules: The rules file (or loaded rules) that assign the other account.
      ledger: The main ledger file, read only to name the account of a
        statement in Fava's list before extracting.
    """

    format: ClassVar[str] = ""

    def __init__(
        self,
        rules: Rules | str | Path | None = None,
        ledger: str | Path | None = None,
    ) -> None:
        self.rules = rules if isinstance(rules, Rules) else None
        self._rules_path = None if isinstance(rules, Rules) or rules is None else rules
        self.ledger = Path(ledger) if ledger is not None else None
        self._accounts: dict[str, str] | None = None
        self._files: tuple[str, ...] = ()
        self._stamp: tuple[int, ...] = ()

    @property
    def name(self) -> str:
        """The importer's name on Fava's import page."""
        return f"wijkboekhouding.{self.format}"

    @abstractmethod
    def recognises(self, path: Path) -> bool:
        """Whether the file is a statement in this importer's format."""

    @abstractmethod
    def read(self, filepath: str | Path) -> Statement:
        """Read the statement (file-level problems raise, bad lines are listed)."""

    def identify(self, filepath: str) -> bool:
        """Whether this importer takes the file: its format, and a known IBAN.

        With a ledger to ask (as on Fava's import page), a statement whose
        IBAN no account declares is not claimed, so that Fava lists it among
        the files no importer takes instead of showing a traceback.
        Limitation: Fava then cannot say why; ``wijkboekhouding import bank``
        names the IBAN and the line to add.  A file of this format that
        cannot be read is claimed, so that extracting it shows the problem.
        """
        if not self.recognises(Path(filepath)):
            return False
        accounts = self.accounts()
        if accounts is None:
            return True
        try:
            iban = self.read(filepath).iban
        except UnreadableFile:
            return True
        return iban in accounts

    def account(self, filepath: str) -> str:
        """The ledger account of the statement's IBAN, or "" when unknown."""
        try:
            iban = self.read(filepath).iban
        except UnreadableFile:
            return ""
        return (self.accounts() or {}).get(iban, "")

    def date(self, filepath: str) -> datetime.date | None:
        """The closing date of the statement."""
        try:
            return self.read(filepath).closing_date
        except UnreadableFile:
            return None

    def accounts(self) -> dict[str, str] | None:
        """IBAN to account in the ledger file; None without a ledger file.

        The ledger is read again when one of its files has changed, so that
        an ``iban`` added while Fava runs is seen.
        """
        if self.ledger is None or not self.ledger.is_file():
            return None
        if self._accounts is None or _stamps(self._files) != self._stamp:
            entries, _, options = loader.load_file(str(self.ledger))
            self._files = (str(self.ledger), *options.get("include", ()))
            self._stamp = _stamps(self._files)
            self._accounts = ibans_of(entries)
        return self._accounts

    def loaded_rules(self) -> Rules:
        """The rules, read from their file on first use."""
        if self.rules is None:
            self.rules = load_rules(
                Path(self._rules_path) if self._rules_path is not None else None
            )
        return self.rules

    def extraction(
        self, filepath: str | Path, existing: Sequence[data.Directive]
    ) -> Extraction:
        """Read and book a statement against a ledger's entries (nothing written).

        Raises:
          UnreadableFile, UnknownIban, OpeningMismatch, ClosingMismatch,
          RulesError: see there.
        """
        statement = self.read(filepath)
        facts = LedgerFacts.of_entries(existing)
        extraction = book(statement, facts, self.loaded_rules())
        bank = facts_account(facts, statement)
        if bank is not None:
            check_opening(statement, bank, existing)
            check_closing(extraction, bank, existing)
        return extraction

    def extract(self, filepath: str, existing: data.Entries) -> data.Entries:
        """Entries for Fava's import page; a file with bad lines is refused.

        Raises:
          RejectedFile: listing every bad line.
        """
        extraction = self.extraction(filepath, existing)
        if extraction.bad:
            raise RejectedFile(extraction.file, extraction.bad)
        return list(extraction.entries)

    def deduplicate(self, entries: data.Entries, existing: data.Entries) -> None:
        """Mark entries whose id the ledger holds, so Fava shows them as known."""
        known = {str(e.meta[META_ID]) for e in existing if e.meta and META_ID in e.meta}
        for entry in entries:
            if entry_ids(entry) & known:
                entry.meta["__duplicate__"] = True
            # Only for finding duplicates; Fava's form need not show it.
            entry.meta.pop(META_FORMER_ID, None)


def _stamps(files: Sequence[str]) -> tuple[int, ...]:
    """The modification times of files (-1 for one that is gone)."""
    stamps = []
    for name in files:
        try:
            stamps.append(os.stat(name).st_mtime_ns)
        except OSError:
            stamps.append(-1)
    return tuple(stamps)


def facts_account(facts: LedgerFacts, statement: Statement) -> str | None:
    """The account that declares the statement's IBAN, if any."""
    for account, entry in facts.opens.items():
        declared = (entry.meta or {}).get(META_IBAN)
        if isinstance(declared, str) and normalise_iban(declared) == statement.iban:
            return account
    return None


def ibans_of(entries: Sequence[data.Directive]) -> dict[str, str]:
    """IBAN to account for every ``open`` directive that declares one."""
    return {
        normalise_iban(str(entry.meta[META_IBAN])): entry.account
        for entry in entries
        if isinstance(entry, data.Open) and entry.meta and META_IBAN in entry.meta
    }


class Camt053Importer(StatementImporter):
    """CAMT.053 XML statements (ISO 20022), as every Dutch bank exports them."""

    format = "camt053"

    def recognises(self, path: Path) -> bool:
        """Whether the file is in this format."""
        return is_camt053(path)

    def read(self, filepath: str | Path) -> Statement:
        """Read the statement."""
        return parse_camt053(Path(filepath))


class IngImporter(StatementImporter):
    """ING's CSV export (``"Datum";"Naam / Omschrijving";...``)."""

    format = "ing"

    def recognises(self, path: Path) -> bool:
        """Whether the file is in this format."""
        return is_ing(path)

    def read(self, filepath: str | Path) -> Statement:
        """Read the statement."""
        return parse_ing(Path(filepath))


class RabobankImporter(StatementImporter):
    """Rabobank's CSV export (``"IBAN/BBAN","Munt","BIC","Volgnr",...``)."""

    format = "rabobank"

    def recognises(self, path: Path) -> bool:
        """Whether the file is in this format."""
        return is_rabobank(path)

    def read(self, filepath: str | Path) -> Statement:
        """Read the statement."""
        return parse_rabobank(Path(filepath))


class AbnAmroImporter(StatementImporter):
    """ABN AMRO's TXT (tab-separated) and CSV export."""

    format = "abnamro"

    def recognises(self, path: Path) -> bool:
        """Whether the file is in this format."""
        return is_abnamro(path)

    def read(self, filepath: str | Path) -> Statement:
        """Read the statement."""
        return parse_abnamro(Path(filepath))


IMPORTERS: tuple[type[StatementImporter], ...] = (
    Camt053Importer,
    IngImporter,
    RabobankImporter,
    AbnAmroImporter,
)


def find_importer(
    path: Path, rules: Rules | str | Path | None = None
) -> StatementImporter:
    """The importer that recognises a file.

    Raises:
      UnreadableFile: no format fits.
    """
    if not path.is_file():
        raise UnreadableFile(str(path), "no such file")
    for cls in IMPORTERS:
        importer = cls(rules)
        if importer.recognises(path):
            return importer
    raise UnreadableFile(
        str(path),
        "is not a statement this program reads; export a CAMT.053 (XML) file,"
        " or the CSV of ING, Rabobank or ABN AMRO (TXT), from the bank's website",
    )
