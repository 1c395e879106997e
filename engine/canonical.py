"""The canonical form of an event, and short digests of events.

The canonical form is an event's content only: its kind, date, fields and
metadata (keys sorted, the parser's file and line left out), each posting
with its account, amount as written, cost, price, flag and metadata.
Whitespace, comments, line numbers and the file an event sits in do not
enter it; distinct content gives distinct text.  It is split in three parts
so that a change can be named: the head (kind and description), the body
(the figures) and the metadata.

A short digest is an event's date and three 16-bit checksums, one per
part.  A seal keeps one per event, so that ``verify`` can say which event
changed and how, without the seal holding the events themselves.
"""

from __future__ import annotations

import base64
import datetime
import zlib
from collections.abc import Sequence
from decimal import Decimal
from enum import Enum
from itertools import groupby
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount
from beancount.core.number import MISSING

# An event's date and its three 16-bit checksums (head, body, metadata).
Digest = tuple[datetime.date, bytes]

DIGEST_SIZE = 6

_SKIPPED_META = frozenset({"filename", "lineno"})


def _text(value: Any) -> str:
    """A value as canonical text; distinct values give distinct text."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "T" if value else "F"
    if isinstance(value, Decimal):
        return f"#{value}"
    if isinstance(value, datetime.date):
        return f"@{value.isoformat()}"
    if isinstance(value, Amount):
        return f"{value.number} {value.currency}"
    if value is None:
        return "~"
    if value is MISSING:
        return "?"
    if isinstance(value, frozenset | set):
        return "{" + ",".join(sorted(_text(v) for v in value)) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_text(v) for v in value) + "]"
    if isinstance(value, Enum):
        return _text(value.value)
    if isinstance(value, type):
        return value.__name__
    return repr(value)


def _meta_text(meta: dict[str, Any] | None) -> str:
    if not meta:
        return ""
    # "key=value" texts sort by key, keys being unique: a canonical order.
    parts = [
        f"{key}={value!r}" if type(value) is str else f"{key}={_text(value)}"
        for key, value in meta.items()
        if key not in _SKIPPED_META
    ]
    if len(parts) > 1:
        parts.sort()
    return ";".join(parts)


def _amount(amount: Any) -> str:
    if amount is None:
        return "~"
    if amount is MISSING:
        return "?"
    return f"{amount.number} {amount.currency}"


def canonical_parts(entry: data.Directive) -> tuple[str, str, str]:
    """The head, body and metadata of an event's canonical form.

    The head is the kind and description, the body the figures (postings,
    amounts, accounts), the metadata every ``key: value`` of the entry and
    its postings.  The date is kept apart: see :func:`canonical_bytes`.
    """
    if type(entry) is not data.Transaction:
        fields = [_text(value) for value in entry[2:]]
        return type(entry).__name__, "|".join(fields), _meta_text(entry.meta)
    tags = _text(entry.tags) if entry.tags else ""
    links = _text(entry.links) if entry.links else ""
    head = f"txn|{entry.flag}|{entry.payee!r}|{entry.narration!r}|{tags}|{links}"
    body = []
    metas = [_meta_text(entry.meta)]
    for number, posting in enumerate(entry.postings):
        units, cost, price = posting.units, posting.cost, posting.price
        body.append(
            f"{posting.flag}|{posting.account}"
            f"|{units.number if type(units) is Amount else '?'}"
            f" {units.currency if type(units) is Amount else ''}"
            f"|{'~' if cost is None else _text(tuple(cost))}"
            f"|{'~' if price is None else _amount(price)}"
        )
        if posting.meta and len(posting.meta) > 2:
            metas.append(f"{number}:{_meta_text(posting.meta)}")
    return head, "\x1e".join(body), "\x1e".join(metas)


def canonical_bytes(entry: data.Directive) -> bytes:
    """The canonical form of an event, as hashed by seals."""
    head, body, meta = canonical_parts(entry)
    return f"{entry.date}\x1d{head}\x1d{body}\x1d{meta}".encode()


def checksum(text: str) -> bytes:
    """A 16-bit checksum of a part of the canonical form."""
    return (zlib.crc32(text.encode()) & 0xFFFF).to_bytes(2, "big")


def short_digest(entry: data.Directive) -> Digest:
    """The date and three 16-bit checksums (head, body, metadata) of an event."""
    head, body, meta = canonical_parts(entry)
    return entry.date, checksum(head) + checksum(body) + checksum(meta)


# Digest lists: dates grouped, then six bytes per event.


def encode_digests(digests: Sequence[Digest]) -> str:
    """Short digests as base64 text: per date a day step and a count, then each."""
    out = bytearray()
    previous = 0
    for day, group in groupby(digests, key=lambda d: d[0]):
        members = [sums for _, sums in group]
        ordinal = day.toordinal()
        out += _varint(ordinal - previous) + _varint(len(members))
        previous = ordinal
        for sums in members:
            out += sums
    return base64.b64encode(bytes(out)).decode("ascii")


def decode_digests(text: str) -> list[Digest] | None:
    """The short digests of a seal, or None when the text is damaged."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
        items: list[Digest] = []
        position, ordinal = 0, 0
        while position < len(raw):
            delta, position = _read_varint(raw, position)
            count, position = _read_varint(raw, position)
            ordinal += delta
            day = datetime.date.fromordinal(ordinal)
            for _ in range(count):
                sums = raw[position : position + DIGEST_SIZE]
                if len(sums) != DIGEST_SIZE:
                    return None
                items.append((day, sums))
                position += DIGEST_SIZE
        return items
    except (ValueError, IndexError, OverflowError):
        return None


def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        low = number & 0x7F
        number >>= 7
        if number:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def _read_varint(raw: bytes, position: int) -> tuple[int, int]:
    number, shift = 0, 0
    while True:
        byte = raw[position]
        position += 1
        number |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return number, position
        shift += 7
