"""Appending to the journal: idempotent, atomic under SIGKILL, safe in parallel."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from beancount import loader
from beancount.core import data
from beancount.parser import parser

from wijkboekhouding.engine.errors import JournalWriteError
from wijkboekhouding.engine.journal import append, ids_in_file

HEAD = """\
2024-01-01 open Assets:Kas EUR
2024-01-01 open Equity:Opening EUR
"""


def gift(number: int) -> data.Transaction:
    """A small transaction with a stable id."""
    entries, errors, _ = parser.parse_string(
        f'2024-03-01 * "Gift {number}"\n'
        f'  id: "gift-{number}"\n'
        f"  Assets:Kas   {number}.00 EUR\n"
        "  Equity:Opening\n"
    )
    assert errors == []
    txn: data.Transaction = entries[0]
    return txn


def parsed_ids(path: Path) -> list[str]:
    entries, errors, _ = parser.parse_file(str(path))
    assert errors == [], errors
    return [str(e.meta["id"]) for e in entries if "id" in e.meta]


def test_appending_the_same_entries_twice_writes_them_once(tmp_path: Path) -> None:
    path = tmp_path / "journal.beancount"
    path.write_text(HEAD)
    first = append(path, [gift(1), gift(2)], recorded="2024-03-02T10:00:00.000000Z")
    after_first = path.read_bytes()
    second = append(path, [gift(1), gift(2)])
    assert first.written == ("gift-1", "gift-2")
    assert second.written == () and second.skipped == ("gift-1", "gift-2")
    assert path.read_bytes() == after_first
    assert after_first.decode() == HEAD + (
        '\n2024-03-01 * "Gift 1"\n'
        '  id: "gift-1"\n'
        '  recorded: "2024-03-02T10:00:00.000000Z"\n'
        "  Assets:Kas      1.00 EUR\n"
        "  Equity:Opening\n"
        '\n2024-03-01 * "Gift 2"\n'
        '  id: "gift-2"\n'
        '  recorded: "2024-03-02T10:00:00.000000Z"\n'
        "  Assets:Kas      2.00 EUR\n"
        "  Equity:Opening\n"
    )
    entries, errors, _ = loader.load_file(str(path))
    assert errors == []
    assert len([e for e in entries if isinstance(e, data.Transaction)]) == 2


def test_ids_known_elsewhere_in_the_ledger_are_not_written(tmp_path: Path) -> None:
    path = tmp_path / "journal.beancount"
    result = append(path, [gift(1), gift(2)], known_ids={"gift-2"})
    assert result.written == ("gift-1",)
    assert parsed_ids(path) == ["gift-1"]


WRITER = r"""
import sys
from beancount.parser import parser
from wijkboekhouding.engine.journal import append
path, start, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for n in range(start, start + count):
    entries, _, _ = parser.parse_string(
        f'2024-03-01 * "Gift {n}"\n  id: "gift-{n}"\n'
        f'  Assets:Kas   {n}.00 EUR\n  Equity:Opening\n'
    )
    append(path, entries)
    print(n, flush=True)
"""


def test_a_writer_killed_at_any_moment_leaves_a_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "journal.beancount"
    path.write_text(HEAD)
    rng = random.Random(7)
    written: list[int] = []
    unreported: set[int] = set()  # written, but killed before it could say so
    for round_number in range(12):
        start = round_number * 1000
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(start), "400"],
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(rng.uniform(0.3, 1.2))
        os.kill(child.pid, signal.SIGKILL)
        out, _ = child.communicate()
        reported = [int(line) for line in out.split()]
        written.extend(reported)

        # The file parses, and holds every entry reported as written, in order.
        ids = parsed_ids(path)
        assert len(ids) == len(set(ids))
        held = {int(i.split("-")[1]) for i in ids}
        assert set(written) <= held
        unreported.add(start + len(reported))
        assert held - set(written) <= unreported
    assert len(written) > 100  # the writers really got going


def test_two_processes_appending_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "journal.beancount"
    path.write_text(HEAD)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(start), "60"],
            stdout=subprocess.DEVNULL,
        )
        for start in (0, 1000)
    ]
    assert [w.wait() for w in writers] == [0, 0]
    ids = parsed_ids(path)
    assert sorted(ids) == sorted(
        [f"gift-{n}" for n in range(60)] + [f"gift-{n}" for n in range(1000, 1060)]
    )
    assert ids_in_file(path) == set(ids)


def test_appending_through_a_symbolic_link_writes_the_file_it_points_at(
    tmp_path: Path,
) -> None:
    real = tmp_path / "real" / "main.beancount"
    real.parent.mkdir()
    real.write_text(HEAD, encoding="utf-8")
    link = tmp_path / "main.beancount"
    link.symlink_to(real)

    append(link, [gift(1)])

    assert link.is_symlink()
    assert parsed_ids(real) == ["gift-1"]
    # Writers through the link and through the real path share one lock file.
    assert not (tmp_path / "main.beancount.lock").exists()
    assert (real.parent / "main.beancount.lock").exists()


def test_a_read_only_file_is_refused_even_for_root(tmp_path: Path) -> None:
    path = tmp_path / "main.beancount"
    path.write_text(HEAD, encoding="utf-8")
    path.chmod(0o444)

    try:
        append(path, [gift(1)])
    except JournalWriteError as exc:
        assert "read-only" in str(exc)
    else:
        raise AssertionError("a read-only ledger was written")
    assert path.read_text(encoding="utf-8") == HEAD
    assert path.stat().st_mode & 0o777 == 0o444
