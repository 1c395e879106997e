"""Book a statement into entries: one transaction per line and a balance.

For a statement of NL91ABNA0417164300 (declared on the account's ``open``
with ``iban: "NL91ABNA0417164300"``) and a rule that sends the gemeente's
payments to ``Income:Subsidie:Gemeente``, a line becomes::

    2025-01-15 * "Gemeente Arnhem" "Wijkbudget 2025 Spijkerkwartier"
      id: "bank:NL91ABNA0417164300:0417164300250115000000103"
      source: "bank:camt053"
      method: "measured"
      counterparty-name: "Gemeente Arnhem"
      counterparty-iban: "NL14BNGH0285001234"
      Assets:Vereniging:Bank     4000.00 EUR
      Income:Subsidie:Gemeente  -4000.00 EUR
        area: "BU02020211"

The bank posting takes its area from its account's ``open`` directive (the
areas plugin does that); the other posting gets the rule's area, else its
own account's, else the bank account's.  The closing balance becomes a
``balance`` entry on the day after the closing date, since Beancount checks
a balance at the start of its day.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from beancount.core import amount, data, flags

from wijkboekhouding.engine.errors import WijkboekhoudingError
from wijkboekhouding.engine.lookup import AmbiguousPlace, UnknownPlace
from wijkboekhouding.engine.model import (
    META_AREA,
    META_COUNTERPARTY,
    META_ID,
    META_METHOD,
    META_SOURCE,
)
from wijkboekhouding.importers.bank.rules import Rules
from wijkboekhouding.importers.bank.statement import (
    BankLine,
    Statement,
    normalise_iban,
)
from wijkboekhouding.importers.table.facts import LedgerFacts
from wijkboekhouding.importers.table.review import (
    META_FORMER_ID,
    BadRow,
    Extraction,
    entry_ids,
    unknown,
)

META_IBAN = "iban"
META_NAME = "counterparty-name"
META_COUNTER_IBAN = "counterparty-iban"


class UnknownIban(WijkboekhoudingError):
    """A statement of an account that no ``open`` directive declares."""

    def __init__(self, file: str, iban: str) -> None:
        self.iban = iban
        super().__init__(
            f"{file}: no account of the ledger declares IBAN {iban}. Add this line"
            " under the account's open directive, for example:\n"
            f"  2023-01-01 open Assets:Vereniging:Bank EUR\n"
            f'    iban: "{iban}"'
        )


class AccountWithoutArea(WijkboekhoudingError):
    """A bank account whose ``open`` directive names no area."""

    def __init__(self, account: str) -> None:
        super().__init__(
            f'{account} has no area; add `area: "CODE"` under its open directive'
            " (the area where the organisation is based)"
        )


class OpeningMismatch(WijkboekhoudingError):
    """A statement that does not start where the ledger stands."""

    def __init__(
        self,
        file: str,
        account: str,
        date: datetime.date,
        statement: Decimal,
        ledger: Decimal,
        currency: str,
    ) -> None:
        super().__init__(
            f"{file}: the statement opens at {statement} {currency} on {date}, but"
            f" the ledger holds {ledger} {currency} on {account} at the start of"
            f" that day; import the statements before {date} first, or book the"
            " difference (for a new account: an opening balance against"
            " Equity:Opening-Balances); nothing was written"
        )


def account_for_iban(facts: LedgerFacts, file: str, iban: str) -> data.Open:
    """The ``open`` directive that declares an IBAN.

    Raises:
      UnknownIban: no account declares it.
    """
    wanted = normalise_iban(iban)
    for entry in facts.opens.values():
        declared = (entry.meta or {}).get(META_IBAN)
        if isinstance(declared, str) and normalise_iban(declared) == wanted:
            return entry
    raise UnknownIban(file, wanted)


def ledger_balance(
    entries: Iterable[data.Directive],
    account: str,
    currency: str,
    before: datetime.date,
) -> Decimal:
    """The balance of an account at the start of a day, from transactions."""
    total = Decimal(0)
    for entry in entries:
        if isinstance(entry, data.Transaction) and entry.date < before:
            for posting in entry.postings:
                units = posting.units
                if posting.account == account and units and units.currency == currency:
                    total += units.number or 0
    return total


def check_opening(
    statement: Statement, account: str, entries: Iterable[data.Directive]
) -> None:
    """Reject a statement whose opening balance differs from the ledger's.

    Raises:
      OpeningMismatch: naming both balances.
    """
    if statement.opening is None or not statement.lines:
        return
    first = min(line.date for line in statement.lines)
    held = ledger_balance(entries, account, statement.currency, first)
    if held != statement.opening:
        raise OpeningMismatch(
            statement.file, account, first, statement.opening, held, statement.currency
        )


class ClosingMismatch(WijkboekhoudingError):
    """A statement whose closing balance the ledger would not reach."""

    def __init__(
        self,
        file: str,
        balance: data.Balance,
        held: Decimal,
        strangers: Sequence[data.Transaction],
    ) -> None:
        units = balance.amount
        shown = [f"    {_where(entry)}" for entry in strangers[:5]]
        more = len(strangers) - len(shown)
        if more:
            shown.append(f"    and {more} more")
        listing = (
            "; the ledger holds these entries on the account in the statement's"
            " period that the statement does not:\n" + "\n".join(shown)
            if shown
            else ""
        )
        super().__init__(
            f"{file}: the statement closes {balance.account} at {units}, but"
            f" with its new lines the ledger would hold {held} {units.currency}"
            f" at the start of {balance.date}, so the balance assertion would"
            " fail; nothing was written. Some of its lines are probably in the"
            " ledger already under another id (booked by hand, or imported from"
            " another export); remove those and import the statement again"
            f"{listing}"
        )


def _where(entry: data.Transaction) -> str:
    """A transaction as file, line, date, payee and narration."""
    meta = entry.meta or {}
    text = " ".join(part for part in (entry.payee, entry.narration) if part)
    return (
        f"{meta.get('filename', '<unknown>')}:{meta.get('lineno', 0)}:"
        f" {entry.date} {text}"
    )


def check_closing(
    extraction: Extraction, account: str, entries: Sequence[data.Directive]
) -> None:
    """Refuse an import after which the statement's balance would not hold.

    A line booked before under another id (a partial import of an earlier
    export, or an entry made by hand) would be booked twice; the balance
    assertion then fails in every later check of the ledger.

    Raises:
      ClosingMismatch: naming the ledger's entries that the statement lacks.
    """
    known = {
        str(entry.meta[META_ID]) for entry in entries if META_ID in (entry.meta or {})
    }
    new = unknown(extraction.entries, known)
    ours: set[str] = set()
    for entry in extraction.entries:
        ours |= entry_ids(entry)
    lines = [e for e in extraction.entries if isinstance(e, data.Transaction)]
    for balance in extraction.entries:
        if not isinstance(balance, data.Balance) or balance.account != account:
            continue
        units = balance.amount
        held = ledger_balance([*entries, *new], account, units.currency, balance.date)
        if held == units.number:
            continue
        start = min((line.date for line in lines), default=balance.date)
        strangers = [
            entry
            for entry in entries
            if isinstance(entry, data.Transaction)
            and start <= entry.date < balance.date
            and not entry_ids(entry) & ours
            and any(posting.account == account for posting in entry.postings)
        ]
        raise ClosingMismatch(extraction.file, balance, held, strangers)


def book(statement: Statement, facts: LedgerFacts, rules: Rules) -> Extraction:
    """Turn a statement into entries; bad lines are listed, not raised.

    A line whose row the statement lists as bad (a break in its running
    balance) is not booked, so what is reported as skipped is not written.

    Raises:
      UnknownIban: no account declares the statement's IBAN.
      AccountWithoutArea: the bank account's open directive names no area.
    """
    bank = account_for_iban(facts, statement.file, statement.iban)
    bank_area = (bank.meta or {}).get(META_AREA)
    if not bank_area:
        raise AccountWithoutArea(bank.account)
    bad = list(statement.bad)
    entries: list[data.Directive] = []
    listed = {problem.row for problem in statement.bad if problem.row}
    for line in statement.lines:
        if line.row in listed:
            continue
        entry = _transaction(statement, line, bank, str(bank_area), facts, rules, bad)
        if entry is not None:
            entries.append(entry)

    # A balance only for a complete statement: skipped lines would break it.
    if statement.closing is not None and statement.closing_date and not bad:
        date = statement.closing_date + datetime.timedelta(days=1)
        meta = {
            **data.new_metadata(statement.file, 0),
            META_ID: f"bank:{statement.iban}:balance:{date.isoformat()}",
            META_SOURCE: f"bank:{statement.format}",
        }
        units = amount.Amount(statement.closing, statement.currency)
        entries.append(data.Balance(meta, date, bank.account, units, None, None))
    return Extraction(statement.file, tuple(entries), tuple(bad), len(statement.lines))


def _transaction(
    statement: Statement,
    line: BankLine,
    bank: data.Open,
    bank_area: str,
    facts: LedgerFacts,
    rules: Rules,
    bad: list[BadRow],
) -> data.Transaction | None:
    """One line as a transaction; None when it is bad (added to ``bad``)."""
    rule = rules.match(line)
    other = rule.account if rule else rules.fallback(line)
    where = rule.describe() if rule else f"default account of {rules.path}"
    shown = line.counterparty or line.description
    problems: list[BadRow] = []
    problem = facts.account_problem(bank.account, line.date, statement.currency)
    if problem:
        problems.append(BadRow(line.row, "date", str(line.date), problem))
    problem = facts.account_problem(other, line.date, statement.currency)
    if problem:
        advice = f"{problem} ({where}); or add a rule for this line"
        problems.append(BadRow(line.row, "account", shown, advice))

    # The other posting's area and counterparty area.
    other_meta: dict[str, Any] = {}
    try:
        if rule and rule.area:
            other_meta[META_AREA] = facts.lookup.resolve(rule.area)
        elif other in facts.opens and META_AREA not in (facts.opens[other].meta or {}):
            other_meta[META_AREA] = bank_area
        if rule and rule.counterparty_area:
            other_meta[META_COUNTERPARTY] = facts.lookup.resolve(
                rule.counterparty_area, allow_extern=True
            )
    except (UnknownPlace, AmbiguousPlace) as exc:
        problems.append(BadRow(line.row, "area", shown, f"{exc} ({where})"))
    if problems:
        bad.extend(problems)
        return None

    meta: dict[str, Any] = {
        **data.new_metadata(statement.file, line.row),
        META_ID: f"bank:{statement.iban}:{line.reference}",
        META_SOURCE: f"bank:{statement.format}",
        META_METHOD: "measured",
    }
    if line.former_reference:
        meta[META_FORMER_ID] = f"bank:{statement.iban}:{line.former_reference}"
    if line.counterparty:
        meta[META_NAME] = line.counterparty
    if line.counterparty_iban:
        meta[META_COUNTER_IBAN] = line.counterparty_iban
    units = amount.Amount(line.amount, statement.currency)
    postings = [
        data.Posting(bank.account, units, None, None, None, None),
        data.Posting(other, -units, None, None, None, other_meta or None),
    ]
    return data.Transaction(
        meta,
        line.date,
        flags.FLAG_OKAY if rule else flags.FLAG_WARNING,
        line.counterparty or None,
        (rule.narration if rule and rule.narration else line.description),
        data.EMPTY_SET,
        data.EMPTY_SET,
        postings,
    )
