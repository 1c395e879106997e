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
"""

from __future__ import annotations

from typing import Any

from beancount.core import data
from beancount.core.amount import Amount

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
