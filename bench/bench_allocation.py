"""Cost of the allocation plugin against plain Beancount.

Usage: ``python bench/bench_allocation.py [--quick]``.  Builds a gemeente
with N buurten, the observations of the default keys per buurt, and its
begroting of 61 taakvelden (Arnhem's 2024 figures from the bundled Iv3 file), then
measures in fresh subprocesses, in this one run:

- plain Beancount: the same files without our plugins (baseline);
- with the areas plugin;
- with the areas and the allocation plugins, and the ratios of the three;
- plain Beancount loading the allocated entries written out as text (the
  same postings without the plugin), and the ratio to it.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.probe import run_probe

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "importers" / "iv3" / "data" / "iv3_2024_begroting.csv"

# The observations the default allocation keys name.
OBSERVATIONS = (
    "inwoners",
    "huishoudens",
    "woningen",
    "bedrijfsvestigingen",
    "personenautos",
    "oppervlakte-land",
)

PROBE = r"""
import json, sys, time
from beancount import loader
loader.initialize(use_cache=False)
path, repeat = sys.argv[1], int(sys.argv[2])
best = None
for _ in range(repeat):
    start = time.perf_counter()
    entries, errors, options = loader.load_file(path)
    elapsed = time.perf_counter() - start
    best = elapsed if best is None else min(best, elapsed)
postings = sum(len(getattr(e, "postings", ())) for e in entries)
print(json.dumps({"load": best, "errors": len(errors), "postings": postings}))
"""

HEADER = """\
option "operating_currency" "EUR"
{plugins}
include "areas.beancount"
include "budget.beancount"
2017-01-01 commodity EUR
  value-type: "financieel"
"""


def write_gemeente(folder: Path, buurten: int) -> None:
    """Areas, households and the begroting of one gemeente with N buurten."""
    rng = random.Random(0)
    lines = ['2024-01-01 custom "area" "GM0202" "Arnhem"\n  level: "gemeente"']
    for name in OBSERVATIONS:
        lines.append(f'2024-01-01 custom "observation-rule" "{name}" "sum"')
    for w in range(buurten // 10 + 1):
        lines.append(
            f'2024-01-01 custom "area" "WK0202{w:02d}" "Wijk {w}"\n'
            '  level: "wijk"\n  parent: "GM0202"'
        )
    for b in range(buurten):
        code = f"BU0202{b // 10:02d}{b % 10:02d}"
        lines.append(
            f'2024-01-01 custom "area" "{code}" "Buurt {b}"\n'
            f'  level: "buurt"\n  parent: "WK0202{b // 10:02d}"'
        )
        lines.extend(
            f'2024-01-01 custom "observation" "{code}" "{name}" {rng.randint(0, 3000)}'
            for name in OBSERVATIONS
        )
    (folder / "areas.beancount").write_text("\n".join(lines) + "\n")
    (folder / "budget.beancount").write_text("")
    for name, plugins in (
        ("plain.beancount", ""),
        ("areas.main.beancount", 'plugin "wijkboekhouding.plugins.areas"'),
        (
            "main.beancount",
            'plugin "wijkboekhouding.plugins.areas"\n'
            'plugin "wijkboekhouding.plugins.allocation"',
        ),
    ):
        (folder / name).write_text(HEADER.format(plugins=plugins))
    subprocess.run(
        [
            str(Path(sys.executable).parent / "wijkboekhouding"),
            "import",
            "iv3",
            str(folder / "areas.main.beancount"),
            "--gemeente",
            "GM0202",
            "--year",
            "2024",
            "--kind",
            "begroting",
            "--from",
            str(BUNDLED),
            "--journal",
            str(folder / "budget.beancount"),
        ],
        check=True,
        capture_output=True,
    )


def write_expanded(folder: Path) -> Path:
    """The allocated entries written out as text: plain Beancount's equal task."""
    from beancount import loader
    from beancount.parser import printer

    entries, errors, _ = loader.load_file(str(folder / "main.beancount"))
    assert not errors, errors
    target = folder / "expanded.beancount"
    with target.open("w", encoding="utf-8") as handle:
        handle.write('option "operating_currency" "EUR"\n')
        printer.print_entries(entries, file=handle)
    return target


def measure(path: Path, repeat: int) -> dict[str, float]:
    """Load a file in a fresh interpreter; return the best time and counts."""
    return run_probe(PROBE, path, repeat)


def main() -> None:
    """Measure each size and print one block of figures per size."""
    quick = "--quick" in sys.argv
    sizes = [100] if quick else [100, 990]
    repeat = 1 if quick else 3
    with tempfile.TemporaryDirectory() as name:
        for size in sizes:
            folder = Path(name) / f"g{size}"
            folder.mkdir()
            write_gemeente(folder, size)
            plain = measure(folder / "plain.beancount", repeat)
            areas = measure(folder / "areas.main.beancount", repeat)
            ours = measure(folder / "main.beancount", repeat)
            expanded = measure(write_expanded(folder), repeat)
            print(f"buurten: {size:,}, 61 taakvelden")
            print(f"  plain beancount load: {plain['load']:.3f} s")
            print(
                f"  with areas plugin:    {areas['load']:.3f} s"
                f" ({areas['load'] / plain['load']:.2f}x plain)"
            )
            print(
                f"  with allocation:      {ours['load']:.3f} s"
                f" ({ours['load'] / plain['load']:.2f}x plain,"
                f" {ours['load'] / areas['load']:.2f}x areas only),"
                f" {int(ours['postings']):,} postings after allocation,"
                f" {int(ours['errors'])} errors"
            )
            print(
                f"  plain load of the allocated entries written out:"
                f" {expanded['load']:.3f} s (allocation"
                f" {ours['load'] / expanded['load']:.2f}x that)"
            )


if __name__ == "__main__":
    main()
