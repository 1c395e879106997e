"""Read Iv3 lasten and baten per taakveld: from a CSV file or from CBS online.

The CSV layout is the derived one of ``data/iv3_2024_begroting.csv``: one
row per gemeente and taakveld, ``;``-separated, amounts x EUR 1,000::

    Gemeenten;Taakveld;L1.1 Salarissen en sociale lasten;Baten;Lasten;...
    Arnhem;7.3 Afval;1113.0;25078.0;22115.0;...

Online, the raw CBS Iv3 table on dataderden.cbs.nl is read with the
``cbsodata`` client; it has one row per gemeente, taakveld (or balance post),
category (B* for baten, L* for lasten) and kind of report, and the measure
``k_2ePlaatsing_2`` in x EUR 1,000.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from wijkboekhouding.importers.iv3.catalogue import KINDS, Taakveld, code_of, taakvelden
from wijkboekhouding.importers.iv3.errors import (
    BadAmount,
    CatalogError,
    CatalogTimeout,
    GemeenteNotInFile,
    Iv3FileError,
    UnknownTaakveld,
)

log = logging.getLogger(__name__)

THOUSAND = Decimal(1000)
CENT = Decimal("0.01")
MEASURE = "k_2ePlaatsing_2"
DEFAULT_TIMEOUT = 60.0
REQUIRED_COLUMNS = ("Gemeenten", "Taakveld", "Baten", "Lasten")


@dataclass(frozen=True)
class Figure:
    """Lasten and baten of one taakveld of one gemeente, in euros.

    A missing amount is None, never zero.
    """

    taakveld: Taakveld
    lasten: Decimal | None
    baten: Decimal | None
    where: str


@dataclass(frozen=True)
class Iv3Figures:
    """The figures of one gemeente, with the source to write on its entries."""

    figures: tuple[Figure, ...]
    source: str
    origin: str


def _euros(text: str | float | int | None, where: str, column: str) -> Decimal | None:
    """An amount in x EUR 1,000 as euros, None when empty."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise BadAmount(where, column, str(text)) from None
    if not value.is_finite():
        raise BadAmount(where, column, str(text))
    return (value * THOUSAND).quantize(CENT)


def _taakveld(label: str, where: str) -> Taakveld:
    found = taakvelden().get(code_of(label))
    if found is None:
        raise UnknownTaakveld(where, label.strip())
    return found


# From a file.


def read_csv(path: Path, gemeente_code: str, gemeente_name: str) -> Iv3Figures:
    """The figures of one gemeente from an Iv3 CSV file.

    Raises:
      Iv3FileError: the file cannot be read or lacks a column.
      UnknownTaakveld, BadAmount: a row of the gemeente is wrong.
      GemeenteNotInFile: the file has no row of the gemeente.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise Iv3FileError(str(path), f"cannot read the file ({exc})") from exc
    reader = csv.DictReader(text.splitlines(), delimiter=";")
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise Iv3FileError(str(path), f"no column {', '.join(missing)}")
    figures: list[Figure] = []
    seen: dict[str, str] = {}
    for row in reader:
        if (row["Gemeenten"] or "").strip() != gemeente_name:
            continue
        where = f"{path}:{reader.line_num}"
        taakveld = _taakveld(row["Taakveld"] or "", where)
        if taakveld.code in seen:
            raise Iv3FileError(
                where,
                f"taakveld {taakveld.code} of {gemeente_name} appears twice"
                f" (first at {seen[taakveld.code]}); keep one row",
            )
        seen[taakveld.code] = where
        figures.append(
            Figure(
                taakveld,
                _euros(row["Lasten"], where, "Lasten"),
                _euros(row["Baten"], where, "Baten"),
                where,
            )
        )
    if not figures:
        raise GemeenteNotInFile(str(path), gemeente_code, gemeente_name)
    return Iv3Figures(tuple(figures), f"file:{path.name}", str(path))


# From CBS online.


@contextmanager
def _client_options(catalog_url: str) -> Iterator[tuple[Any, str]]:
    """The cbsodata client set up for a catalog, restored afterwards.

    ``http://host:port`` and local hosts are read over plain HTTP and without
    the proxies of the environment (the client sends even local requests to
    the proxy otherwise).
    """
    import cbsodata

    options = cbsodata.options
    saved = (options.catalog_url, options.use_https, options.requests)
    host = catalog_url
    plain = host.startswith("http://")
    host = host.removeprefix("http://").removeprefix("https://").rstrip("/")
    local = host.split(":", 1)[0] in ("127.0.0.1", "localhost", "::1")
    try:
        if plain or local:
            options.use_https = False
        if local:
            options.requests = {"proxies": {"http": None, "https": None}}
        yield cbsodata, host
    finally:
        options.catalog_url, options.use_https, options.requests = saved


def fetch(
    table: str,
    gemeente_code: str,
    year: int,
    kind: str,
    catalog_url: str,
    timeout: float = DEFAULT_TIMEOUT,
) -> Iv3Figures:
    """The figures of one gemeente from the CBS Iv3 table through ``cbsodata``.

    ``timeout`` is in seconds, for each connection and each answer.

    Raises:
      CatalogTimeout: the catalog gave no answer within ``timeout``.
      CatalogError: the catalog cannot be reached or answers in another shape.
      UnknownTaakveld: a taakveld the scheme does not have.
      GemeenteNotInFile: the table has no row of the gemeente and kind.
    """
    import requests

    verslagsoort = f"{year}{KINDS[kind]}"
    query = f"Gemeenten eq '{gemeente_code}' and Verslagsoort eq '{verslagsoort}'"
    with _client_options(catalog_url) as (client, host):
        log.info("reading CBS table %s from %s (%s)", table, host, query)
        try:
            tables = client.download_data(
                table, filters=query, catalog_url=host, timeout=timeout
            )
        except requests.Timeout:
            raise CatalogTimeout(table, host, timeout) from None
        except (requests.RequestException, ValueError, KeyError) as exc:
            raise CatalogError(table, f"download failed ({exc})") from exc
    return _from_tables(tables, table, gemeente_code, verslagsoort)


def _titles(tables: dict[str, list[dict[str, Any]]], name: str) -> dict[str, str]:
    return {str(r["Key"]): str(r.get("Title", r["Key"])) for r in tables.get(name, [])}


def _from_tables(
    tables: dict[str, list[dict[str, Any]]],
    table: str,
    gemeente_code: str,
    verslagsoort: str,
) -> Iv3Figures:
    """Sum the B* and L* categories of every taakveld of the downloaded rows."""
    rows = tables.get("TypedDataSet")
    if rows is None:
        raise CatalogError(table, "the answer has no TypedDataSet")
    posts = _titles(tables, "TaakveldBalanspost")
    categories = _titles(tables, "Categorie")
    sums: dict[str, dict[str, Decimal]] = {}
    where = f"CBS table {table}"
    for row in rows:
        if str(row.get("Gemeenten", "")).strip() != gemeente_code:
            continue
        if str(row.get("Verslagsoort", "")).strip() != verslagsoort:
            continue
        label = posts.get(str(row.get("TaakveldBalanspost")), "").strip()
        if not label[:1].isdigit():
            continue  # a balance post (A*, P*), not a taakveld
        category = categories.get(str(row.get("Categorie")), "").strip()
        side = {"B": "baten", "L": "lasten"}.get(category[:1])
        amount = _euros(row.get(MEASURE), f"{where}, {label}", MEASURE)
        if side is None or amount is None:
            continue  # Primo/Ultimo of balance posts, or no figure
        code = _taakveld(label, f"{where}, TaakveldBalanspost").code
        totals = sums.setdefault(code, {})
        totals[side] = totals.get(side, Decimal(0)) + amount
    if not sums:
        raise GemeenteNotInFile(f"{where} ({verslagsoort})", gemeente_code, None)
    catalogue = taakvelden()
    figures = tuple(
        Figure(t, sums[code].get("lasten"), sums[code].get("baten"), where)
        for code, t in catalogue.items()
        if code in sums
    )
    return Iv3Figures(figures, f"cbs:{table}", where)
