"""Appends, corrections and seals under concurrency, SIGKILL, and bad disks."""

from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from audit_support import OPENS, run, write_ledger
from beancount import loader

from wijkboekhouding.engine.seal import read_events
from wijkboekhouding.engine.verify import check

WRITER = r"""
import sys
from beancount.parser import parser
from wijkboekhouding.engine.journal import append
path, start, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for n in range(start, start + count):
    entries, _, _ = parser.parse_string(
        f'2024-03-01 * "Gift {n}"\n  id: "gift-{n}"\n'
        f'  Assets:Kas   {n}.00 EUR\n  Income:Giften\n'
    )
    append(path, entries)
"""

READER = r"""
import sys, time
from beancount.parser import parser
path, seconds = sys.argv[1], float(sys.argv[2])
reads, end = 0, time.monotonic() + seconds
while time.monotonic() < end:
    _, errors, _ = parser.parse_file(path)
    assert not errors, errors
    reads += 1
print(reads)
"""


def ledger_ok(main: Path) -> list[str]:
    """Assert that the ledger loads and verifies; return its ids in order."""
    entries, errors, _ = loader.load_file(str(main))
    assert errors == [], errors
    result = check(read_events(main))
    assert result.ok, result.as_text()
    return [str(e.meta["id"]) for e in entries if "id" in e.meta]


def test_two_processes_appending_500_events_each_yield_1000_once(
    tmp_path: Path,
) -> None:
    main = write_ledger(tmp_path, "")
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(main), "4"], stdout=subprocess.PIPE
    )
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(main), str(s), "500"])
        for s in (0, 10000)
    ]
    assert [w.wait() for w in writers] == [0, 0]
    out, _ = reader.communicate()
    assert reader.returncode == 0 and int(out) > 0  # it parsed every time it read
    ids = ledger_ok(main)
    expected = [f"gift-{n}" for n in [*range(500), *range(10000, 10500)]]
    assert sorted(ids) == sorted(expected)
    assert len(ids) == 1000


# The crash child: 200 appends, a seal after events 25, 75, ... and a
# correction after events 20, 60, ...  It prints what it has written.  With
# a target it kills itself just before the nth call of that function, so a
# test can stop it in every phase of a write.
CHILD = r"""
import datetime, io, os, signal, sys, fcntl
from beancount.parser import parser
from wijkboekhouding.engine.corrections import correct
from wijkboekhouding.engine.journal import append
from wijkboekhouding.engine.ledger import load
from wijkboekhouding.engine.seal import seal

path, target, nth = sys.argv[1], sys.argv[2], int(sys.argv[3])
functions = {"flock": fcntl.flock, "fsync": os.fsync, "replace": os.replace}
calls = 0

def matches(arg):
    if target == "write":
        return getattr(arg, "__name__", "") == "write" and isinstance(
            getattr(arg, "__self__", None), io.BufferedWriter)
    return arg is functions.get(target)

def profile(frame, event, arg):
    global calls
    if event == "c_call" and matches(arg):
        calls += 1
        if calls == nth:
            os.kill(os.getpid(), signal.SIGKILL)

if target != "-":
    sys.setprofile(profile)
for n in range(200):
    entries, _, _ = parser.parse_string(
        f'2024-03-01 * "Gift {n}"\n  id: "gift-{n}"\n'
        f'  Assets:Kas   {n}.00 EUR\n  Income:Giften\n'
    )
    append(path, entries)
    print("append", n, flush=True)
    if n % 40 == 20:
        correct(load(path), f"gift-{n - 3}", "test")
        print("correct", n - 3, flush=True)
    if n % 50 == 25:
        seal(path, datetime.date(2024, 12, 31))
        print("seal", n, flush=True)
"""


def operations() -> list[str]:
    """The writes the child makes, in order, as it names them."""
    done: list[str] = []
    for n in range(200):
        done.append(f"append {n}")
        if n % 40 == 20:
            done.append(f"correct {n - 3}")
        if n % 50 == 25:
            done.append(f"seal {n}")
    return done


OPS = operations()

# Each write takes the lock (flock), writes the old text and the new entries
# to a temporary file (two writes), syncs it (fsync), renames it over the
# ledger (replace), syncs the folder (fsync) and lets go of the lock (flock).
# For the kth write: the function and which call of it starts each phase.
PHASES = {
    "before the lock": ("flock", lambda k: 2 * k - 1),
    "temporary file empty": ("write", lambda k: 2 * k - 1),
    "temporary file half written": ("write", lambda k: 2 * k),
    "temporary file not synced": ("fsync", lambda k: 2 * k - 1),
    "before the rename": ("replace", lambda k: k),
    "after the rename": ("fsync", lambda k: 2 * k),
    "before unlocking": ("flock", lambda k: 2 * k),
}


def survivor_holds_what_was_reported(main: Path, reported: list[str]) -> None:
    ids = ledger_ok(main)
    assert len(ids) == len(set(ids))
    held = set(ids)
    for line in reported:
        kind, number = line.split()
        if kind == "append":
            assert f"gift-{number}" in held
        elif kind == "correct":
            assert f"gift-{number}/reversal" in held
    seals = [line for line in reported if line.startswith("seal")]
    assert len(read_events(main).seals) >= len(seals)


def kill_runs() -> Iterator[tuple[str, str, int, int]]:
    """(phase, function, nth call, write number) for every phase and kind."""
    rng = random.Random(4)
    seal_k = OPS.index("seal 25") + 1
    correct_k = OPS.index("correct 17") + 1
    for phase, (function, nth) in PHASES.items():
        for k in (rng.randrange(1, len(OPS)), seal_k, correct_k):
            yield phase, function, nth(k), k


def test_a_writer_killed_in_every_phase_leaves_a_ledger_that_verifies(
    tmp_path: Path,
) -> None:
    hit: set[tuple[str, str]] = set()
    for number, (phase, function, nth, k) in enumerate(kill_runs()):
        main = write_ledger(tmp_path / f"run{number}", "")
        child = subprocess.run(
            [sys.executable, "-c", CHILD, str(main), function, str(nth)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert child.returncode == -signal.SIGKILL, child.stderr
        reported = child.stdout.split("\n")[:-1]
        # It died during write k: the writes before it were all reported.
        assert reported == OPS[: k - 1] or reported == OPS[:k], (phase, k)
        survivor_holds_what_was_reported(main, reported)
        hit.add((phase, OPS[k - 1].split()[0]))
    assert {kind for _, kind in hit} == {"append", "correct", "seal"}
    assert {phase for phase, _ in hit} == set(PHASES)


def test_a_writer_killed_at_random_moments_leaves_a_ledger_that_verifies(
    tmp_path: Path,
) -> None:
    rng = random.Random(11)
    main = write_ledger(tmp_path / "random", "")
    written = 0
    for _ in range(4):
        shutil.copy(main, main.with_suffix(".before"))
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(main), "-", "0"],
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(rng.uniform(0.8, 2.5))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        reported = out.split("\n")[:-1]
        survivor_holds_what_was_reported(main, reported)
        written += len(reported)
        main.write_text(OPENS)  # start the next round afresh
    assert written > 50  # the writers really got going


# Read-only and full disks.


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def read_only_copy(tmp_path: Path) -> Iterator[Path]:
    """A ledger on a read-only bind mount; skips where mounting is not allowed."""
    source, view = tmp_path / "source", tmp_path / "view"
    main = write_ledger(source)
    (source / "main.beancount.lock").touch()
    view.mkdir()
    if not _mount("--bind", str(source), str(view)):
        pytest.skip("mount --bind is not permitted here (needs root in a namespace)")
    try:
        if not _mount("-o", "remount,ro,bind", str(view)):
            pytest.skip("a read-only remount is not permitted here")
        yield view / main.name
    finally:
        subprocess.run(["umount", str(view)], check=False)


def test_a_read_only_disk_gives_a_clear_error_and_changes_nothing(
    read_only_copy: Path, tmp_path: Path
) -> None:
    before = read_only_copy.read_bytes()
    for args in (
        ("correct", read_only_copy, "gift-2", "--reason", "x"),
        ("seal", read_only_copy),
    ):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert (
            f"{read_only_copy}: could not append (cannot open lock file: Read-only"
            " file system); the file is unchanged." in result.output
        )
        assert read_only_copy.read_bytes() == before
    assert set(os.listdir(read_only_copy.parent)) == {
        "main.beancount",
        "main.beancount.lock",
    }


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A ledger on a 64 KiB tmpfs filled to the brim."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)):
        pytest.skip("mounting a tmpfs is not permitted here")
    try:
        main = write_ledger(disk)
        (disk / "main.beancount.lock").touch()
        with open(disk / "filler", "wb", buffering=0) as filler:
            try:
                while True:
                    filler.write(b"x" * 512)
            except OSError:
                pass
        yield main
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_a_full_disk_gives_a_clear_error_and_changes_nothing(full_disk: Path) -> None:
    before = full_disk.read_bytes()
    for args in (
        ("correct", full_disk, "gift-2", "--reason", "x"),
        ("seal", full_disk),
    ):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert (
            f"{full_disk}: could not append (No space left on device); the file"
            " is unchanged." in result.output
        )
        assert full_disk.read_bytes() == before
    leftovers = {p.name for p in full_disk.parent.iterdir()}
    assert leftovers == {"main.beancount", "main.beancount.lock", "filler"}


def test_a_file_size_limit_gives_a_clear_error_and_changes_nothing(
    tmp_path: Path,
) -> None:
    main = write_ledger(tmp_path)
    before = main.read_bytes()
    limit = len(before) + 100

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    cli = Path(sys.executable).parent / "wijkboekhouding"
    result = subprocess.run(
        [str(cli), "correct", str(main), "gift-2", "--reason", "x"],
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        check=False,
    )
    assert result.returncode == 1
    assert "could not append (File too large); the file is unchanged." in (
        result.stderr
    )
    assert main.read_bytes() == before
