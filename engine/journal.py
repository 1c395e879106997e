"""Append events to a ledger file: locked, atomic and idempotent.

The ledger files are the event log.  Software never rewrites what it wrote;
it only appends, through :func:`append`:

- under an exclusive lock on a sidecar ``.lock`` file, so that two processes
  appending at once queue up instead of interleaving;
- atomically: the new content is written to a temporary file beside the
  ledger, flushed to disk and renamed over it, so a process killed at any
  moment leaves either the old file or the whole new one;
- idempotently: an entry whose ``id`` is already in the file (or in the ids
  the caller passes) is not written again;
- each written entry is stamped with ``recorded``, the UTC time of writing.
"""

from __future__ import annotations

import datetime
import errno
import fcntl
import logging
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from beancount.core import data
from beancount.parser import printer

from wijkboekhouding.engine.errors import JournalWriteError
from wijkboekhouding.engine.model import META_ID, META_RECORDED

log = logging.getLogger(__name__)

_ID_LINE = re.compile(rb'^[ \t]+id:[ \t]*"((?:[^"\\]|\\.)*)"', re.MULTILINE)


@dataclass(frozen=True)
class AppendResult:
    """What an append did: the ids written and the ids already present."""

    written: tuple[str, ...]
    skipped: tuple[str, ...]
    recorded: str


def utc_now() -> str:
    """The current UTC time as written in ``recorded`` metadata."""
    now = datetime.datetime.now(datetime.UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def ids_in_file(path: Path) -> set[str]:
    """The ``id`` metadata values written in one ledger file."""
    if not path.exists():
        return set()
    return {m.group(1).decode("utf-8") for m in _ID_LINE.finditer(path.read_bytes())}


# The locks this thread holds, by lock file, with their nesting depth.
_held = threading.local()


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the exclusive append lock of a ledger file.

    Re-entrant within a thread: a caller may hold the lock while it checks
    the file and then call :func:`append`, which takes the same lock.
    """
    path = _real(path)
    lock_path = path.with_name(path.name + ".lock")
    held: dict[str, int] = _held.__dict__.setdefault("depth", {})
    key = os.path.abspath(lock_path)
    if held.get(key):
        held[key] += 1
        try:
            yield
        finally:
            held[key] -= 1
        return
    try:
        handle = open(lock_path, "a+b")  # noqa: SIM115 - held for the block
    except OSError as exc:
        raise JournalWriteError(
            str(path), f"cannot open lock file: {exc.strerror}"
        ) from exc
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        held[key] = 1
        try:
            yield
        finally:
            del held[key]
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def render(entries: Iterable[data.Directive]) -> str:
    """Print entries with Beancount's printer, one blank line between them."""
    return "".join("\n" + printer.format_entry(entry) for entry in entries)


def stamp(entry: data.Directive, recorded: str) -> data.Directive:
    """Return the entry with its ``recorded`` time and without parser locations."""
    meta = {
        key: value
        for key, value in (entry.meta or {}).items()
        if key not in ("filename", "lineno") and not key.startswith("__")
    }
    meta.setdefault(META_RECORDED, recorded)
    new_entry: data.Directive = entry._replace(meta=meta)
    if isinstance(new_entry, data.Transaction):
        postings = [_clean_posting(p) for p in new_entry.postings]
        new_entry = new_entry._replace(postings=postings)
    return new_entry


def _clean_posting(posting: data.Posting) -> data.Posting:
    if not posting.meta:
        return posting
    meta = {
        key: value
        for key, value in posting.meta.items()
        if key not in ("filename", "lineno") and not key.startswith("__")
    }
    return posting._replace(meta=meta or None)


def append(
    path: str | os.PathLike[str],
    entries: Sequence[data.Directive],
    *,
    known_ids: Iterable[str] = (),
    recorded: str | None = None,
) -> AppendResult:
    """Append entries to a ledger file; see the module docstring.

    Args:
      path: The file to append to (created when missing).
      entries: The entries to write.  Entries without an ``id`` are always
        written; those with an id already present are skipped.
      known_ids: Ids known elsewhere in the ledger (other included files).
      recorded: The ``recorded`` stamp; the current UTC time by default.

    Raises:
      JournalWriteError: the file could not be written; it is unchanged.
    """
    target = Path(path)
    stamp_time = recorded or utc_now()
    with locked(target):
        present = ids_in_file(target) | set(known_ids)
        written: list[str] = []
        skipped: list[str] = []
        fresh: list[data.Directive] = []
        for entry in entries:
            entry_id = (entry.meta or {}).get(META_ID)
            if entry_id is not None:
                if entry_id in present:
                    skipped.append(str(entry_id))
                    continue
                present.add(entry_id)
                written.append(str(entry_id))
            fresh.append(stamp(entry, stamp_time))
        if fresh:
            replace_atomically(target, render(fresh).encode("utf-8"))
            log.info("appended %d entries to %s", len(fresh), target)
    return AppendResult(tuple(written), tuple(skipped), stamp_time)


def include_once(ledger: Path, target: Path) -> bool:
    """Append ``include "<target>"`` to the main file unless it is there.

    The path is written relative to the main file's folder; returns whether
    the line was added.
    """
    name = os.path.relpath(target.resolve(), ledger.resolve().parent)
    pattern = rf'^\s*include\s+"{re.escape(name)}"'
    with locked(ledger):
        text = ledger.read_text(encoding="utf-8")
        if re.search(pattern, text, re.MULTILINE):
            return False
        replace_atomically(ledger, f'\ninclude "{name}"\n'.encode())
    log.info('added include "%s" to %s', name, ledger)
    return True


def replace_atomically(target: Path, tail: bytes) -> None:
    """Write ``target``'s current content plus ``tail`` to a new file and swap it in.

    A symbolic link is followed, so the file it points at gets the content
    and the link stays a link.
    """
    target = _real(target)
    old = target.read_bytes() if target.exists() else b""
    if old and not old.endswith(b"\n"):
        old += b"\n"
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, temp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=folder
        )
    except OSError as exc:
        raise JournalWriteError(str(target), exc.strerror or str(exc)) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(old)
            handle.write(tail)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            status = target.stat()
            # Even root may not write a file its owner made read-only.
            if not status.st_mode & 0o222 or not os.access(target, os.W_OK):
                raise OSError(errno.EACCES, "the file is read-only")
            os.chmod(temp_name, status.st_mode & 0o7777)
            if os.geteuid() == 0:  # keep the owner when root writes
                os.chown(temp_name, status.st_uid, status.st_gid)
        else:  # a new file gets the usual mode, not mkstemp's private 0600
            os.chmod(temp_name, 0o666 & ~_umask())
        os.replace(temp_name, target)
    except OSError as exc:
        _remove_quietly(temp_name)
        raise JournalWriteError(str(target), exc.strerror or str(exc)) from exc
    _sync_folder(folder)


def _real(path: Path) -> Path:
    """The path with symbolic links resolved, the file itself maybe missing."""
    return Path(os.path.realpath(path))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove_quietly(name: str) -> None:
    with suppress(OSError):
        os.unlink(name)


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
