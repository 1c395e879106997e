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
    # Baten: the waste levy and other income, 25,078,000.00 EUR for Arnhem;
    # Spijkerbuurt's 2,515 of 85,245 households: 2,507,800,000 cents x 2,515
    # / 85,245 = 73,988,116.605 cents, which takes a leftover cent: 739,881.17.
    assert {k: found[k] for k in (
        "budget", "gemeente_budget", "baten", "gemeente_baten", "plan_money",
        "plan_hours", "hourly_rate", "plan_hours_value", "plan_total",
        "difference", "year", "kind",
    )} == {
        "budget": "652463.19",
        "gemeente_budget": "22115000.00",
        "baten": "739881.17",
        "gemeente_baten": "25078000.00",
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
    # The baten exceed the lasten: 739,881.17 - 652,463.19 = 87,417.98.
    assert found["assumptions"][2] == (
        "baten (income such as levies and fees) of taakveld 7.3 allocated to"
        " BU02020211: 739881.17 EUR of the gemeente's 25078000.00 EUR; the"
        " comparison uses the lasten only; here the baten exceed the lasten by"
        " 87417.98 EUR"
    )
    assert found["assumptions"][4] == (
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
    assert lines[2].split() == [
        "municipal",
        "baten",
        "in",
        "area",
        "(EUR)",
        "739881.17",
    ]
    assert lines[8].split()[-1] == "638612.69"


def test_a_taakveld_kept_at_gemeente_level_has_no_share(tmp_path: Path) -> None:
    main = budgeted_arnhem(tmp_path / "arnhem")
    plan = tmp_path / "plan.beancount"
    plan.write_text(PLAN, encoding="utf-8")
    result = invoke(
        "challenge", str(main), "--area", "BU02020211", "--taakveld", "0.5",
        "--plan", str(plan), "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    # Treasury (key none): lasten -2,285,000.00 and baten 2,555,000.00 EUR
    # stay whole at GM0202, so the buurt's share of both is nothing.
    assert (found["budget"], found["gemeente_budget"]) == ("0.00", "-2285000.00")
    assert (found["baten"], found["gemeente_baten"]) == ("0.00", "2555000.00")
    assert found["assumptions"][1] == (
        "share of BU02020211: not allocated, by allocation key 0.5 none"
        " (default: Interest and financing belong to the whole organisation,"
        " not to a place.)"
    )
    assert found["assumptions"][2] == (
        "baten (income such as levies and fees) of taakveld 0.5 allocated to"
        " BU02020211: 0.00 EUR of the gemeente's 2555000.00 EUR; the comparison"
        " uses the lasten only"
    )


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
