"""The area registry: the tree of areas plus the groups people draw over it.

Every area is declared once in the ledger::

    2024-01-01 custom "area" "BU02020211" "Spijkerbuurt"
      level: "buurt"
      parent: "WK020202"

    2024-01-01 custom "area" "spijker-zuid" "Spijkerkwartier-Zuid"
      level: "groep"
      members: "BU02020211 BU02020212"

Official areas (gemeente, wijk, buurt) and finer ones (a street, a block)
have one parent; a group names its members instead.  Optional metadata:
``valid-from`` and ``valid-until`` (the first and last date the area's
boundaries hold; a posting dated outside them is an error) and ``cbs-year``
(the CBS year of the boundaries).
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from beancount.core import data

from wijkboekhouding.engine.errors import LedgerError, error_at
from wijkboekhouding.engine.model import (
    GROEP,
    OFFICIAL_PREFIXES,
    STANDARD_LEVELS,
    AreaCode,
    Level,
)

_SPLIT = re.compile(r"[\s,]+")


@dataclass(frozen=True)
class Area:
    """One declared area."""

    code: AreaCode
    name: str
    level: Level
    parent: AreaCode | None = None
    members: tuple[AreaCode, ...] = ()
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_group(self) -> bool:
        """Whether the area is a group defined by its members."""
        return self.level == GROEP or bool(self.members)


def area_from_entry(entry: data.Custom) -> Area | LedgerError:
    """Read one ``custom "area"`` declaration, or say what is wrong with it."""
    values = [value.value for value in entry.values]
    if len(values) < 2 or not all(isinstance(v, str) for v in values[:2]):
        return error_at(
            entry.meta,
            'an area declaration needs a code and a name: custom "area" "CODE" "Name"',
            entry,
        )
    meta = entry.meta or {}
    level = meta.get("level")
    if not isinstance(level, str) or not level:
        return error_at(
            entry.meta, f'area {values[0]} has no level; add `level: "buurt"`', entry
        )
    listed = meta.get("members")
    members = (
        tuple(AreaCode(m) for m in _SPLIT.split(str(listed)) if m) if listed else ()
    )
    parent = meta.get("parent")
    valid_from = meta.get("valid-from")
    valid_until = meta.get("valid-until")
    return Area(
        code=AreaCode(values[0]),
        name=values[1],
        level=Level(level),
        parent=AreaCode(str(parent)) if parent else None,
        members=members,
        valid_from=valid_from if isinstance(valid_from, datetime.date) else None,
        valid_until=valid_until if isinstance(valid_until, datetime.date) else None,
        meta=meta,
    )


@functools.cache
def _official_pattern(letters: str, digits: int) -> re.Pattern[str]:
    return re.compile(rf"{letters}\d{{{digits}}}")


class AreaRegistry:
    """The areas a ledger declares, with questions about their tree.

    Build it with :meth:`from_entries`, which also returns the problems it
    found as error records.
    """

    def __init__(self, areas: Iterable[Area]) -> None:
        self._areas: dict[AreaCode, Area] = {area.code: area for area in areas}
        self._children: dict[AreaCode, list[AreaCode]] = {}
        for area in self._areas.values():
            if area.parent is not None:
                self._children.setdefault(area.parent, []).append(area.code)
        self._ancestors: dict[AreaCode, tuple[AreaCode, ...]] = {}
        self._standard: dict[AreaCode, dict[Level, AreaCode]] = {}

    @classmethod
    def from_entries(
        cls, entries: Iterable[data.Directive]
    ) -> tuple[AreaRegistry, list[LedgerError]]:
        """Collect the area declarations of a ledger and check them."""
        errors: list[LedgerError] = []
        areas: dict[AreaCode, Area] = {}
        for entry in entries:
            if not (isinstance(entry, data.Custom) and entry.type == "area"):
                continue
            area = area_from_entry(entry)
            if isinstance(area, LedgerError):
                errors.append(area)
            elif area.code in areas:
                first = areas[area.code].meta
                errors.append(
                    error_at(
                        entry.meta,
                        f"area {area.code} is declared twice (first at"
                        f" {first.get('filename')}:{first.get('lineno')});"
                        " keep one declaration",
                        entry,
                    )
                )
            else:
                areas[area.code] = area
        registry = cls(areas.values())
        errors.extend(registry._check())
        return registry, errors

    # Questions about the tree.

    def __contains__(self, code: object) -> bool:
        return code in self._areas

    def __iter__(self) -> Iterator[Area]:
        return iter(self._areas.values())

    def __len__(self) -> int:
        return len(self._areas)

    def get(self, code: str) -> Area | None:
        """The area with this code, or None."""
        return self._areas.get(AreaCode(code))

    def name(self, code: str) -> str:
        """The name of an area, or the code itself when it is not declared."""
        area = self._areas.get(AreaCode(code))
        return area.name if area else code

    def levels(self) -> list[Level]:
        """The levels that occur in the ledger, official ones first."""
        found = {area.level for area in self._areas.values()}
        ordered = [level for level in STANDARD_LEVELS if level in found]
        return ordered + sorted(found.difference(ordered))

    def at_level(self, level: str) -> list[Area]:
        """All areas of one level, sorted by code."""
        return sorted(
            (a for a in self._areas.values() if a.level == level), key=lambda a: a.code
        )

    def children(self, code: str) -> list[Area]:
        """The direct sub-areas of an area (for a group: its members)."""
        area = self._areas.get(AreaCode(code))
        if area is not None and area.is_group:
            return [self._areas[m] for m in area.members if m in self._areas]
        return [self._areas[c] for c in sorted(self._children.get(AreaCode(code), []))]

    def ancestors(self, code: str) -> tuple[AreaCode, ...]:
        """The parent chain of an area, nearest first (groups are not in it)."""
        key = AreaCode(code)
        cached = self._ancestors.get(key)
        if cached is not None:
            return cached
        chain: list[AreaCode] = []
        area = self._areas.get(key)
        while area is not None and area.parent is not None:
            if area.parent in chain or area.parent == key:
                break  # a cycle; reported by _check
            chain.append(area.parent)
            area = self._areas.get(area.parent)
        result = tuple(chain)
        self._ancestors[key] = result
        return result

    def ancestor_at(self, code: str, level: str) -> AreaCode | None:
        """The area at ``level`` that contains ``code`` (itself included)."""
        area = self._areas.get(AreaCode(code))
        if area is None:
            return None
        if area.level == level:
            return area.code
        for ancestor in self.ancestors(code):
            if self._areas[ancestor].level == level:
                return ancestor
        return None

    def standard_ancestors(self, code: str) -> dict[Level, AreaCode]:
        """The codes at the standard levels (buurt, wijk, gemeente) above an area."""
        key = AreaCode(code)
        cached = self._standard.get(key)
        if cached is not None:
            return cached

        # Walk up to the nearest area already known, then fill in downwards,
        # so that a whole tree costs one step per area.
        chain: list[Area] = []
        area = self._areas.get(key)
        while area is not None and area.code not in self._standard:
            if area in chain:
                break  # a cycle; reported by _check
            chain.append(area)
            area = self._areas.get(area.parent) if area.parent else None
        above = self._standard.get(area.code, {}) if area is not None else {}
        for area in reversed(chain):
            own = dict(above)
            if area.level in STANDARD_LEVELS:
                own[area.level] = area.code
            self._standard[area.code] = above = own
        return self._standard.get(key, {})

    def descendants(self, code: str) -> list[AreaCode]:
        """Every area below ``code`` (for a group: its members and theirs)."""
        result: list[AreaCode] = []
        stack = [child.code for child in self.children(code)]
        while stack:
            current = stack.pop()
            if current in result:
                continue
            result.append(current)
            stack.extend(self._children.get(current, []))
        return sorted(result)

    def members(self, code: str) -> tuple[AreaCode, ...]:
        """The members of a group."""
        area = self._areas.get(AreaCode(code))
        return area.members if area is not None else ()

    def covered(self, code: str) -> frozenset[AreaCode]:
        """The area itself and everything below it: the set "inside" the area."""
        return frozenset([AreaCode(code), *self.descendants(code)])

    def contains(self, outer: str, inner: str) -> bool:
        """Whether ``inner`` is ``outer`` or lies below it (or in the group)."""
        if inner == outer or outer in self.ancestors(inner):
            return True
        area = self._areas.get(AreaCode(outer))
        if area is not None and area.is_group:
            return any(self.contains(member, inner) for member in area.members)
        return False

    # Checks.

    def _check(self) -> list[LedgerError]:
        errors: list[LedgerError] = []
        for area in self._areas.values():
            errors.extend(self._check_area(area))
        return errors

    def _check_area(self, area: Area) -> list[LedgerError]:
        errors: list[LedgerError] = []
        where = area.meta
        if area.is_group:
            if area.parent is not None:
                errors.append(
                    error_at(
                        where,
                        f"group {area.code} names a parent; a group has"
                        " members only, remove `parent`",
                    )
                )
            if not area.members:
                errors.append(
                    error_at(
                        where,
                        f'group {area.code} has no members; add `members: "CODE CODE"`',
                    )
                )
            for member in area.members:
                if member not in self._areas:
                    errors.append(
                        error_at(
                            where,
                            f"group {area.code} names unknown member"
                            f" {member}; declare it or remove it",
                        )
                    )
            return errors
        if area.parent is not None and area.parent not in self._areas:
            errors.append(
                error_at(
                    where,
                    f"area {area.code} names unknown parent {area.parent};"
                    " declare the parent area first",
                )
            )
        elif area.parent is not None and self._in_cycle(area.code):
            errors.append(
                error_at(
                    where,
                    f"area {area.code} is its own ancestor (a cycle"
                    f" through {area.parent}); fix the `parent` lines",
                )
            )
        if area.parent is None and area.level not in ("gemeente", "provincie", "land"):
            errors.append(
                error_at(
                    where,
                    f"area {area.code} at level {area.level} has no parent;"
                    ' add `parent: "CODE"`',
                )
            )
        errors.extend(self._check_official(area))
        return errors

    def _in_cycle(self, code: AreaCode) -> bool:
        seen = {code}
        area = self._areas.get(code)
        while area is not None and area.parent is not None:
            if area.parent in seen:
                return True
            seen.add(area.parent)
            area = self._areas.get(area.parent)
        return False

    def _check_official(self, area: Area) -> list[LedgerError]:
        """An official CBS code must fit its level and sit under its parent."""
        where = area.meta
        prefix = OFFICIAL_PREFIXES.get(area.level)
        if prefix is None:
            return []
        letters, digits = prefix
        if not _official_pattern(letters, digits).fullmatch(area.code):
            return [
                error_at(
                    where,
                    f"area {area.code} at level {area.level} needs a code"
                    f" like {letters}{'0' * digits} ({letters} and {digits} digits)",
                )
            ]
        parent = self._areas.get(area.parent) if area.parent else None
        if parent is None or parent.level not in OFFICIAL_PREFIXES:
            return []
        parent_letters, parent_digits = OFFICIAL_PREFIXES[parent.level]
        expected = parent_letters + area.code[2 : 2 + parent_digits]
        if parent.code != expected or parent_digits >= digits:
            return [
                error_at(
                    where,
                    f"area {area.code} cannot sit under {parent.code}: by its"
                    f" code it belongs under {expected}; correct `parent`",
                )
            ]
        return []
