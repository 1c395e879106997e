"""Read the values people type into spreadsheets: Dutch amounts, dates, text.

Amounts may use a decimal comma with dots between thousands (``1.234,56``),
a decimal point (``1234.56``), a sign in front or behind, and a currency
sign; dates may be written ``31-12-2024``, ``31/12/2024``, ``2024-12-31`` or
``20241231``.  Each parser raises :class:`BadValue` with the advice that goes
into the rejection message.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y%m%d", "%d-%m-%y")

_COMMA_NUMBER = re.compile(r"^\d{1,3}(\.\d{3})*(,\d+)?$|^\d+(,\d+)?$")
_POINT_NUMBER = re.compile(r"^\d{1,3}(,\d{3})*(\.\d+)?$|^\d+(\.\d+)?$")
_AMBIGUOUS = re.compile(r"^\d{1,3}\.\d{3}$")


class BadValue(ValueError):
    """A value that cannot be read; the message says what to do."""


def parse_amount(value: object, decimal: str | None = None) -> Decimal:
    """Read an amount from a cell.

    Args:
      value: The cell: text, or a number from a spreadsheet.
      decimal: ``","`` or ``"."`` when the mapping declares the decimal
        separator; None to recognise it from the text.

    Raises:
      BadValue: the text is no amount, or ``1.234`` could be read two ways.
    """
    if isinstance(value, bool):
        raise BadValue("a yes/no cell is no amount; enter a number")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value or "").strip().replace("\u00a0", "").replace(" ", "")
    text = text.replace("€", "").replace("EUR", "")
    if not text:
        raise BadValue("the amount is empty; enter a number")
    sign = 1
    if text[0] in "+-" or text[-1] in "+-":
        sign = -1 if "-" in (text[0], text[-1]) else 1
        text = text.strip("+-")
    if decimal is None:
        if "," in text and "." in text:
            decimal = "," if text.rfind(",") > text.rfind(".") else "."
        elif "," in text:
            decimal = ","
        elif _AMBIGUOUS.match(text):
            raise BadValue(
                "could be read with a decimal point or as thousands; set"
                ' `decimal = ","` or `decimal = "."` under [source] in the mapping'
            )
        else:
            decimal = "."
    pattern = _COMMA_NUMBER if decimal == "," else _POINT_NUMBER
    if not pattern.match(text):
        separator = "comma" if decimal == "," else "point"
        raise BadValue(
            f"not an amount; write a number with a decimal {separator}, like"
            f" {'1.234,56' if decimal == ',' else '1234.56'}"
        )
    thousands = "." if decimal == "," else ","
    plain = text.replace(thousands, "").replace(decimal, ".")
    try:
        return sign * Decimal(plain)
    except InvalidOperation as exc:  # pragma: no cover - the pattern prevents it
        raise BadValue("not an amount; write a number like 1234,56") from exc


def parse_date(value: object, fmt: str | None = None) -> datetime.date:
    """Read a date from a cell, trying the Dutch layouts unless ``fmt`` is given.

    Raises:
      BadValue: no layout fits, or the date does not exist (31-02-2024).
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    if not text:
        raise BadValue("the date is empty; enter a date like 31-12-2024")
    for layout in (fmt,) if fmt else DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, layout).date()
        except ValueError:
            continue
    shown = fmt or "31-12-2024"
    raise BadValue(f"not a date; write it like {shown}")


def cell_text(value: object) -> str:
    """A cell as text, as the user sees it (whole numbers without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat()
    return str(value).strip()
