"""The Wijkboekhouding page in Fava: flows and balances at any area level.

Enable it in the main ledger file::

    2024-01-01 custom "fava-extension" "wijkboekhouding.plugins.fava"

The page (``/<ledger>/extension/Wijkboekhouding/``) is drawn in the browser
by ``Wijkboekhouding.js`` from the JSON endpoints below; every figure comes
from the engine's projections over the postings that Fava's time, account
and advanced filters keep, so the area table equals ``wijkboekhouding report
--by flows``.  Endpoints (all under ``extension/Wijkboekhouding/``):

- ``areas?level=wijk&unit=EUR``: the flows of every area at a level;
- ``area?area=CODE&unit=EUR&depth=2``: one area's sources, themes, stocks,
  sub-areas, trend and Sankey links (``table=NAME`` picks one as CSV);
- ``postings?area=CODE&figure=inflow&unit=EUR``: the postings behind a
  figure, with the part each counts (figures: the flows, a flow in one year
  such as ``inflow:2024``, ``income:ACCOUNT``, ``expenses:ACCOUNT`` and
  ``stocks:VALUE_TYPE``; ``level``, if given, must be the area's own);
- ``costs?area=CODE``: public spending allocated to the area by taakveld,
  the table of ``wijkboekhouding report --costs`` for the time filter's
  period;
- ``plotly.min.js``: the charting library from the plotly wheel.

Each takes Fava's ``time``, ``account`` and ``filter`` parameters,
``as_known_at`` (an ISO date or time: only events recorded until then count,
as with ``report --as-known-at``), and ``format=csv`` for a download.
"""

from __future__ import annotations

import datetime
import threading
from pathlib import Path
from typing import Any

import pandas as pd
import plotly
from fava.context import g
from fava.core.filters import TimeFilterParseError
from fava.ext import FavaExtensionBase, extension_endpoint
from fava.util.date import parse_date
from flask import Response, request, send_file

from wijkboekhouding.engine.cli.app import plain
from wijkboekhouding.engine.costs import COLUMNS, Costs, OutsideGemeente, costs_of
from wijkboekhouding.engine.errors import UnknownArea
from wijkboekhouding.engine.postings import normalise_time
from wijkboekhouding.engine.projection import check_level
from wijkboekhouding.plugins.fava import figures
from wijkboekhouding.plugins.fava.figures import Scope
from wijkboekhouding.plugins.fava.responses import (
    BadParameter,
    account_argument,
    answers_bad_requests,
    argument,
    csv_response,
    depth_argument,
    json_response,
    records,
    wants_csv,
)
from wijkboekhouding.plugins.fava.texts import language_of, texts
from wijkboekhouding.plugins.fava.view import LedgerView

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

# Limitation: the journal link names each transaction in Fava's filter
# syntax, so it is offered only for up to this many transactions.
JOURNAL_LINK_LIMIT = 200
# The postings list shows this many rows; the CSV download has them all.
POSTINGS_SHOWN = 1000


class Wijkboekhouding(FavaExtensionBase):
    """Fava extension: the flows of every area, drill-down and charts."""

    report_title = "Wijkboekhouding"
    has_js_module = True

    def __init__(self, ledger: Any, config: str | None = None) -> None:
        super().__init__(ledger, config)
        self._view: LedgerView | None = None
        self._lock = threading.Lock()

    def after_load_file(self) -> None:
        """Forget the postings table of the previous load."""
        self._view = None

    # What every request needs.

    def view(self) -> LedgerView:
        """The postings table of the ledger as loaded now."""
        with self._lock:
            entries = self.ledger.all_entries
            if self._view is None or self._view.entries is not entries:
                self._view = LedgerView(
                    entries, self.ledger.options, self.ledger.beancount_file_path
                )
            return self._view

    def filters(self) -> tuple[str, str, str]:
        """Fava's account, advanced and time filter of this request.

        Raises:
          BadParameter: the account filter is no regular expression.
        """
        args = request.args
        return (account_argument(), args.get("filter", ""), args.get("time", ""))

    def dates(self) -> tuple[datetime.date, datetime.date]:
        """The first day and the day after the last of Fava's time filter."""
        time = request.args.get("time", "")
        fiscal_year_end = self.ledger.fava_options.fiscal_year_end
        begin, end = parse_date(time, fiscal_year_end)
        if begin is None or end is None:
            raise TimeFilterParseError(time)
        return begin, end

    def as_known_at(self) -> str | None:
        """The ``as_known_at`` parameter (None when not given), checked.

        Raises:
          ValueError: it is not an ISO date or time (``normalise_time``'s
            message, answered with a 400).
        """
        when = request.args.get("as_known_at", "").strip()
        if not when:
            return None
        normalise_time(when)
        return when

    def scope(self) -> Scope:
        """The postings this request looks at."""
        account, advanced, _ = self.filters()
        return self.view().scope(
            self.filters(),
            lambda: g.filtered.entries,
            lambda: self.ledger.get_filtered(account=account, filter=advanced).entries,
            self.dates,
            self.as_known_at(),
        )

    def period(self) -> str | None:
        """Fava's time filter as a report period (``2024-01-01..2024-12-31``)."""
        if not request.args.get("time"):
            return None
        begin, end = self.dates()
        last = end - datetime.timedelta(days=1)
        return f"{begin.isoformat()}..{last.isoformat()}"

    def unit(self, scope: Scope) -> str:
        """The unit asked for, by default the first unit of the ledger."""
        units = self.view().units()
        unit = argument("unit", units[0] if units else "EUR")
        figures.require_unit(scope, unit)
        return unit

    def page_config(self) -> dict[str, Any]:
        """What the page's script needs before its first request."""
        # As Fava chooses its own language: the ledger's option, else the
        # browser's preference.
        chosen = self.ledger.fava_options.language
        language = language_of(
            chosen or request.accept_languages.best_match(["en", "nl"])
        )
        registry = self.view().ledger.registry
        levels = [str(level) for level in registry.levels()]
        return {
            "language": language,
            "texts": texts(language),
            "levels": levels,
            "default_level": "wijk" if "wijk" in levels else levels[0],
            "units": self.view().units(),
            "journal_link_limit": JOURNAL_LINK_LIMIT,
        }

    # Endpoints.

    @extension_endpoint
    @answers_bad_requests
    def areas(self) -> Response:
        """The flows of every area at a level."""
        scope = self.scope()
        level = argument("level", "wijk")
        check_level(scope.ledger.registry, level)
        unit = self.unit(scope)
        table = self.view().memo(
            ("areas", self.filters(), self.as_known_at(), level, unit),
            lambda: figures.area_table(scope, level, unit),
        )
        if wants_csv():
            return csv_response(table, f"wijkboekhouding-{level}-{unit}")
        return json_response(
            {
                "level": level,
                "unit": unit,
                "period": scope.period,
                "as_known_at": self.as_known_at(),
                "rows": records(table),
            }
        )

    @extension_endpoint
    @answers_bad_requests
    def area(self) -> Response:
        """One area: its flows, sources, themes, stocks, sub-areas and trend."""
        scope = self.scope()
        area = figures.require_area(scope, argument("area"))
        unit = self.unit(scope)
        depth = depth_argument()
        rows = figures.keyed_rows(scope, area.code, area.level, unit)
        tables = {
            "income": figures.by_account(rows, "Income", depth, scope.exact(unit)),
            "expenses": figures.by_account(rows, "Expenses", depth, scope.exact(unit)),
            "stocks": figures.stocks_of(scope, area.code),
            "sub_areas": figures.sub_areas(scope, area.code, unit),
            "trend": figures.trend(scope, area, unit),
        }
        own = figures.own_flows(scope, area, unit)
        tables["flows"] = own
        if wants_csv():
            name = argument("table")
            if name not in tables:
                raise BadParameter("table", name, f"use one of {', '.join(tables)}")
            return csv_response(tables[name], f"{area.code}-{name}-{unit}")
        registry = scope.ledger.registry
        return json_response(
            {
                "area": area.code,
                "name": area.name,
                "level": area.level,
                "unit": unit,
                "period": scope.period,
                "as_known_at": self.as_known_at(),
                "ancestors": [
                    {"area": code, "name": registry.name(code)}
                    for code in reversed(registry.ancestors(area.code))
                ],
                "sankey": [
                    {**link, "amount": str(link["amount"])}
                    for link in figures.sankey_links(rows, scope.exact(unit), depth)
                ],
                **{name: records(table) for name, table in tables.items()},
                "flows": records(own)[0] if len(own) else None,
            }
        )

    @extension_endpoint
    @answers_bad_requests
    def postings(self) -> Response:
        """The postings behind one figure of one area."""
        scope = self.scope()
        area = figures.require_area(scope, argument("area"))
        level = argument("level", area.level)
        check_level(scope.ledger.registry, level)
        figures.require_own_level(area, level)
        unit = self.unit(scope)
        figure = argument("figure")
        table, total = figures.postings_behind(scope, area.code, level, unit, figure)
        if wants_csv():
            name = f"{area.code}-{figure.replace(':', '-')}-{unit}"
            return csv_response(table, name)
        return json_response(
            {
                "area": area.code,
                "name": area.name,
                "level": level,
                "unit": unit,
                "figure": figure,
                "as_known_at": self.as_known_at(),
                "total": str(total),
                "count": len(table),
                "rows": records(table.head(POSTINGS_SHOWN)),
                "journal_filter": journal_filter(table),
            }
        )

    @extension_endpoint
    @answers_bad_requests
    def costs(self) -> Response:
        """Public spending allocated to one area: ``report --costs``'s table.

        Only Fava's time filter applies (as ``--period``); the account and
        advanced filters do not, as the report has no such options.
        """
        ledger = self.view().ledger
        registry = ledger.registry
        code = argument("area")
        area = registry.get(code)
        if area is None:
            raise UnknownArea(code, "pick an area from the table of its level")
        period = self.period()
        as_known_at = self.as_known_at()
        try:
            costs = self.view().memo(
                ("costs", code, period, as_known_at),
                lambda: costs_of(ledger, code, period, as_known_at),
            )
        except OutsideGemeente as outside:
            # A group across gemeenten: say so on the page, not as an error.
            costs = Costs(code, "", None, None, pd.DataFrame(columns=list(COLUMNS)), ())
            notes = [str(outside)]
        else:
            notes = list(costs.notes)
        table = costs.table
        if wants_csv():
            return csv_response(table, f"{code}-costs")
        return json_response(
            {
                "area": code,
                "name": area.name,
                "gemeente": costs.gemeente or None,
                "gemeente_name": registry.name(costs.gemeente)
                if costs.gemeente
                else None,
                "period": period,
                "as_known_at": as_known_at,
                "inhabitants": plain(costs.inhabitants),
                "gemeente_inhabitants": plain(costs.gemeente_inhabitants),
                "notes": notes,
                "rows": records(table),
            }
        )

    @extension_endpoint("plotly.min.js")  # type: ignore[untyped-decorator,arg-type]
    def plotly_js(self) -> Response:
        """Plotly's JavaScript, from the plotly wheel: no CDN needed."""
        return send_file(PLOTLY_JS, mimetype="text/javascript", max_age=86400)


def journal_filter(table: Any) -> str | None:
    """Fava's advanced filter that keeps exactly these postings' transactions.

    Transactions are named by file and line, the one key every entry has.
    """
    places = table[["filename", "lineno"]].dropna().drop_duplicates()
    if places.empty or len(places) > JOURNAL_LINK_LIMIT:
        return None
    parts = []
    for filename, lines in places.groupby("filename", sort=True)["lineno"]:
        numbers = "|".join(str(int(n)) for n in sorted(set(lines)))
        escaped = "".join("\\" + c if c in r".^$*+?()[]{}|\\" else c for c in filename)
        parts.append(f'(filename:"^{escaped}$" lineno:"^({numbers})$")')
    return ", ".join(parts)
