"""Time of ``verify`` against the plain Beancount load of the same ledger.

Usage: ``python bench/bench_verify.py [--quick]``.  It generates a ledger
(bench/generate.py, 100,000 transactions; 10,000 with ``--quick``), seals
all of it, then measures in this one run, each in a fresh subprocess:

- the plain Beancount load (``loader.load_file``) of the main file, which
  runs the areas plugin the file enables, and of the same data without it;
- ``verify``: parse every file, recompute the seal over every event, check
  ids and references (what ``wijkboekhouding verify`` does);
- the part of verify spent beyond parsing, i.e. on hashing and checks.

The goal: verify adds at most 25% to the load.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import write_ledger
from bench.probe import run_probe

PROBE = r"""
import json, sys, time
from beancount import loader
loader.initialize(use_cache=False)
path, mode = sys.argv[1], sys.argv[2]
result = {}
start = time.perf_counter()
if mode == "load":
    entries, errors, _ = loader.load_file(path)
    result["errors"] = len(errors)
elif mode == "seal":
    from wijkboekhouding.engine.seal import seal
    import datetime
    done = seal(path, datetime.date(2099, 12, 31))
    result["events"] = done.total_events
else:
    from wijkboekhouding.engine.seal import read_events
    from wijkboekhouding.engine.verify import check
    log = read_events(path)
    parsed = time.perf_counter()
    found = check(log)
    result["parse"] = parsed - start
    result["ok"] = found.ok
    result["events"] = found.events
result["seconds"] = time.perf_counter() - start
print(json.dumps(result))
"""


def measure(path: Path, mode: str) -> dict[str, float]:
    """Run the probe in a fresh interpreter and return its figures."""
    return run_probe(PROBE, path, mode)


def main() -> None:
    """Generate, seal, and time the load and verify of one ledger."""
    size = 10_000 if "--quick" in sys.argv else 100_000
    with tempfile.TemporaryDirectory() as folder:
        main_file = write_ledger(Path(folder) / "main.beancount", size)
        sealed = measure(main_file, "seal")
        plain = measure(main_file.parent / "plain.beancount", "load")
        load = measure(main_file, "load")
        found = measure(main_file, "verify")
    assert found["ok"], "the generated ledger does not verify"
    added = found["seconds"] - found["parse"]
    print(f"transactions: {size:,} ({found['events']:,.0f} events, all sealed)")
    print(f"  seal (once)                     {sealed['seconds']:8.2f} s")
    print(f"  plain beancount load, no plugin {plain['seconds']:8.2f} s")
    print(f"  beancount load of the same file {load['seconds']:8.2f} s")
    print(
        f"  verify                          {found['seconds']:8.2f} s"
        f"   (parsing {found['parse']:.2f} s, hashing and checks {added:.2f} s)"
    )
    print(
        f"  ratio verify/load               {found['seconds'] / load['seconds']:8.3f}"
        f"   verify/plain {found['seconds'] / plain['seconds']:.3f}"
        "   (goal: <= 1.25)"
    )
    print(
        f"  hashing and checks / load       {added / load['seconds']:8.1%}"
        "   (what verify adds to a parse)"
    )


if __name__ == "__main__":
    main()
