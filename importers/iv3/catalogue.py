"""The Iv3 taakvelden, the covered gemeenten and the CBS table of each year.

The taakveld list is the one CBS uses for the 2024 reports (with the
sub-taakvelden of the sociaal domein such as 6.71a); each taakveld has the
name CBS gives it and a short account name.  Both tables ship in ``data/``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

# CBS tables "Iv3 gemeenten" on dataderden.cbs.nl, by year.  Limitation: these
# ids come from third-party code and were not checked against CBS; pass
# --table to use another id.
TABLES: Final = {2023: "45063NED", 2024: "45067NED", 2025: "45071NED", 2026: "45078NED"}

# Verslagsoort key suffix of each kind of report: 2024X000 is the begroting.
KINDS: Final = {"begroting": "X000", "jaarrekening": "X005"}

# The hoofdtaakvelden (the digit before the dot) and their account names.
HOOFDTAAKVELDEN: Final = {
    "0": ("Bestuur en ondersteuning", "0-Bestuur-en-ondersteuning"),
    "1": ("Veiligheid", "1-Veiligheid"),
    "2": ("Verkeer, vervoer en waterstaat", "2-Verkeer-vervoer-en-waterstaat"),
    "3": ("Economie", "3-Economie"),
    "4": ("Onderwijs", "4-Onderwijs"),
    "5": ("Sport, cultuur en recreatie", "5-Sport-cultuur-en-recreatie"),
    "6": ("Sociaal domein", "6-Sociaal-domein"),
    "7": ("Volksgezondheid en milieu", "7-Volksgezondheid-en-milieu"),
    "8": (
        "Volkshuisvesting, ruimtelijke ordening en stedelijke vernieuwing",
        "8-Volkshuisvesting-en-ruimtelijke-ordening",
    ),
}

_CODE = re.compile(r"^(\d)\.(\d+)([a-z]?)$")


@dataclass(frozen=True)
class Taakveld:
    """One taakveld of the Iv3 scheme."""

    code: str
    name: str
    account_name: str

    @property
    def hoofdtaakveld(self) -> str:
        """The digit of the hoofdtaakveld, e.g. ``"7"`` for 7.3."""
        return self.code.split(".", 1)[0]

    def account(self, root: str, kind: str) -> str:
        """The account, e.g. Expenses:Publiek:Begroting:7-...:7-3-Afval."""
        group = HOOFDTAAKVELDEN[self.hoofdtaakveld][1]
        return f"{root}:Publiek:{kind.capitalize()}:{group}:{self.account_name}"


def scheme(year: int) -> str:
    """The name of the taakveld list of a year, written on entries as ``iv3-scheme``.

    It names the list of taakvelden that CBS's Iv3 table of that year uses,
    so that a later change of the scheme shows in the ledger.
    """
    return f"iv3-{year}"


def _data_text(name: str) -> str:
    return resources.files(__package__).joinpath("data", name).read_text("utf-8")


@cache
def taakvelden() -> dict[str, Taakveld]:
    """Every taakveld of the scheme by code, in the order of the scheme."""
    rows = csv.DictReader(io.StringIO(_data_text("taakvelden.csv")), delimiter=";")
    return {
        row["code"]: Taakveld(row["code"], row["name"], row["account"]) for row in rows
    }


@cache
def gemeenten() -> dict[str, str]:
    """The covered gemeenten: code to name, as CBS names them."""
    rows = csv.DictReader(io.StringIO(_data_text("gemeenten.csv")), delimiter=";")
    return {row["code"]: row["name"] for row in rows}


def code_of(label: str) -> str:
    """The taakveld code at the start of a CBS label such as ``7.3 Afval``."""
    return label.strip().split(" ", 1)[0]


def is_taakveld_pattern(code: str) -> bool:
    """Whether an allocation key may name this: a taakveld, a group or ``*``."""
    if code == "*" or code in HOOFDTAAKVELDEN or code in taakvelden():
        return True
    return any(c[-1].isalpha() and c[:-1] == code for c in taakvelden())


def key_candidates(code: str) -> list[str]:
    """Codes to look an allocation key up by, the most specific first.

    6.71a is looked up as 6.71a, then 6.71, then the hoofdtaakveld 6, then ``*``.
    """
    found = [code]
    match = _CODE.match(code)
    if match and match.group(3):
        found.append(f"{match.group(1)}.{match.group(2)}")
    if match:
        found.append(match.group(1))
    found.append("*")
    return found
