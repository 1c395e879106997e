"""Find an area from what residents write: a code, a street, a postcode or a name.

A ledger may declare areas below a buurt and say which streets and postcodes
they cover, on the declaration itself or with separate aliases::

    2023-01-01 custom "area" "spijkerstraat" "Spijkerstraat"
      level: "straat"
      parent: "BU02020211"
      streets: "Spijkerstraat, Spijkerplein"
      postcodes: "6828AA-6828AZ 6828BC"

    2023-01-01 custom "area-alias" "Sint Antonielaan" "BU02020212"

Then ``Spijkerplein``, ``spijkerstraat``, ``6828 AB`` and ``Sint
Antonielaan`` all resolve to an area code.  Postcodes are four digits and
two letters; a range ``6828AA-6828AZ`` covers every postcode between its ends
and a bare ``6828`` covers the whole postcode area.  An area's own name
works too when no other area has the same name.

Limitation: the importers check these declarations before they import;
``wijkboekhouding check`` does not report them yet.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from beancount.core import data

from wijkboekhouding.engine.areas import AreaRegistry
from wijkboekhouding.engine.errors import (
    LedgerError,
    WijkboekhoudingError,
    error_at,
)
from wijkboekhouding.engine.model import EXTERN, AreaCode

ALIAS = "area-alias"
META_STREETS = "streets"
META_POSTCODES = "postcodes"

_POSTCODE = re.compile(r"^\s*(\d{4})\s*([A-Za-z]{2})?\s*$")
_RANGE = re.compile(r"^(\d{4}[A-Z]{0,2})-(\d{4}[A-Z]{0,2})$")


class UnknownPlace(WijkboekhoudingError):
    """A street, postcode or area name that the ledger does not know."""

    def __init__(self, text: str, suggestions: list[str]) -> None:
        self.text = text
        self.suggestions = suggestions
        hint = (
            f"did you mean {', '.join(repr(s) for s in suggestions)}?"
            if suggestions
            else "no similar name is known."
        )
        super().__init__(
            f"unknown area, street or postcode {text!r}: {hint} Declare it with"
            f' `custom "{ALIAS}" "{text}" "AREA-CODE"` or correct the value'
        )


class AmbiguousPlace(WijkboekhoudingError):
    """A name that several areas carry."""

    def __init__(self, text: str, codes: list[str]) -> None:
        self.text = text
        super().__init__(
            f"{text!r} is the name of several areas ({', '.join(codes)});"
            " write the area code instead"
        )


def normalise_name(text: str) -> str:
    """Compare names without case, accents, dots or repeated spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = bare.replace(".", " ").replace("-", " ")
    return " ".join(bare.casefold().split())


def normalise_postcode(text: str) -> str | None:
    """``6828 ab`` as ``6828AB``; None when the text is no postcode."""
    match = _POSTCODE.match(text)
    if match is None:
        return None
    return match.group(1) + (match.group(2) or "").upper()


@dataclass(frozen=True)
class PostcodeRange:
    """The postcodes from ``low`` to ``high`` (both included) of one area."""

    low: str
    high: str
    code: AreaCode

    def covers(self, postcode: str) -> bool:
        """Whether a full postcode (``6828AB``) or a bare one lies in the range."""
        return self.low <= postcode <= self.high


def parse_postcodes(text: str) -> list[tuple[str, str]] | None:
    """Read ``"6828AA-6828AZ 6829"`` into (low, high) pairs; None if malformed."""
    pairs: list[tuple[str, str]] = []
    for part in re.split(r"[\s,;]+", text.upper().strip()):
        if not part:
            continue
        match = _RANGE.match(part)
        if match:
            low, high = match.groups()
        elif re.fullmatch(r"\d{4}[A-Z]{0,2}", part):
            low, high = part, part
        else:
            return None
        # A bare four-digit end covers every letter pair of that number.
        low = low if len(low) == 6 else low[:4] + "AA"
        high = high if len(high) == 6 else high[:4] + "ZZ"
        if low > high:
            return None
        pairs.append((low, high))
    return pairs


class AreaLookup:
    """Answers "which area is this?" for codes, streets, postcodes and names."""

    def __init__(
        self,
        registry: AreaRegistry,
        streets: dict[str, AreaCode],
        ranges: list[PostcodeRange],
    ) -> None:
        self.registry = registry
        self._streets = streets
        self._ranges = sorted(ranges, key=lambda r: (r.low, r.high))
        self._names: dict[str, list[AreaCode]] = {}
        self._shown: dict[str, str] = {}
        for area in registry:
            key = normalise_name(area.name)
            self._names.setdefault(key, []).append(area.code)
            self._shown.setdefault(key, area.name)

    @classmethod
    def from_entries(
        cls, entries: Iterable[data.Directive], registry: AreaRegistry
    ) -> tuple[AreaLookup, list[LedgerError]]:
        """Collect street and postcode declarations; return problems as records."""
        streets: dict[str, AreaCode] = {}
        shown: dict[str, str] = {}
        ranges: list[PostcodeRange] = []
        errors: list[LedgerError] = []

        def add_street(name: str, code: AreaCode, meta: dict[str, object]) -> None:
            key = normalise_name(name)
            if not key:
                return
            if code not in registry:
                errors.append(
                    error_at(meta, f"street {name!r} points at unknown area {code}")
                )
            elif key in streets and streets[key] != code:
                errors.append(
                    error_at(
                        meta,
                        f"street {name!r} is given to both {streets[key]} and"
                        f" {code}; keep one",
                    )
                )
            else:
                streets[key] = code
                shown[key] = name

        for entry in entries:
            if not isinstance(entry, data.Custom):
                continue
            meta = dict(entry.meta or {})
            values = [v.value for v in entry.values]
            if entry.type == ALIAS:
                if len(values) < 2 or not all(isinstance(v, str) for v in values[:2]):
                    errors.append(
                        error_at(
                            meta,
                            f'an alias needs a name and a code: custom "{ALIAS}"'
                            ' "Spijkerstraat" "CODE"',
                        )
                    )
                    continue
                name, code = str(values[0]), AreaCode(str(values[1]))
                postcode_pairs = parse_postcodes(name)
                if postcode_pairs and code in registry:
                    ranges.extend(
                        PostcodeRange(lo, hi, code) for lo, hi in postcode_pairs
                    )
                else:
                    add_street(name, code, meta)
            elif entry.type == "area" and values and isinstance(values[0], str):
                code = AreaCode(values[0])
                for street in str(meta.get(META_STREETS, "")).split(","):
                    add_street(street.strip(), code, meta)
                text = meta.get(META_POSTCODES)
                if text is None:
                    continue
                pairs = parse_postcodes(str(text))
                if pairs is None:
                    errors.append(
                        error_at(
                            meta,
                            f"area {code}: cannot read postcodes {text!r}; write"
                            ' them like "6828AA-6828AZ 6829"',
                        )
                    )
                else:
                    ranges.extend(PostcodeRange(lo, hi, code) for lo, hi in pairs)
        lookup = cls(registry, streets, ranges)
        lookup._shown.update(shown)
        errors.extend(lookup._overlaps())
        return lookup, errors

    def _overlaps(self) -> list[LedgerError]:
        errors: list[LedgerError] = []
        for first, second in zip(self._ranges, self._ranges[1:], strict=False):
            if second.low <= first.high and first.code != second.code:
                errors.append(
                    error_at(
                        None,
                        f"postcodes {first.low}-{first.high} ({first.code}) and"
                        f" {second.low}-{second.high} ({second.code}) overlap;"
                        " give each postcode to one area",
                    )
                )
        return errors

    def resolve(self, text: str, *, allow_extern: bool = False) -> AreaCode:
        """The area code a resident's value stands for.

        Args:
          text: An area code, street name, postcode or area name.
          allow_extern: Whether ``extern`` (outside every area) is accepted.

        Raises:
          UnknownPlace: nothing matches; the message suggests close names.
          AmbiguousPlace: the text is the name of several areas.
        """
        value = text.strip()
        if value in self.registry or (allow_extern and value == EXTERN):
            return AreaCode(value)
        key = normalise_name(value)
        if key in self._streets:
            return self._streets[key]
        postcode = normalise_postcode(value)
        if postcode is not None:
            found = self.postcode_area(postcode)
            if found is not None:
                return found
        codes = self._names.get(key, [])
        if len(codes) == 1:
            return codes[0]
        if len(codes) > 1:
            raise AmbiguousPlace(value, sorted(codes))
        raise UnknownPlace(value, self.suggest(value))

    def postcode_area(self, postcode: str) -> AreaCode | None:
        """The area whose postcode ranges hold a normalised postcode."""
        full = postcode if len(postcode) == 6 else None
        for postcode_range in self._ranges:
            if full is not None and postcode_range.covers(full):
                return postcode_range.code
            if (
                full is None
                and postcode_range.low[:4] == postcode == (postcode_range.high[:4])
            ):
                return postcode_range.code
        return None

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """The known street and area names nearest to ``text``."""
        keys = list(self._shown)
        close = difflib.get_close_matches(normalise_name(text), keys, limit, 0.6)
        return [self._shown[key] for key in close]

    def known_streets(self) -> dict[str, AreaCode]:
        """Every declared street (normalised name) with its area."""
        return dict(self._streets)
