"""Seals: a SHA-256 hash chain over the canonical form of a ledger's events.

Every directive a ledger's files hold is an *event*.  A seal commits to the
events up to a date, so that ``verify`` can later say whether any of them
was changed, removed or inserted::

    2024-12-31 custom "seal" "9c1f…64 hex…" "AQIDBAUG…"
      until: 2024-12-31
      events: 120
      previous: "3ab0…64 hex…"
      id: "seal:2024-12-31:9c1f0e3d2b7a"
      recorded: "2025-01-06T09:12:44.031337Z"

The first value is the chain hash, the further values the short digest of
each newly sealed event (for naming events when a seal breaks); ``events``
counts all sealed events, ``previous`` is the hash of the seal before.

*Canonical form.*  An event is hashed by content only: its kind, date,
fields and metadata (keys sorted, parser locations left out), each posting
with its account, amount, cost, price, flag and metadata.  Whitespace,
comments, file layout, line numbers and includes do not enter it (see
:mod:`.canonical`).

*Order.*  Events are ordered by date, then by kind (open, commodity, pad,
balance, transaction, note, event, query, price, custom, document, close),
then by their place in the include-resolved text: the text of the main file
with each ``include`` replaced by the text of the included file.  Moving the
journal into an included file, at the place where its text stood, keeps the
order; swapping two events of one day does not.

*Coverage.*  Seals are chained in the order of their ``recorded`` stamps.
An event belongs to the first seal whose ``until`` is on or after its date
and which was recorded no earlier than the event (events written by hand,
without ``recorded``, count as recorded before every seal).  So a
correction appended after a seal, dated in the sealed period, is not part
of that seal: the next seal covers it.
"""

from __future__ import annotations

import datetime
import glob
import hashlib
import logging
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount.core import data
from beancount.parser import grammar, parser

from wijkboekhouding.engine import journal
from wijkboekhouding.engine.canonical import (
    Digest,
    canonical_parts,
    checksum,
    encode_digests,
)
from wijkboekhouding.engine.errors import (
    LedgerError,
    LedgerNotFound,
    WijkboekhoudingError,
    error_at,
)
from wijkboekhouding.engine.model import META_ID, META_RECORDED
from wijkboekhouding.engine.postings import normalise_time

log = logging.getLogger(__name__)

SEAL = "seal"
META_UNTIL = "until"
META_EVENTS = "events"
META_PREVIOUS = "previous"

# The version tag hashed first, so that a later canonical form can coexist.
_FORMAT = b"wijkboekhouding-seal-1\n"
# Digest text is split into values of this length: Beancount lexes one long
# string in quadratic time.
_CHUNK = 4096

_KIND_RANK: dict[type, int] = {
    data.Open: 0,
    data.Commodity: 1,
    data.Pad: 2,
    data.Balance: 3,
    data.Transaction: 4,
    data.Note: 5,
    data.Event: 6,
    data.Query: 7,
    data.Price: 8,
    data.Custom: 9,
    data.Document: 10,
    data.Close: 11,
}
_INCLUDE = re.compile(rb'^include[ \t]+"((?:[^"\\\n]|\\.)*)"', re.MULTILINE)
_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


@dataclass(frozen=True)
class SealRecord:
    """A ``custom "seal"`` entry as written in the ledger."""

    hash: str
    until: datetime.date
    events: int
    previous: str
    digests: str
    recorded: str
    entry: data.Custom

    @property
    def label(self) -> str:
        """How reports name the seal: its date and the start of its hash."""
        return f"seal of {self.until} ({self.hash[:12]})"


@dataclass
class EventLog:
    """The events of a ledger in canonical order, and its seals in chain order."""

    path: Path
    events: list[data.Directive]
    seals: list[SealRecord]
    errors: list[Any]
    files: list[str]

    def coverage(self) -> list[int]:
        """For each event, the index of the seal that covers it, or -1."""
        return covering_seals(self.events, self.seals)


# Reading.


def include_tree(path: Path) -> dict[str, list[tuple[int, list[str]]]]:
    """Each file of a ledger with its ``include`` lines: line and files named.

    Found with a quick scan of the text, without parsing; globs are expanded
    as Beancount's loader expands them.
    """
    tree: dict[str, list[tuple[int, list[str]]]] = {}
    pending = [os.path.normpath(os.path.abspath(path))]
    while pending:
        filename = pending.pop()
        if filename in tree or not os.path.isfile(filename):
            continue
        with open(filename, "rb") as handle:
            text = handle.read()
        folder = os.path.dirname(filename)
        lines: list[tuple[int, list[str]]] = []
        for match in _INCLUDE.finditer(text):
            lineno = text.count(b"\n", 0, match.start()) + 1
            pattern = match.group(1).decode("utf-8")
            found = glob.glob(os.path.join(folder, pattern), recursive=True)
            children = [os.path.normpath(os.path.join(folder, f)) for f in found]
            lines.append((lineno, children))
            pending.extend(children)
        tree[filename] = lines
    return tree


def read_events(path: str | os.PathLike[str]) -> EventLog:
    """Parse a ledger's files (no booking, no plugins) into an event log.

    Raises:
      LedgerNotFound: the main file does not exist.
    """
    main = Path(path)
    if not main.is_file():
        raise LedgerNotFound(str(path))
    tree = include_tree(main)
    errors: list[Any] = []
    linear: list[data.Directive] = []
    _linearise(os.path.normpath(os.path.abspath(main)), tree, set(), errors, linear)

    # Canonical order: a stable sort of the include-resolved text order.
    events = [e for e in linear if not _is_seal(e)]
    events.sort(key=lambda e: (e.date, _KIND_RANK.get(type(e), 9)))
    seal_entries = [e for e in linear if isinstance(e, data.Custom) and _is_seal(e)]
    seals, seal_errors = _read_seals(seal_entries)
    errors.extend(seal_errors)
    return EventLog(main, events, seals, errors, list(tree))


def _linearise(
    filename: str,
    tree: dict[str, list[tuple[int, list[str]]]],
    seen: set[str],
    errors: list[Any],
    out: list[data.Directive],
) -> None:
    """Append a file's entries to ``out``, included files in their place."""
    seen.add(filename)
    entries, parse_errors, _ = parser.parse_file(filename)
    errors.extend(parse_errors)
    entries = sorted(entries, key=lambda e: int(e.meta.get("lineno", 0)))
    includes = list(tree.get(filename, []))
    for entry in entries:
        while includes and includes[0][0] < entry.meta.get("lineno", 0):
            _include(includes.pop(0), filename, tree, seen, errors, out)
        out.append(entry)
    for include in includes:
        _include(include, filename, tree, seen, errors, out)


def _include(
    include: tuple[int, list[str]],
    parent: str,
    tree: dict[str, list[tuple[int, list[str]]]],
    seen: set[str],
    errors: list[Any],
    out: list[data.Directive],
) -> None:
    lineno, children = include
    if not children:
        errors.append(
            error_at({"filename": parent, "lineno": lineno}, "include matches no file")
        )
    for child in children:
        if child in seen:
            errors.append(
                error_at(
                    {"filename": parent, "lineno": lineno},
                    f"{child} is included twice; include each file once",
                )
            )
            continue
        _linearise(child, tree, seen, errors, out)


def _is_seal(entry: data.Directive) -> bool:
    return isinstance(entry, data.Custom) and entry.type == SEAL


def _read_seals(
    entries: list[data.Custom],
) -> tuple[list[SealRecord], list[LedgerError]]:
    """The seal records in chain order (by ``recorded``), and unreadable seals."""
    seals: list[SealRecord] = []
    errors: list[LedgerError] = []
    for entry in entries:
        meta = entry.meta
        values = [v.value for v in entry.values]
        until = meta.get(META_UNTIL)
        count = meta.get(META_EVENTS)
        recorded = stamp_of(entry)
        if (
            not values
            or not isinstance(values[0], str)
            or not all(isinstance(v, str) for v in values[1:])
            or not isinstance(until, datetime.date)
            or not isinstance(count, Decimal)
            or recorded is None
        ):
            errors.append(
                error_at(
                    meta,
                    "unreadable seal: it needs a hash, `until`, `events` and"
                    " `recorded`; seals are written by `wijkboekhouding seal`",
                    entry,
                )
            )
            continue
        seals.append(
            SealRecord(
                hash=values[0],
                until=until,
                events=int(count),
                previous=str(meta.get(META_PREVIOUS) or ""),
                digests="".join(values[1:]),
                recorded=recorded,
                entry=entry,
            )
        )
    seals.sort(key=lambda s: s.recorded)
    return seals, errors


def stamp_of(entry: data.Directive) -> str | None:
    """The entry's ``recorded`` time, normalised for comparison, or None."""
    value = entry.meta.get(META_RECORDED)
    if value is None:
        return None
    text = str(value)
    if _STAMP.match(text):
        return text
    try:
        return normalise_time(text)
    except ValueError:
        return text


def covering_seals(
    events: Sequence[data.Directive], seals: Sequence[SealRecord]
) -> list[int]:
    """For each event, the index of the first seal covering it, or -1."""
    bounds = [(s.until, s.recorded) for s in seals]
    result: list[int] = []
    for entry in events:
        day = entry.date
        stamp = stamp_of(entry) if META_RECORDED in entry.meta else None
        found = -1
        for index, (until, recorded) in enumerate(bounds):
            if day <= until and (stamp is None or stamp <= recorded):
                found = index
                break
        result.append(found)
    return result


def chain_hash(
    previous: str,
    until: datetime.date,
    total: int,
    events: Sequence[data.Directive],
    digests: list[Digest] | None = None,
) -> str:
    """The hash a seal holds: its predecessor, bounds and newly sealed events.

    With ``digests``, the short digest of each event is appended to it.
    """
    hasher = hashlib.sha256(_FORMAT)
    hasher.update(f"{previous}\n{until.isoformat()}\n{total}\n".encode())
    update = hasher.update
    for entry in events:
        head, body, meta = canonical_parts(entry)
        form = f"{entry.date}\x1d{head}\x1d{body}\x1d{meta}".encode()
        update(len(form).to_bytes(4, "big"))
        update(form)
        if digests is not None:
            sums = checksum(head) + checksum(body) + checksum(meta)
            digests.append((entry.date, sums))
    return hasher.hexdigest()


# Sealing.


@dataclass(frozen=True)
class SealResult:
    """What ``seal`` wrote."""

    hash: str
    until: datetime.date
    new_events: int
    total_events: int
    recorded: str
    path: str


class SealRefused(WijkboekhoudingError):
    """The ledger does not verify, so it is not sealed."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"{path} does not verify, so it is not sealed; see what is wrong"
            f" with `wijkboekhouding verify {path}`"
        )


def new_seal(
    log: EventLog, until: datetime.date, recorded: str
) -> tuple[data.Custom, list[data.Directive]]:
    """The seal entry that would follow the log's seals, and what it covers."""
    coverage = log.coverage()
    fresh = [
        entry
        for entry, index in zip(log.events, coverage, strict=True)
        if index < 0
        and entry.date <= until
        and ((stamp := stamp_of(entry)) is None or stamp <= recorded)
    ]
    last = log.seals[-1] if log.seals else None
    previous = last.hash if last else ""
    total = (last.events if last else 0) + len(fresh)
    digests: list[Digest] = []
    digest = chain_hash(previous, until, total, fresh, digests)
    text = encode_digests(digests)
    chunks = [text[i : i + _CHUNK] for i in range(0, len(text), _CHUNK)]
    meta: dict[str, Any] = {
        META_UNTIL: until,
        META_EVENTS: Decimal(total),
        META_PREVIOUS: previous,
        META_ID: f"seal:{until}:{digest[:12]}",
        META_RECORDED: recorded,
    }
    values = [grammar.ValueType(v, str) for v in [digest, *chunks]]
    return data.Custom(meta, until, SEAL, values), fresh


@contextmanager
def locked_ledger(path: Path) -> Iterator[list[str]]:
    """Hold the append lock of every file of a ledger, in a fixed order."""
    files = sorted(include_tree(path))
    with ExitStack() as stack:
        for filename in files:
            stack.enter_context(journal.locked(Path(filename)))
        yield files


def seal(
    path: str | os.PathLike[str],
    until: datetime.date | None = None,
    *,
    check: Callable[[EventLog], int] | None = None,
) -> SealResult:
    """Append a seal over the ledger's events up to ``until`` (default today).

    Args:
      path: The main ledger file; the seal is appended to it.
      until: The last date sealed.
      check: Called with the event log under the lock; returns the number of
        problems, and a non-zero number stops the seal.

    Raises:
      SealRefused: ``check`` found problems; nothing was written.
      JournalWriteError: the file could not be written; it is unchanged.
    """
    main = Path(path)
    if not main.is_file():
        raise LedgerNotFound(str(path))
    day = until or datetime.datetime.now(datetime.UTC).date()
    with locked_ledger(main):
        events = read_events(main)
        if check is not None and check(events):
            raise SealRefused(str(main))
        recorded = journal.utc_now()
        entry, fresh = new_seal(events, day, recorded)
        journal.append(main, [entry], recorded=recorded)
    total = int(entry.meta[META_EVENTS])
    digest = str(entry.values[0].value)
    log.info("sealed %d new events of %s until %s", len(fresh), main, day)
    return SealResult(digest, day, len(fresh), total, recorded, str(main))
