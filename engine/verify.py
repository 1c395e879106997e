"""Verify a ledger's seals, ids and references, naming every affected event.

``verify`` recomputes the hash of every seal (see :mod:`.seal`) from the
events as they now stand.  When a hash no longer matches, the seal's list of
short digests shows which events differ::

    journal.beancount:41: 2023-06-10 bank:17: amount or account changed
      (breaks the seal of 2023-12-31 (e57df6318bd9))

Problems make ``verify`` fail: a changed, deleted, inserted or moved event,
a broken link between seals, a duplicate ``id``, a ``reverses`` or
``replaces`` that names no event, a file that does not parse.  Events after
the last seal are listed as unsealed, and events recorded after the seal of
their period (corrections) as late; neither is a problem.
"""

from __future__ import annotations

import datetime
import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from typing import Any

from beancount.core import data

from wijkboekhouding.engine.canonical import Digest, decode_digests
from wijkboekhouding.engine.corrections import META_REPLACES, META_REVERSES
from wijkboekhouding.engine.model import META_ID
from wijkboekhouding.engine.seal import EventLog, SealRecord, chain_hash, read_events
from wijkboekhouding.engine.stamps import stamp_problems

# How many unsealed or late events the text output lists.
SHOWN = 20


@dataclass(frozen=True)
class Finding:
    """One problem or note about one event (or seal) of the ledger."""

    kind: str
    message: str
    date: str | None = None
    id: str | None = None
    file: str | None = None
    line: int | None = None
    seal: str | None = None

    def text(self, root: str = "") -> str:
        """One line: location, date and id, what happened, which seal."""
        where = f"{_relative(self.file, root)}:{self.line}: " if self.file else ""
        what = " ".join(part for part in (self.date, self.id) if part)
        line = f"{where}{what + ': ' if what else ''}{self.message}"
        return line + (f" (breaks the {self.seal})" if self.seal else "")


@dataclass(frozen=True)
class SealStatus:
    """The outcome of recomputing one seal."""

    until: str
    hash: str
    events: int
    new_events: int
    recorded: str
    file: str
    line: int
    ok: bool


@dataclass(frozen=True)
class Verification:
    """Everything ``verify`` found."""

    path: str
    events: int
    seals: list[SealStatus] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    unsealed: list[Finding] = field(default_factory=list)
    late: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the ledger verifies."""
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        """The findings as plain data for ``--format json``."""
        return {
            "path": self.path,
            "ok": self.ok,
            "events": self.events,
            "seals": [asdict(s) for s in self.seals],
            "problems": [asdict(f) for f in self.problems],
            "unsealed": [asdict(f) for f in self.unsealed],
            "late": [asdict(f) for f in self.late],
        }

    def as_text(self) -> list[str]:
        """The findings as lines for people."""
        root = os.path.dirname(os.path.abspath(self.path))
        lines = [f"{self.path}: {self.events} events, {len(self.seals)} seal(s)"]
        for status in self.seals:
            state = "ok" if status.ok else "BROKEN"
            lines.append(
                f"  seal of {status.until} ({status.hash[:12]}): {state},"
                f" {status.new_events} new events, {status.events} in all,"
                f" recorded {status.recorded}"
            )
        for title, findings, limit in (
            ("problem(s)", self.problems, None),
            (
                "late event(s), recorded after the seal of their period",
                self.late,
                SHOWN,
            ),
            ("unsealed event(s), after the last seal", self.unsealed, SHOWN),
        ):
            if not findings:
                continue
            lines.append(f"{len(findings)} {title}:")
            shown = findings if limit is None else findings[:limit]
            lines.extend("  " + finding.text(root) for finding in shown)
            if len(findings) > len(shown):
                lines.append(f"  ... and {len(findings) - len(shown)} more")
        lines.append("verified: ok" if self.ok else "verify FAILED")
        return lines


def verify(path: str | os.PathLike[str]) -> Verification:
    """Read a ledger and verify it; see the module docstring.

    Raises:
      LedgerNotFound: the main file does not exist.
    """
    return check(read_events(path))


def check(log: EventLog) -> Verification:
    """Verify an event log that is already read."""
    result = Verification(str(log.path), len(log.events))
    result.problems.extend(
        Finding("parse-error", str(error.message), **_at(error)) for error in log.errors
    )
    result.problems.extend(
        Finding("bad-recorded", str(error.message), **_at(error))
        for error in stamp_problems(log.events)
    )
    _check_ids(log, result.problems)
    coverage = log.coverage()
    _check_seals(log, coverage, result)

    # Unsealed and late events: notes, not problems.
    seals = log.seals
    for entry, index in zip(log.events, coverage, strict=True):
        if index < 0:
            result.unsealed.append(_finding("unsealed", "not sealed yet", entry))
        earlier = seals[:index] if index >= 0 else seals
        late = next((s for s in earlier if entry.date <= s.until), None)
        if late is not None:
            note = f"recorded after the {late.label}"
            result.late.append(_finding("late", note, entry))
    return result


def _at(error: Any) -> dict[str, Any]:
    source = getattr(error, "source", None) or {}
    return {"file": source.get("filename"), "line": source.get("lineno")}


def _finding(
    kind: str, message: str, entry: data.Directive, seal: SealRecord | None = None
) -> Finding:
    meta = entry.meta
    entry_id = meta.get(META_ID)
    return Finding(
        kind,
        message,
        str(entry.date),
        str(entry_id) if entry_id is not None else None,
        meta.get("filename"),
        meta.get("lineno"),
        seal.label if seal else None,
    )


def _relative(filename: str | None, root: str) -> str:
    if not filename:
        return ""
    if root and filename.startswith(root + os.sep):
        return filename[len(root) + 1 :]
    return filename


# Ids and references.


def _check_ids(log: EventLog, problems: list[Finding]) -> None:
    """Every ``id`` once; every ``reverses`` and ``replaces`` names an id."""
    where: dict[str, list[data.Directive]] = defaultdict(list)
    entries: list[data.Directive] = [*log.events, *(s.entry for s in log.seals)]
    for entry in entries:
        entry_id = entry.meta.get(META_ID)
        if entry_id is not None:
            where[str(entry_id)].append(entry)
    for entry_id, holders in where.items():
        if len(holders) > 1:
            places = ", ".join(_place(holder) for holder in holders)
            for holder in holders:
                message = f"id {entry_id!r} is used {len(holders)} times ({places})"
                problems.append(_finding("duplicate-id", message, holder))
    for entry in log.events:
        for key in (META_REVERSES, META_REPLACES):
            target = entry.meta.get(key)
            if target is not None and str(target) not in where:
                message = f"{key} {target!r}, but no event has that id"
                problems.append(_finding("dangling-reference", message, entry))


def _name(entry: data.Directive) -> str:
    """An event's id, else its file and line."""
    entry_id = entry.meta.get(META_ID)
    return str(entry_id) if entry_id is not None else _place(entry)


def _place(entry: data.Directive) -> str:
    meta = entry.meta
    return f"{os.path.basename(str(meta.get('filename')))}:{meta.get('lineno')}"


# Seals.


def _check_seals(log: EventLog, coverage: list[int], result: Verification) -> None:
    covered: list[list[data.Directive]] = [[] for _ in log.seals]
    for entry, index in zip(log.events, coverage, strict=True):
        if index >= 0:
            covered[index].append(entry)
    previous_hash, total = "", 0
    for seal, events in zip(log.seals, covered, strict=True):
        total += len(events)
        linked = seal.previous == previous_hash
        if not linked:
            message = (
                f"the seal names {seal.previous[:12] or 'no seal'} as the seal"
                f" before it, but that is {previous_hash[:12] or 'no seal'}:"
                " a seal was removed or changed"
            )
            result.problems.append(_finding("seal-chain", message, seal.entry, seal))
        recomputed = chain_hash(seal.previous, seal.until, seal.events, events)
        ok = recomputed == seal.hash
        if not ok:
            findings = _diagnose(seal, events, total)
            result.problems.extend(findings if linked else _orphans(seal, findings))
        meta = seal.entry.meta
        result.seals.append(
            SealStatus(
                str(seal.until),
                seal.hash,
                seal.events,
                len(events),
                seal.recorded,
                str(meta.get("filename")),
                int(meta.get("lineno", 0)),
                ok,
            )
        )
        previous_hash = seal.hash


def _orphans(seal: SealRecord, findings: list[Finding]) -> list[Finding]:
    """Fold the events of a removed seal, which the next one never listed."""
    extra = [f for f in findings if f.kind == "inserted"]
    if not extra:
        return findings
    first, last = min(str(f.date) for f in extra), max(str(f.date) for f in extra)
    message = (
        f"{len(extra)} events dated {first} to {last} are not listed by this"
        " seal: they belonged to the seal that was removed, and cannot be"
        " checked"
    )
    kept = [f for f in findings if f.kind != "inserted"]
    return [*kept, _finding("unlisted", message, seal.entry, seal)]


def _diagnose(
    seal: SealRecord, events: list[data.Directive], total: int
) -> list[Finding]:
    """Name the events that break a seal, from its list of short digests."""
    expected = decode_digests(seal.digests)
    if expected is None:
        message = "the seal's digest list is damaged; cannot name the events"
        return [_finding("seal-changed", message, seal.entry, seal)]
    actual: list[Digest] = []
    chain_hash(seal.previous, seal.until, seal.events, events, actual)
    findings = _differences(seal, expected, actual, events)
    if not findings:
        if total != seal.events:
            message = f"the seal counts {seal.events} events, the ledger has {total}"
        else:
            message = "the seal entry itself was changed"
        findings.append(_finding("seal-changed", message, seal.entry, seal))
    return findings


def _differences(
    seal: SealRecord,
    expected: Sequence[Digest],
    actual: Sequence[Digest],
    events: Sequence[data.Directive],
) -> list[Finding]:
    """Align the sealed digests with the current ones and explain each gap."""
    matcher = SequenceMatcher(None, expected, actual, autojunk=False)
    gone: list[int] = []  # indexes into expected
    new: list[int] = []  # indexes into actual
    matched: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            matched.update(zip(range(i1, i2), range(j1, j2), strict=True))
        else:
            gone.extend(range(i1, i2))
            new.extend(range(j1, j2))

    findings: list[Finding] = []

    # Same content elsewhere: the event moved (its date or its place changed).
    for j in list(new):
        day, sums = actual[j]
        twin = next((i for i in gone if expected[i][1] == sums), None)
        if twin is None:
            continue
        gone.remove(twin)
        new.remove(j)
        old_day = expected[twin][0]
        if old_day != day:
            message = f"date changed from {old_day}"
        else:
            message = "moved: its order among the events of its day changed"
            message += _neighbours(events, j)
        findings.append(_finding("moved", message, events[j], seal))

    # Same day, different content: the event was changed.
    for j in list(new):
        day, sums = actual[j]
        twin = next((i for i in gone if expected[i][0] == day), None)
        if twin is None:
            continue
        gone.remove(twin)
        new.remove(j)
        old = expected[twin][1]
        what = [
            name
            for name, at in (("description", 0), ("amount or account", 2))
            if old[at : at + 2] != sums[at : at + 2]
        ]
        if old[4:6] != sums[4:6]:
            what.append("metadata")
        message = " and ".join(what or ["content"]) + " changed"
        findings.append(_finding("changed", message, events[j], seal))

    for j in new:
        message = "inserted into the sealed period"
        findings.append(_finding("inserted", message, events[j], seal))
    for i in gone:
        findings.append(_deleted(seal, i, expected, matched, events))
    return findings


def _neighbours(events: Sequence[data.Directive], j: int) -> str:
    """Name the events of the same day around event ``j``."""
    names = []
    for word, k in (("after", j - 1), ("before", j + 1)):
        if 0 <= k < len(events) and events[k].date == events[j].date:
            names.append(f"{word} {_name(events[k])}")
    return f" (now {' and '.join(names)})" if names else ""


def _deleted(
    seal: SealRecord,
    index: int,
    expected: Sequence[Digest],
    matched: dict[int, int],
    events: Sequence[data.Directive],
) -> Finding:
    """A sealed event that is gone, placed by its date and its neighbour."""
    day: datetime.date = expected[index][0]
    message = f"deleted: sealed event {index + 1} of {len(expected)}"
    before = next((matched[i] for i in range(index - 1, -1, -1) if i in matched), None)
    location: dict[str, Any] = {}
    if before is not None:
        neighbour = events[before]
        message += f", which stood after {_name(neighbour)}"
        location = {
            "file": neighbour.meta.get("filename"),
            "line": neighbour.meta.get("lineno"),
        }
    return Finding("deleted", message, str(day), seal=seal.label, **location)
