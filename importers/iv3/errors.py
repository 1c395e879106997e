"""Failures of the Iv3 importer's and the challenge command's own inputs."""

from __future__ import annotations

from wijkboekhouding.engine.errors import WijkboekhoudingError


class Iv3FileError(WijkboekhoudingError):
    """An Iv3 CSV file that cannot be read or lacks a column."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(
            f"{path}: {reason}; give a `;`-separated Iv3 file with the columns"
            " Gemeenten;Taakveld;Baten;Lasten (amounts x EUR 1,000)"
        )


class UnknownTaakveld(WijkboekhoudingError):
    """A taakveld code that the Iv3 scheme does not have."""

    def __init__(self, where: str, value: str) -> None:
        super().__init__(
            f"{where}: unknown taakveld {value!r}; use a code of the Iv3 scheme"
            " such as 7.3 or 6.71a (see docs/budgets.md for the list)"
        )


class BadAmount(WijkboekhoudingError):
    """An amount in an Iv3 file that is not a number."""

    def __init__(self, where: str, column: str, value: str) -> None:
        super().__init__(
            f"{where}: column {column} holds {value!r}, not a number;"
            " correct the file (amounts are x EUR 1,000, with a dot for decimals)"
        )


class GemeenteNotInFile(WijkboekhoudingError):
    """The requested gemeente has no rows in the Iv3 source."""

    def __init__(self, where: str, code: str, name: str | None) -> None:
        label = f"{code} ({name})" if name else code
        super().__init__(
            f"{where}: no rows for gemeente {label}; check --gemeente and --year,"
            " or give a file that holds this gemeente with --from"
        )


class UnknownGemeente(WijkboekhoudingError):
    """A gemeente code whose name the bundled table does not know."""

    def __init__(self, code: str, known: list[str]) -> None:
        super().__init__(
            f"gemeente {code!r} is not in the bundled name table (it knows"
            f" {', '.join(known)}); an Iv3 file names gemeenten by name, so"
            " pass --name with the name the file uses"
        )


class BadGemeenteCode(WijkboekhoudingError):
    """A --gemeente value that is not a CBS gemeente code."""

    def __init__(self, value: str) -> None:
        super().__init__(
            f"--gemeente {value!r} is not a gemeente code; use GM and four"
            " digits, e.g. GM0202"
        )


class GemeenteNotDeclared(WijkboekhoudingError):
    """The ledger does not declare the gemeente the entries would sit in."""

    def __init__(self, ledger: str, code: str) -> None:
        super().__init__(
            f"{ledger}: the ledger declares no area {code}; declare it first"
            f' (custom "area" "{code}" "Name" with level: "gemeente") or import'
            " the CBS areas with `wijkboekhouding import cbs`"
        )


class CatalogError(WijkboekhoudingError):
    """The CBS catalog could not be reached or answered in an unknown shape."""

    def __init__(self, table: str, reason: str) -> None:
        super().__init__(
            f"CBS table {table}: {reason}; check the network and the table id"
            " (--table), or import from a file with --from"
        )


class CatalogTimeout(WijkboekhoudingError):
    """The CBS catalog accepted the request but gave no answer in time."""

    def __init__(self, table: str, host: str, seconds: float) -> None:
        super().__init__(
            f"CBS table {table}: {host} gave no answer within {seconds:g} s;"
            " the ledger is unchanged. Try again later or with a longer"
            " --timeout, or import from a file with --from"
        )


class PlanError(WijkboekhoudingError):
    """A plan file for ``challenge`` that cannot be used."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
