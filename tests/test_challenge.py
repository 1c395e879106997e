"""`wijkboekhouding challenge`: the allocated budget beside a community plan."""

from __future__ import annotations

import json
from pathlib import Path

from iv3_support import budgeted_arnhem, invoke

PLAN = """\
2024-01-01 custom "hourly-rate" 16.00 EUR
  source: "Vrijwilligersvergoeding per uur, aanname werkgroep"
2024-01-01 open Expenses:Plan:Afvalbakken EUR
2024-01-01 open Expenses:Plan:Ophalen UUR
2024-01-01 open Assets:Plan:Kas EUR
2024-01-01 open Equity:Plan:Inzet UUR

2024-02-01 * "Containers voor gescheiden afval"
  Expenses:Plan:Afvalbakken   4000.00 EUR
  Assets:Plan:Kas
2024-03-01 * "Huur bakfiets"
  Expenses:Plan:Afvalbakken    250.50 EUR
  Assets:Plan:Kas
2024-12-31 * "Ophaalrondes door bewoners"
  Expenses:Plan:Ophalen          600 UUR
  Equity:Plan:Inzet
"""


def _challenge(main: Path, plan: Path, *extra: str) -> object:
    return invoke(
        "challenge", str(main), "--area", "BU02020211", "--taakveld", "7.3",
        "--plan", str(plan), *extra,
    )  # fmt: skip


def test_challenge_sets_the_afval_budget_beside_a_plan(tmp_path: Path) -> None:
    main = budgeted_arnhem(tmp_path / "arnhem")
    plan = tmp_path / "plan.beancount"
    plan.write_text(PLAN, encoding="utf-8")
    result = _challenge(main, plan, "--format", "json")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    found = json.loads(result.output)  # type: ignore[attr-defined]
    # Budget: Spijkerbuurt's share of Arnhem's 7.3 lasten, 652,463.19 EUR.
    # Plan: 4,000.00 + 250.50 = 4,250.50 EUR and 600 h x 16.00 = 9,600.00 EUR,
    # 13,850.50 EUR in all; difference 652,463.19 - 13,850.50 = 638,612.69.
    assert {k: found[k] for k in (
        "budget", "gemeente_budget", "plan_money", "plan_hours", "hourly_rate",
        "plan_hours_value", "plan_total", "difference", "year", "kind",
    )} == {
        "budget": "652463.19",
        "gemeente_budget": "22115000.00",
        "plan_money": "4250.50",
        "plan_hours": "600",
        "hourly_rate": "16.00",
        "plan_hours_value": "9600.00",
        "plan_total": "13850.50",
        "difference": "638612.69",
        "year": 2024,
        "kind": "begroting",
    }  # fmt: skip
    assert found["assumptions"][1] == (
        "share of BU02020211: 2.9503%, by allocation key 7.3 huishoudens"
        " (default: Waste is collected and the waste levy charged per household.)"
    )
    assert found["assumptions"][3] == (
        "volunteer hours valued at 16.00 EUR per hour (source:"
        " Vrijwilligersvergoeding per uur, aanname werkgroep)"
    )


def test_challenge_as_a_table(tmp_path: Path) -> None:
    main = budgeted_arnhem(tmp_path / "arnhem")
    plan = tmp_path / "plan.beancount"
    plan.write_text(PLAN, encoding="utf-8")
    result = _challenge(main, plan)
    lines = result.output.splitlines()  # type: ignore[attr-defined]
    assert lines[0] == "BU02020211 Spijkerbuurt, taakveld 7.3 Afval, begroting 2024"
    assert lines[1].split() == [
        "municipal",
        "budget",
        "in",
        "area",
        "(EUR)",
        "652463.19",
    ]
    assert lines[7].split()[-1] == "638612.69"


def test_hours_without_a_rate_are_refused(tmp_path: Path) -> None:
    main = budgeted_arnhem(tmp_path / "arnhem")
    plan = tmp_path / "plan.beancount"
    plan.write_text(PLAN.split("\n", 2)[2], encoding="utf-8")
    result = _challenge(main, plan)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert result.output == (  # type: ignore[attr-defined]
        f"Error: {plan}: the plan counts 600 volunteer hours but declares no"
        ' hourly rate; add `2024-01-01 custom "hourly-rate" 16.00 EUR` with a'
        " `source:` line\n"
    )


def test_a_rate_without_a_source_is_refused(tmp_path: Path) -> None:
    main = budgeted_arnhem(tmp_path / "arnhem")
    plan = tmp_path / "plan.beancount"
    plan.write_text(
        PLAN.replace(
            '  source: "Vrijwilligersvergoeding per uur, aanname werkgroep"\n', ""
        ),
        encoding="utf-8",
    )
    result = _challenge(main, plan)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert result.output.startswith(f"Error: {plan}:1: the hourly rate has no source")  # type: ignore[attr-defined]


def test_an_unknown_taakveld_is_refused(tmp_path: Path) -> None:
    main = budgeted_arnhem(tmp_path / "arnhem")
    result = invoke(
        "challenge", str(main), "--area", "BU02020211", "--taakveld", "5.8",
        "--plan", str(tmp_path / "none.beancount"),
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.output == (
        "Error: --taakveld: unknown taakveld '5.8'; use a code of the Iv3 scheme"
        " such as 7.3 or 6.71a (see docs/budgets.md for the list)\n"
    )
