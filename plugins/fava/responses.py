"""Answers of the page's endpoints: JSON, CSV, and 400 for bad requests.

Amounts travel as exact decimal strings, the way ``wijkboekhouding report
--format json`` writes them, so the page shows the report's own figures.
A request the page cannot answer (an unknown level, area, unit or figure, a
filter Fava cannot read) gets a 400 with the message, never a 500.
"""

from __future__ import annotations

import functools
import io
import logging
import re
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
from fava.helpers import FavaAPIError
from flask import Response, jsonify, request

from wijkboekhouding.engine.cli.app import plain
from wijkboekhouding.engine.errors import WijkboekhoudingError

log = logging.getLogger(__name__)

E = TypeVar("E")


class BadParameter(WijkboekhoudingError):
    """A query parameter of an endpoint with a value it cannot use."""

    def __init__(self, name: str, value: str, expected: str) -> None:
        super().__init__(f"cannot use {name}={value!r}; {expected}")


def records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a table as JSON objects with exact values."""
    names = [str(name) for name in table.columns]
    columns = [[plain(value) for value in table[name].tolist()] for name in names]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def csv_text(table: pd.DataFrame) -> str:
    """A table as CSV, written as ``wijkboekhouding report --format csv`` does."""
    buffer = io.StringIO()
    table.map(lambda v: "" if plain(v) is None else plain(v)).to_csv(
        buffer, index=False
    )
    return buffer.getvalue()


def csv_response(table: pd.DataFrame, name: str) -> Response:
    """A CSV download named ``name``.csv."""
    response = Response(csv_text(table), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def json_response(payload: Any) -> Response:
    """A JSON answer."""
    return jsonify(payload)


def bad_request(message: str) -> Response:
    """A 400 answer that says what was wrong."""
    response = jsonify({"error": message})
    response.status_code = 400
    return response


def wants_csv() -> bool:
    """Whether the request asks for CSV (``format=csv``)."""
    return request.args.get("format", "json") == "csv"


def argument(name: str, default: str | None = None) -> str:
    """A required query parameter (or its default).

    Raises:
      BadParameter: the parameter is missing and has no default.
    """
    value = request.args.get(name) or default
    if value is None:
        raise BadParameter(name, "", f"the parameter {name} is required")
    return value


def account_argument() -> str:
    """Fava's account filter, checked the way Beancount will read it.

    Fava keeps an account when the filter matches it as a regular expression
    or names one of its components; Beancount finds components with a
    regular expression built around the filter, which fails on text such as
    ``[``.  Fava would answer that with a 500.

    Raises:
      BadParameter: the filter cannot be read as a regular expression.
    """
    account = request.args.get("account", "")
    try:
        re.compile(f"(^|:){account}(:|$)")
    except re.error as error:
        expected = (
            "use an account name such as Expenses:Groen or a regular"
            f" expression ({error.msg})"
        )
        raise BadParameter("account", account, expected) from error
    return account


def depth_argument() -> int:
    """The account depth for sources and themes, 1 to 9 (default 2)."""
    text = request.args.get("depth", "2")
    if not text.isdigit() or not 1 <= int(text) <= 9:
        raise BadParameter("depth", text, "use a whole number from 1 to 9")
    return int(text)


def answers_bad_requests(
    endpoint: Callable[[E], Response],
) -> Callable[[E], Response]:
    """Turn our input errors and Fava's filter errors into a 400 answer."""

    @functools.wraps(endpoint)
    def wrapper(extension: E) -> Response:
        try:
            return endpoint(extension)
        except (WijkboekhoudingError, FavaAPIError, ValueError) as error:
            log.info("bad request %s: %s", request.full_path, error)
            return bad_request(str(error))

    return wrapper
