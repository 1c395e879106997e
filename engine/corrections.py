"""Corrections: new events that undo or replace an earlier one.

Software never edits an event it wrote.  To correct a transaction it appends
a reversal (every posting negated, same areas and metadata) and, where
needed, a replacement; both link to the original::

    2024-05-01 * "Gemeente Arnhem" "Wijkbudget"      ; the original
      id: "bank:2024-05-01:17"
      ...
    2024-05-01 * "Gemeente Arnhem" "Wijkbudget (reversal)"
      id: "bank:2024-05-01:17/reversal"
      reverses: "bank:2024-05-01:17"
      reason: "amount mistyped"
      ...
    2024-05-01 * "Gemeente Arnhem" "Wijkbudget"
      id: "bank:2024-05-01:17/replacement"
      replaces: "bank:2024-05-01:17"
      ...

Other events (an observation, an area declaration) cannot be negated; their
correction is a replacement with ``replaces`` whose figures win.

:func:`correct` does this for an event of a loaded ledger: it refuses an id
that no event has or that is already reversed, reads the replacement from a
small ledger file, and appends reversal and replacement in one atomic write
to the file that holds the original, so both land or neither.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount
from beancount.ops import validation
from beancount.parser import booking, parser

from wijkboekhouding.engine import journal
from wijkboekhouding.engine.errors import WijkboekhoudingError
from wijkboekhouding.engine.ledger import Ledger
from wijkboekhouding.engine.model import META_ID

META_REVERSES = "reverses"
META_REPLACES = "replaces"
META_REASON = "reason"

_PARSER_KEYS = ("filename", "lineno")


def _clean(meta: dict[str, Any] | None) -> dict[str, Any]:
    return {
        key: value
        for key, value in (meta or {}).items()
        if key not in _PARSER_KEYS and not key.startswith("__")
    }


def _negated(posting: data.Posting) -> data.Posting:
    units = posting.units
    assert units is not None and units.number is not None
    return posting._replace(
        units=Amount(-units.number, units.currency),
        meta=_clean(posting.meta) or None,
    )


def reversal(
    original: data.Transaction, reason: str, new_id: str | None = None
) -> data.Transaction:
    """The transaction that undoes ``original`` exactly.

    Every posting is negated with its area and metadata kept; prices are
    kept so that the reversal balances the same way.
    """
    original_id = str((original.meta or {}).get("id", ""))
    meta = _clean(original.meta)
    meta.pop("recorded", None)
    meta.pop(META_REPLACES, None)
    meta["id"] = new_id or f"{original_id}/reversal"
    meta[META_REVERSES] = original_id
    meta[META_REASON] = reason
    return original._replace(
        meta=meta,
        narration=f"{original.narration} (reversal)",
        postings=[_negated(p) for p in original.postings],
        links=(original.links or frozenset()),
    )


def replacement(
    original: data.Directive,
    new: data.Directive,
    reason: str,
    new_id: str | None = None,
) -> data.Directive:
    """``new`` marked as the replacement of ``original``."""
    original_id = str((original.meta or {}).get("id", ""))
    meta = _clean(new.meta)
    meta.pop("recorded", None)
    meta["id"] = new_id or f"{original_id}/replacement"
    meta[META_REPLACES] = original_id
    meta[META_REASON] = reason
    replaced: data.Directive = new._replace(meta=meta)
    return replaced


# Correcting an event of a ledger.


class UnknownEvent(WijkboekhoudingError):
    """No event of the ledger has the id given."""

    def __init__(self, path: str, event_id: str) -> None:
        super().__init__(
            f"{path}: no event has id {event_id!r}; give the `id:` value of the"
            " entry to correct (events written by hand need an `id:` first)"
        )


class AlreadyCorrected(WijkboekhoudingError):
    """The event was reversed or replaced before."""

    def __init__(self, event_id: str, how: str, where: str) -> None:
        super().__init__(
            f"event {event_id!r} is already {how} ({where}); correct its"
            " replacement instead (see `wijkboekhouding history`)"
        )


class NotReversible(WijkboekhoudingError):
    """The event cannot be negated, and no replacement was given."""

    def __init__(self, event_id: str, why: str) -> None:
        super().__init__(
            f"event {event_id!r} {why}; give its corrected version with --replace FILE"
        )


class SealNotCorrectable(WijkboekhoudingError):
    """A seal was named as the event to correct."""

    def __init__(self, event_id: str) -> None:
        super().__init__(
            f"{event_id!r} is a seal; seals are never corrected. Seal again"
            " after correcting the events it covers"
        )


class ReplacementError(WijkboekhoudingError):
    """The replacement file cannot be used."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        super().__init__(
            f"{path}:{line}: {reason}; the file must hold exactly one entry"
            " in Beancount syntax, with accounts the ledger opens"
        )


class IdInUse(WijkboekhoudingError):
    """A correction's id is already used by another event."""

    def __init__(self, new_id: str) -> None:
        super().__init__(
            f"id {new_id!r} is already used in the ledger; give the replacement"
            " entry its own `id:`"
        )


@dataclass(frozen=True)
class Correction:
    """What :func:`correct` appended, and where."""

    target: str
    ids: tuple[str, ...]
    recorded: str


def find_event(entries: list[data.Directive], event_id: str) -> data.Directive | None:
    """The entry whose ``id`` is ``event_id``, or None."""
    for entry in entries:
        if entry.meta and str(entry.meta.get(META_ID)) == event_id:
            return entry
    return None


def correction_of(
    entries: list[data.Directive], event_id: str
) -> data.Directive | None:
    """The entry that reverses or replaces ``event_id``, if any."""
    for entry in entries:
        meta = entry.meta or {}
        if event_id in (str(meta.get(META_REVERSES)), str(meta.get(META_REPLACES))):
            return entry
    return None


def read_replacement(path: str | os.PathLike[str], ledger: Ledger) -> data.Directive:
    """The one entry of a small ledger file, checked against the ledger.

    Raises:
      ReplacementError: the file does not parse, holds no or several entries,
        uses an account the ledger does not open, or does not balance.
    """
    name = str(path)
    if not Path(name).is_file():
        raise ReplacementError(name, 0, "no such file")
    entries, errors, _ = parser.parse_file(name)
    if errors:
        source = getattr(errors[0], "source", None) or {}
        raise ReplacementError(name, int(source.get("lineno", 0)), errors[0].message)
    if len(entries) != 1:
        raise ReplacementError(name, 1, f"found {len(entries)} entries")
    entry = entries[0]
    line = int(entry.meta.get("lineno", 0))
    if isinstance(entry, data.Transaction):
        opened = {e.account for e in ledger.entries if isinstance(e, data.Open)}
        for posting in entry.postings:
            if posting.account not in opened:
                reason = f"account {posting.account} is not opened in the ledger"
                raise ReplacementError(name, line, reason)
        booked, book_errors = booking.book([entry], ledger.options)  # type: ignore[no-untyped-call]
        book_errors += validation.validate_check_transaction_balances(  # type: ignore[no-untyped-call]
            booked, ledger.options
        )
        if book_errors:
            raise ReplacementError(name, line, book_errors[0].message.strip())
    return entry


def correct(
    ledger: Ledger,
    event_id: str,
    reason: str,
    replacement_file: str | os.PathLike[str] | None = None,
    *,
    recorded: str | None = None,
) -> Correction:
    """Append the reversal (and replacement) of an event; see the module doc.

    Raises:
      UnknownEvent, AlreadyCorrected, NotReversible, ReplacementError, IdInUse:
        nothing was written.
      JournalWriteError: the file could not be written; it is unchanged.
    """
    original = find_event(ledger.entries, event_id)
    if original is None:
        raise UnknownEvent(str(ledger.path), event_id)
    if isinstance(original, data.Custom) and original.type == "seal":
        raise SealNotCorrectable(event_id)
    earlier = correction_of(ledger.entries, event_id)
    if earlier is not None:
        how = "reversed" if META_REVERSES in earlier.meta else "replaced"
        raise AlreadyCorrected(event_id, how, _place(earlier))
    new = (
        read_replacement(replacement_file, ledger)
        if replacement_file is not None
        else None
    )

    # The original as written, before booking and plugins filled it in.
    target = Path(str(original.meta["filename"]))
    written = _as_written(original, target)
    entries: list[data.Directive] = []
    if isinstance(original, data.Transaction):
        assert isinstance(written, data.Transaction)
        entries.append(reversal(_filled(written, original), reason))
    elif new is None:
        raise NotReversible(event_id, f"is a {type(original).__name__.lower()}")
    if new is not None:
        own_id = new.meta.get(META_ID)
        entries.append(
            replacement(written, new, reason, str(own_id) if own_id else None)
        )

    # Check again under the lock, then write both in one atomic append.
    new_ids = [str(e.meta[META_ID]) for e in entries]
    with journal.locked(target):
        text = target.read_text(encoding="utf-8")
        for key, how in ((META_REVERSES, "reversed"), (META_REPLACES, "replaced")):
            pattern = rf'^[ \t]+{key}:[ \t]*"{re.escape(event_id)}"'
            if re.search(pattern, text, re.MULTILINE):
                raise AlreadyCorrected(event_id, how, f"in {target}")
        present = journal.ids_in_file(target) | ledger.ids()
        for new_id in new_ids:
            if new_id in present:
                raise IdInUse(new_id)
        result = journal.append(target, entries, recorded=recorded)
    return Correction(str(target), result.written, result.recorded)


def _place(entry: data.Directive) -> str:
    meta = entry.meta or {}
    name = os.path.basename(str(meta.get("filename", "?")))
    return f"{name}:{meta.get('lineno', 0)}"


def _as_written(entry: data.Directive, filename: Path) -> data.Directive:
    """The entry as parsed from its file, without booking or plugins."""
    entries, _, _ = parser.parse_file(str(filename))
    lineno = entry.meta.get("lineno")
    for candidate in entries:
        if candidate.meta.get("lineno") == lineno and type(candidate) is type(entry):
            return candidate
    return entry


def _filled(written: data.Transaction, booked: data.Transaction) -> data.Transaction:
    """The written transaction with the amounts booking filled in.

    Raises:
      NotReversible: booking split or merged postings.
    """
    if written is booked:
        return booked
    pairs = list(zip(written.postings, booked.postings, strict=False))
    if len(written.postings) != len(booked.postings) or any(
        w.account != b.account for w, b in pairs
    ):
        raise NotReversible(
            str(booked.meta.get(META_ID)),
            "had its postings split by booking (lots at cost)",
        )
    postings = [b._replace(meta=w.meta, flag=w.flag) for w, b in pairs]
    return written._replace(postings=postings)
