"""Synthetic ledgers for the benchmarks.

``write_ledger(path, transactions)`` writes, next to ``path``:

- ``areas.beancount``: a national-sized area tree (gemeenten, wijken and
  about 14,000 buurten) with official-looking codes;
- ``data.beancount``: commodities, accounts and the transactions, each of 2
  or 3 postings with ``area`` on every posting and a counterparty area on
  some expenses;
- ``path`` itself: the main file with the areas plugin, including both;
- ``plain.beancount``: the same includes without our plugin, the baseline.

The same seed gives the same files.
"""

from __future__ import annotations

import datetime
import random
from pathlib import Path

EXPENSES = ("Groen", "Zorg", "Energie", "Wonen", "Afval", "Cultuur", "Mobiliteit")
INCOME = ("Loon", "Uitkering", "Subsidie", "Verkoop")


def area_codes(buurten: int) -> tuple[list[str], list[str], list[str], str]:
    """The codes of gemeenten, wijken and buurten, and their declarations."""
    gemeenten: list[str] = []
    wijken: list[str] = []
    codes: list[str] = []
    lines: list[str] = []
    per_wijk, per_gemeente = 5, 9
    n_wijken = max(1, buurten // per_wijk)
    for w in range(n_wijken):
        g = w // per_gemeente
        gm = f"GM{g + 1:04d}"
        if not gemeenten or gemeenten[-1] != gm:
            gemeenten.append(gm)
            lines.append(
                f'2020-01-01 custom "area" "{gm}" "Gemeente {g + 1}"\n'
                '  level: "gemeente"\n'
            )
        wk = f"WK{g + 1:04d}{w % per_gemeente:02d}"
        wijken.append(wk)
        lines.append(
            f'2020-01-01 custom "area" "{wk}" "Wijk {w + 1}"\n'
            f'  level: "wijk"\n  parent: "{gm}"\n'
        )
        for b in range(per_wijk):
            bu = f"BU{wk[2:]}{b:02d}"
            codes.append(bu)
            lines.append(
                f'2020-01-01 custom "area" "{bu}" "Buurt {len(codes)}"\n'
                f'  level: "buurt"\n  parent: "{wk}"\n'
            )
    return gemeenten, wijken, codes, "\n".join(lines)


def _transaction(rng: random.Random, number: int, buurten: list[str]) -> str:
    day = datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randrange(730))
    here = rng.choice(buurten)
    amount = f"{rng.randrange(100, 500000) / 100:.2f}"
    kind = rng.random()
    head = f'{day} * "Payee {number % 997}" "Flow {number}"\n  id: "gen-{number}"\n'
    if kind < 0.5:
        theme = rng.choice(EXPENSES)
        there = rng.choice(buurten)
        return (
            head
            + f"  Expenses:{theme}  {amount} EUR\n"
            + f'    area: "{here}"\n    counterparty-area: "{there}"\n'
            + f"  Assets:Huishoudens:Bank  -{amount} EUR\n"
            + f'    area: "{here}"\n'
        )
    if kind < 0.8:
        source = rng.choice(INCOME)
        return (
            head
            + f"  Assets:Huishoudens:Bank  {amount} EUR\n"
            + f'    area: "{here}"\n'
            + f"  Income:{source}  -{amount} EUR\n"
            + f'    area: "{here}"\n'
        )
    other = rng.choice(buurten)
    half = f"{float(amount) / 2:.2f}"
    rest = f"{float(amount) - float(half):.2f}"
    return (
        head
        + f"  Expenses:{rng.choice(EXPENSES)}  {half} EUR\n"
        + f'    area: "{other}"\n'
        + f"  Expenses:{rng.choice(EXPENSES)}  {rest} EUR\n"
        + f'    area: "{here}"\n'
        + f"  Assets:Vereniging:Bank  -{amount} EUR\n"
        + f'    area: "{here}"\n'
    )


def write_ledger(
    path: Path, transactions: int, buurten: int = 14000, seed: int = 0
) -> Path:
    """Write a synthetic ledger of ``transactions`` transactions; return ``path``."""
    rng = random.Random(seed)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    _, _, codes, declarations = area_codes(buurten)
    (folder / "areas.beancount").write_text(declarations, encoding="utf-8")

    accounts = [f"Expenses:{t}" for t in EXPENSES] + [f"Income:{s}" for s in INCOME]
    accounts += ["Assets:Huishoudens:Bank", "Assets:Vereniging:Bank"]
    header = ['2020-01-01 commodity EUR\n  value-type: "financieel"\n']
    header += [f"2020-01-01 open {account} EUR\n" for account in accounts]
    body = [_transaction(rng, n, codes) for n in range(transactions)]
    (folder / "data.beancount").write_text("\n".join(header + body), encoding="utf-8")

    includes = 'include "areas.beancount"\ninclude "data.beancount"\n'
    path.write_text('plugin "wijkboekhouding.plugins.areas"\n' + includes, "utf-8")
    (folder / "plain.beancount").write_text(includes, encoding="utf-8")
    return path
