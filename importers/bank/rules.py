"""Rules that give a bank line its other account, from counterparty or text.

A rules file is TOML; the first rule whose conditions all match wins::

    [[rule]]
    counterparty = "Gemeente Arnhem"        # regex on the counterparty name
    account = "Income:Subsidie:Gemeente"

    [[rule]]
    description = "(?i)contributie"         # regex on the description
    direction = "in"                        # "in" (credit) or "out" (debit)
    account = "Income:Contributies"
    area = "Boulevardwijk"                  # area of the other posting
    counterparty-area = "extern"            # optional, on the other posting

    [[rule]]
    iban = "NL20INGB0001234567"             # the counterparty's IBAN
    account = "Expenses:Groen:Plantgoed"

    [default]                               # lines no rule matches
    income = "Income:Te-verdelen"
    expenses = "Expenses:Te-verdelen"

Regexes are searched case-insensitively.  Lines that no rule matches go to
the default accounts with the ``!`` flag, so they stand out for review.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wijkboekhouding.engine.errors import WijkboekhoudingError
from wijkboekhouding.importers.bank.statement import BankLine, normalise_iban

DEFAULT_INCOME = "Income:Te-verdelen"
DEFAULT_EXPENSES = "Expenses:Te-verdelen"
_KEYS = (
    "counterparty",
    "description",
    "iban",
    "direction",
    "account",
    "area",
    "counterparty-area",
    "narration",
)


class RulesError(WijkboekhoudingError):
    """A rules file that cannot be used; the message says what to change."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")


@dataclass(frozen=True)
class Rule:
    """One rule: conditions on a line, and what the line then gets."""

    number: int
    account: str
    counterparty: re.Pattern[str] | None = None
    description: re.Pattern[str] | None = None
    iban: str | None = None
    direction: str | None = None
    area: str | None = None
    counterparty_area: str | None = None
    narration: str | None = None

    def matches(self, line: BankLine) -> bool:
        """Whether every condition of the rule holds for the line."""
        if self.counterparty and not self.counterparty.search(line.counterparty):
            return False
        if self.description and not self.description.search(line.description):
            return False
        if self.iban and self.iban != line.counterparty_iban:
            return False
        if self.direction == "in" and line.amount < 0:
            return False
        return not (self.direction == "out" and line.amount > 0)

    def describe(self) -> str:
        """How the rule is named in messages."""
        return f"rule {self.number} (account {self.account})"


@dataclass(frozen=True)
class Rules:
    """The rules of one file, with the accounts for lines no rule matches."""

    rules: tuple[Rule, ...] = ()
    income: str = DEFAULT_INCOME
    expenses: str = DEFAULT_EXPENSES
    path: str = "(no rules file)"

    def match(self, line: BankLine) -> Rule | None:
        """The first rule that matches the line, or None."""
        return next((rule for rule in self.rules if rule.matches(line)), None)

    def fallback(self, line: BankLine) -> str:
        """The account for a line that no rule matches."""
        return self.income if line.amount >= 0 else self.expenses


def load_rules(path: Path | None) -> Rules:
    """Read a rules file; without one every line goes to the default accounts.

    Raises:
      RulesError: the file is missing, not TOML, or a rule is malformed.
    """
    if path is None:
        return Rules()
    shown = str(path)
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RulesError(shown, "no such rules file") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RulesError(shown, f"is not valid TOML ({exc})") from exc
    unknown = set(document) - {"rule", "default"}
    if unknown:
        raise RulesError(shown, f"unknown key(s) {sorted(unknown)}; use [[rule]]")
    raw_rules = document.get("rule", [])
    if not isinstance(raw_rules, list):
        raise RulesError(shown, "write each rule as a [[rule]] table")
    rules = tuple(_rule(shown, n, raw) for n, raw in enumerate(raw_rules, 1))
    default = document.get("default", {})
    if not isinstance(default, dict) or set(default) - {"income", "expenses"}:
        raise RulesError(shown, "[default] takes income and expenses only")
    return Rules(
        rules,
        str(default.get("income", DEFAULT_INCOME)),
        str(default.get("expenses", DEFAULT_EXPENSES)),
        shown,
    )


def _rule(shown: str, number: int, raw: Any) -> Rule:
    where = f"rule {number}"
    if not isinstance(raw, dict):
        raise RulesError(shown, f"{where} must be a [[rule]] table")
    unknown = set(raw) - set(_KEYS)
    if unknown:
        raise RulesError(
            shown, f"{where}: unknown key(s) {sorted(unknown)}; use {', '.join(_KEYS)}"
        )
    if not all(isinstance(value, str) for value in raw.values()):
        raise RulesError(shown, f"{where}: every value must be text in quotes")
    if "account" not in raw:
        raise RulesError(shown, f'{where} names no account; add account = "..."')
    if not set(raw) & {"counterparty", "description", "iban"}:
        raise RulesError(
            shown, f"{where} has no condition; give counterparty, description or iban"
        )
    direction = raw.get("direction")
    if direction not in (None, "in", "out"):
        raise RulesError(shown, f'{where}: direction must be "in" or "out"')
    return Rule(
        number=number,
        account=raw["account"],
        counterparty=_regex(shown, where, raw.get("counterparty")),
        description=_regex(shown, where, raw.get("description")),
        iban=normalise_iban(raw["iban"]) if "iban" in raw else None,
        direction=direction,
        area=raw.get("area"),
        counterparty_area=raw.get("counterparty-area"),
        narration=raw.get("narration"),
    )


def _regex(shown: str, where: str, text: str | None) -> re.Pattern[str] | None:
    if text is None:
        return None
    try:
        return re.compile(text, re.IGNORECASE)
    except re.error as exc:
        raise RulesError(
            shown, f"{where}: bad regular expression {text!r} ({exc})"
        ) from exc
