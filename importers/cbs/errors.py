"""The failures of the CBS importer's inputs, one class each.

Every message names the table and says what to do; the CLI prints it as one
line and exits non-zero, and the ledger is left unchanged.
"""

from __future__ import annotations

from wijkboekhouding.engine.errors import WijkboekhoudingError


class CbsError(WijkboekhoudingError):
    """Base of the CBS importer's input failures."""


class CbsUnavailable(CbsError):
    """The CBS server did not answer, timed out or answered with an error."""

    def __init__(self, table: str, host: str, reason: str) -> None:
        super().__init__(
            f"table {table}: downloading from {host} failed ({reason}); the ledger"
            " is unchanged. Try again later, check --catalog-url, or import a"
            " snapshot with --from DIR"
        )


class CbsTableNotFound(CbsError):
    """The server does not know the table id."""

    def __init__(self, table: str, host: str) -> None:
        super().__init__(
            f"table {table}: {host} has no such table; check the id (the"
            " Kerncijfers wijken en buurten 2024 table is 85984NED)"
        )


class CbsBadAnswer(CbsError):
    """The server answered, but not with the JSON a CBS OData v3 feed sends."""

    def __init__(self, table: str, host: str, what: str) -> None:
        super().__init__(
            f"table {table}: {host} sent an answer that is not CBS OData JSON"
            f" ({what}); the ledger is unchanged. Check --catalog-url or try again"
        )


class NotKerncijfers(CbsError):
    """The table is not a Kerncijfers wijken en buurten table."""

    def __init__(self, table: str, title: str) -> None:
        super().__init__(
            f"table {table} is {title!r}, not a 'Kerncijfers wijken en buurten'"
            " table; give the id of a Kerncijfers table (e.g. 85984NED for 2024)"
        )


class GemeenteNotInTable(CbsError):
    """The gemeente code has no rows in the table."""

    def __init__(self, table: str, gemeente: str) -> None:
        super().__init__(
            f"table {table} has no rows for gemeente {gemeente}; check the code"
            " (GM and four digits) and whether the gemeente existed in that"
            " year's boundaries"
        )


class UnitMismatch(CbsError):
    """DataProperties gives a unit the catalogue does not expect."""

    def __init__(
        self, table: str, key: str, found: str, expected: str, name: str
    ) -> None:
        super().__init__(
            f"table {table}: column {key} is in {found!r} but the catalogue"
            f" expects {expected!r} for {name}; nothing was imported. Check the"
            " table, and update importers/cbs/catalogue.toml if CBS changed the"
            " unit"
        )


class AmbiguousColumn(CbsError):
    """Two columns of the table share the stem of one catalogue variable."""

    def __init__(self, table: str, name: str, keys: list[str]) -> None:
        super().__init__(
            f"table {table}: {name} matches several columns ({', '.join(keys)});"
            " name the stem more precisely in importers/cbs/catalogue.toml"
        )


class SnapshotError(CbsError):
    """A snapshot folder is missing files, holds bad JSON or another table."""

    def __init__(self, folder: str, table: str, reason: str) -> None:
        super().__init__(
            f"{folder}: not a usable snapshot of table {table} ({reason});"
            f" write one with `wijkboekhouding download cbs --table {table}"
            " --gemeente GMxxxx DIR`"
        )


class CatalogueError(CbsError):
    """The variable catalogue or parameter file is malformed."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}; fix the file")


class BadOption(CbsError):
    """A command-line option of the importer has an impossible value."""

    def __init__(self, option: str, value: str, what: str) -> None:
        super().__init__(f"{option} {value!r}: {what}")
