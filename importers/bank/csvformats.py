"""Read the CSV exports of ING, Rabobank and ABN AMRO into statements.

- ING: ``"Datum";"Naam / Omschrijving";"Rekening";"Tegenrekening";"Code";
  "Af Bij";"Bedrag (EUR)";"Mutatiesoort";"Mededelingen";"Saldo na mutatie";
  "Tag"`` (the older comma layout lacks the balance), newest line first,
  amounts without sign beside ``Af``/``Bij``.  ING gives no reference, so a
  line's id is a digest of its fields (not its balance, which a corrected
  export may restate).  Limitation: the comma layout has no balances, so
  nothing checks that the file is complete.
- Rabobank: ``"IBAN/BBAN","Munt","BIC","Volgnr","Datum","Rentedatum",
  "Bedrag","Saldo na trn",...``; ``Volgnr`` is the bank's reference.
- ABN AMRO: the tab-separated TXT export without header (account number,
  currency, date, balance before, balance after, value date, amount,
  description), or the same columns with an English header.  The account
  number is turned into the IBAN; a line's id is a digest of its date,
  amount and description.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from wijkboekhouding.importers.bank.statement import (
    BankLine,
    Link,
    Statement,
    check_running_balance,
    digest_reference,
    newest_first,
    normalise_iban,
    numbered,
)
from wijkboekhouding.importers.table.encoding import decode
from wijkboekhouding.importers.table.reader import sniff_delimiter
from wijkboekhouding.importers.table.review import BadRow, UnreadableFile
from wijkboekhouding.importers.table.values import BadValue, parse_amount, parse_date

ING_COLUMNS = ("Datum", "Naam / Omschrijving", "Rekening", "Af Bij", "Bedrag (EUR)")
RABO_COLUMNS = ("IBAN/BBAN", "Munt", "Volgnr", "Datum", "Bedrag", "Saldo na trn")
ABN_COLUMNS = (
    "accountNumber",
    "mutationcode",
    "transactiondate",
    "startsaldo",
    "endsaldo",
    "valuedate",
    "amount",
    "description",
)

_Rows = list[tuple[int, dict[str, str]]]
_T = TypeVar("_T")


EXPORT_AGAIN = (
    "bank exports are UTF-8 or Windows-1252; download the statement again from"
    " the bank's website and import that file as it is, without saving it from"
    " another program"
)


def read_text(path: Path) -> str:
    """A bank export's text (UTF-8, else Windows-1252 as older exports use).

    Raises:
      UnreadableFile: the file cannot be read, or is in neither encoding.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(str(path), f"cannot be read ({exc.strerror})") from exc
    return decode(str(path), raw, None, EXPORT_AGAIN)


def _rows(text: str, delimiter: str | None = None) -> tuple[list[str], _Rows]:
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter or sniff_delimiter(text)
    )
    header: list[str] = []
    rows: _Rows = []
    for record in reader:
        if not any(cell.strip() for cell in record):
            continue
        if not header:
            header = [cell.strip() for cell in record]
            continue
        rows.append((reader.line_num, dict(zip(header, record, strict=False))))
    return header, rows


def head_line(path: Path) -> str:
    """The first line of a file, decoded leniently (for identification)."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(4096)
    except OSError:
        return ""
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
    return text.splitlines()[0] if text else ""


def is_ing(path: Path) -> bool:
    """Whether a file is an ING CSV export."""
    head = head_line(path)
    return all(column in head for column in ("Naam / Omschrijving", "Af Bij"))


def is_rabobank(path: Path) -> bool:
    """Whether a file is a Rabobank CSV export."""
    head = head_line(path)
    return all(column in head for column in ("IBAN/BBAN", "Volgnr", "Saldo na trn"))


def is_abnamro(path: Path) -> bool:
    """Whether a file is an ABN AMRO TXT (tab) or CSV export."""
    head = head_line(path)
    if "accountNumber" in head and "mutationcode" in head:
        return True
    cells = head.split("\t")
    return (
        len(cells) == 8
        and re.fullmatch(r"\d{7,10}", cells[0]) is not None
        and re.fullmatch(r"[A-Z]{3}", cells[1]) is not None
        and re.fullmatch(r"\d{8}", cells[2]) is not None
    )


class _Cells:
    """Reads the cells of one CSV row, noting bad ones."""

    def __init__(self, number: int, cells: dict[str, str], bad: list[BadRow]):
        self.number = number
        self.cells = cells
        self.bad = bad
        self.ok = True

    def text(self, column: str) -> str:
        return " ".join((self.cells.get(column) or "").split())

    def parse(
        self, column: str, parse: Callable[[str], _T], advice: str = ""
    ) -> _T | None:
        value = self.text(column)
        try:
            return parse(value)
        except BadValue as exc:
            self.bad.append(BadRow(self.number, column, value, advice or str(exc)))
            self.ok = False
            return None


def _missing(file: str, header: list[str], needed: tuple[str, ...]) -> None:
    missing = [c for c in needed if c not in header]
    if missing:
        raise UnreadableFile(
            file,
            f"misses the column(s) {', '.join(repr(c) for c in missing)}; export"
            " the statement again as CSV from the bank's website",
        )


def _one_iban(file: str, ibans: set[str]) -> str:
    ibans.discard("")
    if not ibans:
        raise UnreadableFile(
            file, "holds no transactions; export a period with at least one"
        )
    if len(ibans) != 1:
        raise UnreadableFile(
            file,
            f"holds lines of {len(ibans)} accounts ({', '.join(sorted(ibans))});"
            " export one account per file",
        )
    return ibans.pop()


def _yyyymmdd(text: str) -> datetime.date:
    return parse_date(text, "%Y%m%d")


def _iso(text: str) -> datetime.date:
    return parse_date(text, "%Y-%m-%d")


def _comma(text: str) -> Decimal:
    return parse_amount(text, ",")


def parse_ing(path: Path) -> Statement:
    """Read an ING CSV export (semicolon or comma layout)."""
    file = str(path)
    header, rows = _rows(read_text(path))
    _missing(file, header, ING_COLUMNS)
    bad: list[BadRow] = []
    lines: list[BankLine] = []
    chain: list[Link] = []
    ibans: set[str] = set()
    for number, cells in rows:
        row = _Cells(number, cells, bad)
        ibans.add(normalise_iban(row.text("Rekening")))
        date = row.parse("Datum", _yyyymmdd, "not a date like 20250131")
        size = row.parse("Bedrag (EUR)", _comma)
        direction = row.text("Af Bij")
        if direction not in ("Af", "Bij"):
            bad.append(BadRow(number, "Af Bij", direction, 'must be "Af" or "Bij"'))
            row.ok = False
        after = None
        if "Saldo na mutatie" in header:
            after = row.parse("Saldo na mutatie", _comma)
        amount = -size if direction == "Af" and size is not None else size
        if amount is not None and after is not None and direction in ("Af", "Bij"):
            chain.append((number, amount, after))
        if not row.ok or date is None or amount is None:
            continue
        description = ing_description(row.text("Mededelingen"))
        fields = [
            date,
            amount,
            row.text("Tegenrekening"),
            row.text("Naam / Omschrijving"),
            description,
        ]
        lines.append(
            BankLine(
                number,
                date,
                amount,
                digest_reference("ing", [*fields, row.text("Code")]),
                row.text("Naam / Omschrijving"),
                normalise_iban(row.text("Tegenrekening")),
                description,
                after,
                former_reference=digest_reference(
                    "ing", [*fields, after, row.text("Code")]
                ),
            )
        )
    iban = _one_iban(file, ibans)
    if newest_first(lines, chain):
        lines.reverse()
        chain.reverse()
    lines = numbered(lines)
    return _with_balances(file, "ing", iban, lines, chain, bad, "Saldo na mutatie")


def parse_rabobank(path: Path) -> Statement:
    """Read a Rabobank CSV export."""
    file = str(path)
    header, rows = _rows(read_text(path), ",")
    _missing(file, header, RABO_COLUMNS)
    bad: list[BadRow] = []
    lines: list[BankLine] = []
    chain: list[Link] = []
    ibans: set[str] = set()
    currencies: set[str] = set()
    for number, cells in rows:
        row = _Cells(number, cells, bad)
        ibans.add(normalise_iban(row.text("IBAN/BBAN")))
        currencies.add(row.text("Munt"))
        date = row.parse("Datum", _iso, "not a date like 2025-01-31")
        amount = row.parse("Bedrag", _comma)
        after = row.parse("Saldo na trn", _comma)
        reference = row.text("Volgnr")
        if not reference:
            bad.append(BadRow(number, "Volgnr", "", "the line has no Volgnr"))
            row.ok = False
        if amount is not None and after is not None:
            chain.append((number, amount, after))
        if not row.ok or date is None or amount is None:
            continue
        parts = [row.text(f"Omschrijving-{n}") for n in (1, 2, 3)]
        lines.append(
            BankLine(
                number,
                date,
                amount,
                reference.lstrip("0") or "0",
                row.text("Naam tegenpartij"),
                normalise_iban(row.text("Tegenrekening IBAN/BBAN")),
                " ".join(p for p in parts if p),
                after,
            )
        )
    iban = _one_iban(file, ibans)
    currency = next(iter(currencies)) if len(currencies) == 1 else "EUR"
    if newest_first(lines, chain):
        lines.reverse()
        chain.reverse()
    statement = _with_balances(
        file, "rabobank", iban, lines, chain, bad, "Saldo na trn"
    )
    return replace(statement, currency=currency or "EUR")


def _with_balances(
    file: str,
    name: str,
    iban: str,
    lines: list[BankLine],
    chain: list[Link],
    bad: list[BadRow],
    column: str,
) -> Statement:
    """A statement whose balances come from the running balance of its rows."""
    opening, breaks = check_running_balance(chain, column)
    bad = sorted([*bad, *breaks], key=lambda b: b.row)
    closing = chain[-1][2] if chain else None
    return Statement(
        file=file,
        format=name,
        iban=iban,
        currency="EUR",
        lines=tuple(lines),
        opening=opening,
        closing=closing,
        opening_date=lines[0].date if lines else None,
        closing_date=lines[-1].date if lines else None,
        bad=tuple(bad),
    )


def abn_iban(account_number: str) -> str:
    """The IBAN of an ABN AMRO account number (``417164300``)."""
    if re.fullmatch(r"NL\d{2}ABNA\d{10}", account_number):
        return account_number
    if not re.fullmatch(r"\d{1,10}", account_number):
        raise BadValue("not an ABN AMRO account number (up to ten digits)")
    basic = "ABNA" + account_number.zfill(10)
    digits = "".join(str(int(c, 36)) for c in basic + "NL00")
    check = 98 - int(digits) % 97
    return f"NL{check:02d}{basic}"


_LABEL = re.compile(
    r"\b(Naam|Omschrijving|IBAN|Kenmerk|Machtiging ID|Incassant ID|Valutadatum"
    r"|Datum/Tijd|Pasvolgnr|Transactie|Term|BIC):\s*"
)


def labelled(text: str) -> dict[str, str]:
    """The ``Label: value`` parts of a description, plus the text before them."""
    parts = _LABEL.split(text)
    fields = {"": parts[0].strip()}
    for label, value in zip(parts[1::2], parts[2::2], strict=False):
        fields[label] = value.strip()
    return fields


def ing_description(text: str) -> str:
    """The payer's own words from ING's ``Mededelingen``, without the labels."""
    fields = labelled(text)
    return fields.get("Omschrijving") or fields[""] or text


_SEPA_FIELD = re.compile(r"/(TRTP|IBAN|BIC|NAME|REMI|EREF|CSID|MARF)/")


def abn_description(text: str) -> tuple[str, str, str]:
    """Counterparty name, IBAN and description from an ABN AMRO description.

    Reads the ``/TRTP/.../IBAN/.../NAME/.../REMI/...`` layout and the older
    ``Naam: ... Omschrijving: ... IBAN: ...`` layout; anything else is kept
    whole as the description.
    """
    if text.startswith("/TRTP/"):
        parts = _SEPA_FIELD.split(text)
        fields = dict(zip(parts[1::2], (p.strip() for p in parts[2::2]), strict=False))
        return (
            fields.get("NAME", ""),
            normalise_iban(fields.get("IBAN", "")),
            fields.get("REMI", ""),
        )
    fields = labelled(text)
    if "Naam" in fields:
        return (
            fields["Naam"],
            normalise_iban(fields.get("IBAN", "")),
            fields.get("Omschrijving", ""),
        )
    return "", "", " ".join(text.split())


def parse_abnamro(path: Path) -> Statement:
    """Read an ABN AMRO TXT (tab, no header) or CSV (with header) export."""
    file = str(path)
    text = read_text(path)
    if not text.strip():
        raise UnreadableFile(file, "is empty; export the statement again")
    if "accountNumber" in text.splitlines()[0]:
        header, rows = _rows(text)
        _missing(file, header, ABN_COLUMNS)
    else:
        _, rows = _rows("\t".join(ABN_COLUMNS) + "\n" + text, "\t")
        rows = [(number - 1, cells) for number, cells in rows]
    bad: list[BadRow] = []
    lines: list[BankLine] = []
    ibans: set[str] = set()
    previous_end: Decimal | None = None
    opening: Decimal | None = None
    for number, cells in rows:
        row = _Cells(number, cells, bad)
        ibans.add(row.parse("accountNumber", abn_iban) or "")
        date = row.parse("transactiondate", _yyyymmdd, "not a date like 20250131")
        start = row.parse("startsaldo", _comma)
        end = row.parse("endsaldo", _comma)
        amount = row.parse("amount", _comma)
        if start is not None and end is not None and amount is not None:
            problem = _abn_chain(number, start, end, amount, previous_end)
            if problem is not None:
                bad.append(problem)
                row.ok = False
            opening = start if opening is None else opening
            previous_end = end
        if not row.ok or date is None or amount is None:
            continue
        description = row.text("description")
        name, counter_iban, remittance = abn_description(description)
        lines.append(
            BankLine(
                number,
                date,
                amount,
                digest_reference("abn", [date, amount, description]),
                name,
                counter_iban,
                remittance,
                end,
                former_reference=digest_reference(
                    "abn", [date, amount, start, end, description]
                ),
            )
        )
    iban = _one_iban(file, ibans)
    lines = numbered(lines)
    return Statement(
        file=file,
        format="abnamro",
        iban=iban,
        currency=_currency(rows),
        lines=tuple(lines),
        opening=opening,
        closing=previous_end,
        opening_date=lines[0].date if lines else None,
        closing_date=lines[-1].date if lines else None,
        bad=tuple(bad),
    )


def _abn_chain(
    number: int,
    start: Decimal,
    end: Decimal,
    amount: Decimal,
    previous_end: Decimal | None,
) -> BadRow | None:
    """A bad row when a line's balances do not follow from the line before."""
    if start + amount != end:
        return BadRow(
            number,
            "endsaldo",
            str(end),
            f"{start} + {amount} is not {end}; export the statement again",
        )
    if previous_end is not None and start != previous_end:
        return BadRow(
            number,
            "startsaldo",
            str(start),
            f"the line before ended at {previous_end}; the file misses a"
            " line, export the statement again",
        )
    return None


def _currency(rows: _Rows) -> str:
    """The currency of an ABN AMRO export (its ``mutationcode`` column)."""
    codes = {cells.get("mutationcode", "").strip() for _, cells in rows}
    codes.discard("")
    return codes.pop() if len(codes) == 1 else "EUR"
