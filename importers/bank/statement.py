"""A bank statement as every format reads it: lines, balances and bad rows.

Each format (CAMT.053, ING, Rabobank, ABN AMRO) reads its file into one
:class:`Statement`; booking it into the ledger is the same for all of them.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from wijkboekhouding.importers.table.review import BadRow

_IBAN = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")


def normalise_iban(text: str) -> str:
    """``nl91 abna 0417 1643 00`` as ``NL91ABNA0417164300``."""
    return re.sub(r"\s+", "", text).upper()


def iban_is_valid(text: str) -> bool:
    """Whether an IBAN has a valid shape and check digits (ISO 13616, mod 97)."""
    iban = normalise_iban(text)
    if not _IBAN.match(iban):
        return False
    moved = iban[4:] + iban[:4]
    digits = "".join(str(int(c, 36)) for c in moved)
    return int(digits) % 97 == 1


@dataclass(frozen=True)
class BankLine:
    """One booked transaction of a statement.

    ``former_reference`` is the reference that earlier versions of the
    program gave a line without a bank reference (a digest that included the
    balance), so that a line booked under it is not booked again.
    """

    row: int
    date: datetime.date
    amount: Decimal
    reference: str
    counterparty: str = ""
    counterparty_iban: str = ""
    description: str = ""
    balance_after: Decimal | None = None
    former_reference: str = ""


@dataclass(frozen=True)
class Statement:
    """What a statement file says about one account.

    ``opening`` is the balance at the start of ``opening_date`` and
    ``closing`` the balance at the end of ``closing_date``; either may be
    missing when the format does not carry it.  ``lines`` may hold lines
    whose row ``bad`` also names (the ING and Rabobank readers keep the lines
    around a break in the running balance, so that the numbering of
    identical lines does not depend on which are bad); such a line is never
    booked.
    """

    file: str
    format: str
    iban: str
    currency: str
    lines: tuple[BankLine, ...]
    opening: Decimal | None = None
    closing: Decimal | None = None
    opening_date: datetime.date | None = None
    closing_date: datetime.date | None = None
    bad: tuple[BadRow, ...] = field(default=())

    def first_date(self) -> datetime.date | None:
        """The first day the statement covers."""
        dates = [line.date for line in self.lines]
        if self.opening_date is not None:
            dates.append(self.opening_date)
        return min(dates) if dates else None


def digest_reference(prefix: str, parts: Sequence[object]) -> str:
    """A reference for formats without one: a digest of the line's fields.

    The parts must be what the bank never restates for a line: its date,
    amount, counterparty and text, never a balance, which a later export of
    a corrected statement may give differently.
    """
    text = "\x1f".join(str(part) for part in parts)
    return f"{prefix}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:12]}"


def number_repeats(references: Sequence[str]) -> list[str]:
    """Make digests unique: the second identical line gets ``-2``, and so on.

    Limitation: identical lines are told apart by their order in the file,
    so a later export of an overlapping period that holds only one of two
    identical lines may import it again.
    """
    seen: dict[str, int] = {}
    result: list[str] = []
    for reference in references:
        seen[reference] = seen.get(reference, 0) + 1
        count = seen[reference]
        result.append(reference if count == 1 else f"{reference}-{count}")
    return result


def numbered(lines: Sequence[BankLine]) -> list[BankLine]:
    """The lines with their references (and former ones) made unique."""
    references = number_repeats([line.reference for line in lines])
    formers = number_repeats([line.former_reference for line in lines])
    return [
        replace(
            line,
            reference=reference,
            former_reference=former if line.former_reference else "",
        )
        for line, reference, former in zip(lines, references, formers, strict=True)
    ]


Link = tuple[int, Decimal, Decimal]
"""One step of a running balance: row number, amount, balance after it."""


def check_running_balance(
    chain: Sequence[Link], column: str
) -> tuple[Decimal | None, list[BadRow]]:
    """Check that each row's balance is the one before plus its amount.

    ``chain`` holds every row whose amount and balance could be read (also
    rows with another bad cell, so that one bad date does not make the next
    row look wrong), in booking order.  Returns the opening balance (the
    first balance minus its amount) and a bad row for every break.
    """
    if not chain:
        return None, []
    opening = chain[0][2] - chain[0][1]
    bad: list[BadRow] = []
    previous = opening
    for row, amount, after in chain:
        expected = previous + amount
        if after != expected:
            bad.append(
                BadRow(
                    row,
                    column,
                    str(after),
                    f"the balance before was {previous} and the amount"
                    f" {amount}, so {expected} was expected; the file misses"
                    " or repeats a line, export the statement again",
                )
            )
        previous = after
    return opening, bad


def newest_first(lines: Sequence[BankLine], chain: Sequence[Link]) -> bool:
    """Whether an export lists the newest line first (ING does)."""
    if len(lines) > 1 and lines[0].date != lines[-1].date:
        return lines[0].date > lines[-1].date
    # One day only: the order in which the running balance holds.
    _, forward = check_running_balance(chain, "")
    _, backward = check_running_balance(chain[::-1], "")
    return len(backward) < len(forward)
