"""Load time of our plugins against plain Beancount, projection build, memory.

Usage: ``python bench/bench_load.py [--quick]``.  For each size it generates
a ledger (bench/generate.py), then measures in this one run, in fresh
subprocesses so that nothing is shared:

- the plain Beancount load of the file without our plugin (baseline);
- the load with the areas plugin, and the ratio of the two (each the
  fastest of three fresh processes, plain and ours taking turns), and the
  time Beancount reports for the plugin step itself;
- building the postings table and the flows of every wijk;
- peak memory (max RSS) of each process.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import write_ledger
from bench.probe import run_probe

PROBE = r"""
import json, resource, sys, time
from beancount import loader
loader.initialize(use_cache=False)
path, mode = sys.argv[1], sys.argv[2]
timings = []
start = time.perf_counter()
entries, errors, options = loader.load_file(path, log_timings=timings.append)
result = {"load": time.perf_counter() - start, "errors": len(errors)}
plugin = [t for t in timings if "wijkboekhouding.plugins.areas" in t]
if plugin:
    result["plugin"] = float(plugin[0].split("Time:")[1].split("ms")[0]) / 1000
if mode == "project":
    from wijkboekhouding.engine.areas import AreaRegistry
    from wijkboekhouding.engine.postings import postings_frame
    from wijkboekhouding.engine.projection import flows_by_area
    start = time.perf_counter()
    frame = postings_frame(entries)
    result["frame"] = time.perf_counter() - start
    registry, _ = AreaRegistry.from_entries(entries)
    start = time.perf_counter()
    flows = flows_by_area(frame, registry, "wijk")
    result["flows"] = time.perf_counter() - start
    result["rows"] = len(frame)
    result["flow_areas"] = len(flows)
result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
"""


def measure(path: Path, mode: str) -> dict[str, float]:
    """Run the probe in a fresh interpreter and return its figures."""
    return run_probe(PROBE, path, mode)


def best_of(rounds: int, main_file: Path) -> tuple[dict[str, float], dict[str, float]]:
    """Plain and plugin loads, interleaved, each the fastest of ``rounds``.

    Interleaving spreads any slow spell of the machine over both sides.
    """
    plain: dict[str, float] = {}
    ours: dict[str, float] = {}
    for _ in range(rounds):
        for best, path in (
            (plain, main_file.parent / "plain.beancount"),
            (ours, main_file),
        ):
            figures = measure(path, "load")
            if not best or figures["load"] < best["load"]:
                best.update(figures)
    return plain, ours


def main() -> None:
    """Measure each size and print one block of figures per size."""
    quick = "--quick" in sys.argv
    sizes = [2_000, 10_000] if quick else [10_000, 100_000]
    rounds = 1 if quick else 3
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            main_file = write_ledger(Path(folder) / f"l{size}" / "main.beancount", size)
            plain, ours = best_of(rounds, main_file)
            project = measure(main_file, "project")
            overhead = ours["load"] / plain["load"] - 1
            print(f"transactions: {size:,} (14,000 buurten)")
            print(
                f"  plain beancount load   {plain['load']:8.2f} s"
                f"   peak {plain['rss_mb']:7.0f} MB"
            )
            print(
                f"  load with our plugins  {ours['load']:8.2f} s"
                f"   peak {ours['rss_mb']:7.0f} MB   errors {ours['errors']:.0f}"
            )
            print(
                f"  ratio ours/plain       {ours['load'] / plain['load']:8.3f}"
                f"   plugin overhead {overhead:+.1%} (goal <= +10% at 100k)"
            )
            print(
                f"  inside the plugin      {ours['plugin']:8.2f} s"
                f"   {ours['plugin'] / plain['load']:.1%} of the plain load"
                " (Beancount's own timing of the plugin step)"
            )
            print(
                f"  postings table         {project['frame']:8.2f} s"
                f"   ({project['rows']:,.0f} postings)"
            )
            print(
                f"  flows of every wijk    {project['flows']:8.2f} s"
                f"   ({project['flow_areas']:,.0f} wijken)"
                f"   peak {project['rss_mb']:7.0f} MB"
            )
            sys.stdout.flush()


if __name__ == "__main__":
    main()
