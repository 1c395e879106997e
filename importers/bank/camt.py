"""Read a CAMT.053 bank-to-customer statement (ISO 20022), any version.

Every Dutch bank exports its statements in this XML layout.  The parts
read here are the same from ``camt.053.001.02`` to ``.001.08``::

    Document/BkToCstmrStmt/Stmt
      Acct/Id/IBAN                       the account
      Bal (Tp/CdOrPrtry/Cd OPBD, CLBD)   opening and closing balance
      Ntry                               one booked transaction
        Amt, CdtDbtInd, BookgDt/Dt, AcctSvcrRef
        NtryDtls/TxDtls: RltdPties, RmtInf/Ustrd

Only booked entries (status BOOK) are read; pending ones are left out.
"""

from __future__ import annotations

import datetime
import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from wijkboekhouding.importers.bank.statement import (
    BankLine,
    Statement,
    digest_reference,
    normalise_iban,
    numbered,
)
from wijkboekhouding.importers.table.review import BadRow, UnreadableFile

log = logging.getLogger(__name__)

NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:camt.053."


def is_camt053(path: Path) -> bool:
    """Whether a file looks like a CAMT.053 statement (by its first bytes)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(2048)
    except OSError:
        return False
    return NAMESPACE_PREFIX.encode() in head


@dataclass(frozen=True)
class _Xml:
    """Namespace-aware lookups in one document."""

    ns: str

    def path(self, path: str) -> str:
        return "/".join(f"{{{self.ns}}}{part}" for part in path.split("/"))

    def find(self, node: ET.Element, path: str) -> ET.Element | None:
        return node.find(self.path(path))

    def text(self, node: ET.Element, *paths: str) -> str:
        """The text of the first path that exists, stripped; "" if none."""
        for path in paths:
            found = node.find(self.path(path))
            if found is not None and found.text and found.text.strip():
                return " ".join(found.text.split())
        return ""

    def all_text(self, node: ET.Element, path: str) -> list[str]:
        return [
            " ".join(n.text.split()) for n in node.iterfind(self.path(path)) if n.text
        ]


def parse_camt053(path: Path) -> Statement:
    """Read a CAMT.053 file into a statement.

    Raises:
      UnreadableFile: not XML, not CAMT.053, or statements of several accounts.
    """
    file = str(path)
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise UnreadableFile(file, f"is not readable XML ({exc})") from exc
    ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if not ns.startswith(NAMESPACE_PREFIX):
        raise UnreadableFile(file, f"is not a CAMT.053 statement (namespace {ns!r})")
    xml = _Xml(ns)
    statements = root.findall(xml.path("BkToCstmrStmt/Stmt"))
    if not statements:
        raise UnreadableFile(file, "holds no statement (BkToCstmrStmt/Stmt)")
    ibans = {normalise_iban(xml.text(s, "Acct/Id/IBAN")) for s in statements}
    if len(ibans) != 1 or "" in ibans:
        raise UnreadableFile(
            file,
            f"holds statements of {len(ibans)} accounts ({', '.join(sorted(ibans))});"
            " export one account per file",
        )

    lines: list[BankLine] = []
    bad: list[BadRow] = []
    balances: dict[str, list[tuple[Decimal, datetime.date]]] = {}
    currency = ""
    number = 0
    for stmt in statements:
        currency = currency or xml.text(stmt, "Acct/Ccy")
        for node in stmt.iterfind(xml.path("Bal")):
            read = _balance(xml, node)
            if read is None:
                bad.append(BadRow(0, "Bal", xml.text(node, "Amt"), _BAD_BALANCE))
                continue
            code, amount, date, ccy = read
            currency = currency or ccy
            balances.setdefault(code, []).append((amount, date))
        for node in stmt.iterfind(xml.path("Ntry")):
            number += 1
            line = _entry(xml, node, number, bad)
            if line is not None:
                lines.append(line)

    openings = balances.get("OPBD") or balances.get("PRCD") or []
    closings = balances.get("CLBD") or []
    opening = openings[0] if openings else None
    closing = closings[-1] if closings else None
    if opening and closing and not bad:
        total = opening[0] + sum((line.amount for line in lines), Decimal(0))
        if total != closing[0]:
            bad.append(
                BadRow(
                    0,
                    "Bal CLBD",
                    str(closing[0]),
                    f"the opening balance {opening[0]} plus the entries gives"
                    f" {total}, not the closing balance; the file misses entries,"
                    " export the statement again",
                )
            )
    lines = numbered(lines)
    return Statement(
        file=file,
        format="camt053",
        iban=ibans.pop(),
        currency=currency or "EUR",
        lines=tuple(lines),
        opening=opening[0] if opening else None,
        opening_date=opening[1] if opening else None,
        closing=closing[0] if closing else None,
        closing_date=closing[1] if closing else None,
        bad=tuple(bad),
    )


_BAD_BALANCE = "the balance has no readable amount, sign or date; export again"


def _balance(
    xml: _Xml, node: ET.Element
) -> tuple[str, Decimal, datetime.date, str] | None:
    code = xml.text(node, "Tp/CdOrPrtry/Cd")
    amount = _amount(xml, node)
    date = _date(xml.text(node, "Dt/Dt", "Dt/DtTm"))
    amt = xml.find(node, "Amt")
    if amount is None or date is None or amt is None:
        return None
    return code, amount, date, amt.get("Ccy", "")


def _amount(xml: _Xml, node: ET.Element) -> Decimal | None:
    try:
        value = Decimal(xml.text(node, "Amt"))
    except InvalidOperation:
        return None
    sign = xml.text(node, "CdtDbtInd")
    if sign not in ("CRDT", "DBIT") or not value.is_finite():
        return None
    return -value if sign == "DBIT" else value


def _date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _entry(
    xml: _Xml, node: ET.Element, number: int, bad: list[BadRow]
) -> BankLine | None:
    """One ``Ntry``; None when pending or bad (bad ones are added to ``bad``)."""
    status = xml.text(node, "Sts", "Sts/Cd")
    if status and status != "BOOK":
        log.info("entry %d has status %s; left out", number, status)
        return None
    amount = _amount(xml, node)
    if amount is None:
        bad.append(
            BadRow(
                number,
                "Ntry/Amt",
                xml.text(node, "Amt"),
                "not an amount with CdtDbtInd CRDT or DBIT; export the statement again",
            )
        )
        return None
    date = _date(xml.text(node, "BookgDt/Dt", "BookgDt/DtTm", "ValDt/Dt"))
    if date is None:
        bad.append(
            BadRow(
                number,
                "Ntry/BookgDt",
                xml.text(node, "BookgDt/Dt", "BookgDt/DtTm"),
                "not a date like 2025-01-31; export the statement again",
            )
        )
        return None
    details = xml.find(node, "NtryDtls/TxDtls")
    detail = details if details is not None else node
    reference = xml.text(node, "AcctSvcrRef", "NtryRef") or xml.text(
        detail, "Refs/AcctSvcrRef", "Refs/EndToEndId"
    )
    party = "Dbtr" if amount > 0 else "Cdtr"
    name = xml.text(detail, f"RltdPties/{party}/Nm", f"RltdPties/{party}/Pty/Nm")
    iban = xml.text(detail, f"RltdPties/{party}Acct/Id/IBAN")
    remittance = " ".join(xml.all_text(detail, "RmtInf/Ustrd"))
    description = remittance or xml.text(node, "AddtlNtryInf")
    if not reference or reference == "NOTPROVIDED":
        # Limitation: without a bank reference the id is a digest of the
        # entry, so two identical entries are told apart by their order.
        reference = digest_reference("camt", [date, amount, name, iban, description])
    return BankLine(
        row=number,
        date=date,
        amount=amount,
        reference=reference,
        counterparty=name,
        counterparty_iban=normalise_iban(iban),
        description=description,
    )
