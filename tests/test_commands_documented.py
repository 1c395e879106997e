"""Every command is documented in the README and exercised by a test.

The same door serves the bundled commands and those a municipality adds,
so a command that slips in without a test or a line of documentation is
caught here rather than by a user.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from wijkboekhouding.engine.cli import cli

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
TESTS = {
    path.name: path.read_text(encoding="utf-8")
    for path in (REPO / "tests").glob("test_*.py")
    if path.name != Path(__file__).name
}


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[str]:
    paths = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            paths += command_paths(command, (*prefix, name))
        else:
            paths.append(" ".join((*prefix, name)))
    return paths


COMMANDS = command_paths(cli)


def test_the_bundled_commands_are_all_registered() -> None:
    assert COMMANDS == [
        "areas",
        "challenge",
        "check",
        "correct",
        "download cbs",
        "export",
        "history",
        "import bank",
        "import cbs",
        "import iv3",
        "import table",
        "new",
        "report",
        "seal",
        "serve",
        "verify",
    ]


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_is_in_the_readme(command: str) -> None:
    *_, name = command.split()
    assert re.search(rf"`(\w+ )?{name}\b", README), f"{command} is not in README.md"


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_is_run_by_a_test(command: str) -> None:
    words = command.split()
    quoted = re.compile(r",\s*".join(f'"{word}"' for word in words))
    spaced = " ".join(words)
    found = [
        name
        for name, text in TESTS.items()
        if quoted.search(text) or f"wijkboekhouding {spaced}" in text
    ]
    assert found, f"no test runs `wijkboekhouding {spaced}`"


def test_every_guide_the_readme_links_exists() -> None:
    links = re.findall(r"\]\((docs/[^)]+)\)", README)
    assert links
    assert [link for link in links if not (REPO / link).is_file()] == []
