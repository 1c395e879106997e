"""Run every benchmark: ``python -m bench`` from the repository root.

Each ``bench/bench_*.py`` is run as its own process (so that memory peaks
and imports do not leak between them) and prints its figures, with ratios
against plain Beancount measured in the same run.  ``--quick`` passes on to
each, for smaller sizes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    """Run the benchmarks named on the command line, or all of them."""
    folder = Path(__file__).parent
    wanted = [a for a in sys.argv[1:] if not a.startswith("-")]
    flags = [a for a in sys.argv[1:] if a.startswith("-")]
    failed = 0
    for script in sorted(folder.glob("bench_*.py")):
        if wanted and not any(name in script.stem for name in wanted):
            continue
        print(f"=== {script.stem} ===", flush=True)
        result = subprocess.run([sys.executable, str(script), *flags], check=False)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
