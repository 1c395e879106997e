"""Reports blank the figures of areas with too few inhabitants, and say so."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from wijkboekhouding.engine.cli import cli


def report(ledger: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["report", str(ledger), *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_buurt_below_the_minimum_keeps_its_row_but_not_its_figures(
    demo_ledger: Path,
) -> None:
    code, out, err = report(
        demo_ledger,
        "--level",
        "buurt",
        "--by",
        "flows",
        "--period",
        "2024",
        "--min-inhabitants",
        "2000",
        "--format",
        "csv",
    )
    assert code == 0
    assert out.splitlines() == [
        "area,name,unit,inflow,outflow,internal,net,local_share,inhabitants,"
        "net_per_inhabitant",
        # Hommelstraat has 1,450 inhabitants: every figure is left out.
        "BU02020210,Hommelstraat,EUR,,,,,,,",
        "BU02020211,Spijkerbuurt,EUR,4315.00,2428.55,0.00,1886.45,0.0000,3390,0.56",
        "BU02020212,Boulevardwijk,EUR,315.00,315.00,0.00,0.00,,2045,0.00",
    ]
    assert err == (
        "note: suppressed the figures of 1 area(s) with fewer than 2000"
        " inhabitants or none observed: BU02020210\n"
    )


def test_an_area_without_an_inhabitants_figure_is_suppressed(demo_ledger: Path) -> None:
    code, out, err = report(
        demo_ledger, "--level", "straat", "--min-inhabitants", "10", "--format", "csv"
    )
    assert code == 0
    assert out.splitlines() == [
        "area,name,key,unit,amount",
        "spijkerstraat,Spijkerstraat,Expenses,UUR,",
        "spijkerstraat,Spijkerstraat,Income,UUR,",
    ]
    assert "spijkerstraat" in err


def test_without_a_minimum_nothing_is_suppressed(demo_ledger: Path) -> None:
    code, out, err = report(demo_ledger, "--level", "straat", "--format", "csv")
    assert code == 0
    assert out.splitlines()[1:] == [
        "spijkerstraat,Spijkerstraat,Expenses,UUR,12",
        "spijkerstraat,Spijkerstraat,Income,UUR,-12",
    ]
    assert err == ""
