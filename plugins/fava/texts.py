"""The texts of the Wijkboekhouding page, in English and Dutch.

The page follows Fava's language (``custom "fava-option" "language" "nl"``,
else the browser's); any language other than Dutch gets English.  Domain
words the Netherlands names (gemeente, wijk, buurt) stay Dutch in both.
"""

from __future__ import annotations

from typing import Final

ENGLISH: Final = {
    "title": "Wijkboekhouding",
    "intro": (
        "Flows of money and value across the boundaries of each area, from"
        " this ledger, following Fava's time, account and advanced filters."
        " Click an area to drill down, a figure to see its postings."
    ),
    "level": "Level",
    "unit": "Unit",
    "areas_at": "Areas at level",
    "area": "Area",
    "name": "Name",
    "inflow": "Inflow",
    "outflow": "Outflow",
    "internal": "Internal",
    "net": "Net",
    "spending": "Spending",
    "stock": "Stock change",
    "local_share": "Local share",
    "inhabitants": "Inhabitants",
    "net_per_inhabitant": "Net per inhabitant",
    "income_by_source": "Income by source",
    "expenses_by_theme": "Expenses by theme",
    "account": "Account",
    "amount": "Amount",
    "local": "Spent inside the area",
    "counterparty_known": "Counterparty known",
    "stocks": "Stocks by value type (at the end of the period)",
    "value_type": "Value type",
    "sub_areas": "Sub-areas",
    "trend": "Trend over the years",
    "year": "Year",
    "postings": "Postings behind",
    "date": "Date",
    "narration": "Narration",
    "counted": "Counted",
    "counted_note": (
        "Counted is the part of each posting that the figure counts; money"
        " paid in from outside (or out to it) shows as the postings inside the"
        " area that it paid for."
    ),
    "total": "Total",
    "download_csv": "Download CSV",
    "open_journal": "Show these transactions in Fava's journal",
    "too_many_for_journal": "Too many transactions to link to the journal.",
    "no_postings_behind": "No postings count towards this figure: it is zero.",
    "rows_shown": "rows shown of",
    "all_levels": "All areas",
    "sankey": "Where the money comes from and where it goes",
    "capitals": "The seven capitals",
    "no_flows": "no flows in this unit and period.",
    "chart_error": "The chart could not be drawn",
    "stock_at_end": "Stock at the end of the period",
    "transfers_in": "Paid in from outside",
    "transfers_out": "Paid out to outside",
    "stock_increase": "Added to stocks",
    "stock_decrease": "Taken from stocks",
    "loading": "Loading…",
    "no_postings": "No postings match the filters.",
    "error": "Error",
    "per_inhabitant_note": "Inhabitants at the end of the period, where observed.",
    "costs": "Costs of running this area",
    "costs_note": (
        "Public spending of the gemeente by taakveld (Iv3), allocated to this"
        " area by the allocation keys, beside the gemeente's average per"
        " inhabitant: the table of `wijkboekhouding report --costs`. Only"
        ' Fava\'s time filter and the "as known at" time apply.'
    ),
    "as_known_at": "As known at",
    "as_known_at_help": (
        "A date or time (2025-03-01, 2025-03-01T12:00:00Z): only events"
        " recorded until then count, as with `report --as-known-at`."
        " Empty for everything recorded."
    ),
    "as_known_at_note": "Figures as known at",
    "kind": "Kind",
    "taakveld": "Taakveld",
    "allocation_key": "Allocation key",
    "per_inhabitant": "Per inhabitant",
    "gemeente_amount": "Gemeente",
    "gemeente_per_inhabitant": "Gemeente per inhabitant",
    "financieel": "financial",
    "natuurlijk": "natural",
    "gebouwd": "built",
    "menselijk": "human",
    "sociaal": "social",
    "cultureel": "cultural",
    "politiek": "political",
}

DUTCH: Final = {
    "title": "Wijkboekhouding",
    "intro": (
        "Stromen van geld en waarde over de grenzen van elk gebied, uit dit"
        " grootboek, volgens het tijd-, rekening- en geavanceerde filter van"
        " Fava. Klik op een gebied om in te zoomen, op een bedrag voor de"
        " boekingen erachter."
    ),
    "level": "Niveau",
    "unit": "Eenheid",
    "areas_at": "Gebieden op niveau",
    "area": "Gebied",
    "name": "Naam",
    "inflow": "Instroom",
    "outflow": "Uitstroom",
    "internal": "Intern",
    "net": "Saldo",
    "spending": "Bestedingen",
    "stock": "Voorraadmutatie",
    "local_share": "Lokaal aandeel",
    "inhabitants": "Inwoners",
    "net_per_inhabitant": "Saldo per inwoner",
    "income_by_source": "Inkomsten per bron",
    "expenses_by_theme": "Uitgaven per thema",
    "account": "Rekening",
    "amount": "Bedrag",
    "local": "Besteed binnen het gebied",
    "counterparty_known": "Tegenpartij bekend",
    "stocks": "Voorraden per waardesoort (aan het eind van de periode)",
    "value_type": "Waardesoort",
    "sub_areas": "Deelgebieden",
    "trend": "Verloop over de jaren",
    "year": "Jaar",
    "postings": "Boekingen achter",
    "date": "Datum",
    "narration": "Omschrijving",
    "counted": "Meegeteld",
    "counted_note": (
        "Meegeteld is het deel van elke boeking dat het bedrag meetelt; geld"
        " dat van buiten binnenkomt (of naar buiten gaat) staat bij de boekingen"
        " binnen het gebied die ermee betaald zijn."
    ),
    "total": "Totaal",
    "download_csv": "CSV downloaden",
    "open_journal": "Toon deze transacties in het journaal van Fava",
    "too_many_for_journal": "Te veel transacties om naar het journaal te linken.",
    "no_postings_behind": "Geen boekingen tellen mee voor dit bedrag: het is nul.",
    "rows_shown": "regels getoond van",
    "all_levels": "Alle gebieden",
    "sankey": "Waar het geld vandaan komt en waar het heen gaat",
    "capitals": "De zeven kapitalen",
    "no_flows": "geen stromen in deze eenheid en periode.",
    "chart_error": "De grafiek kon niet worden getekend",
    "stock_at_end": "Voorraad aan het eind van de periode",
    "transfers_in": "Van buiten betaald",
    "transfers_out": "Naar buiten betaald",
    "stock_increase": "Naar voorraden",
    "stock_decrease": "Uit voorraden",
    "loading": "Laden…",
    "no_postings": "Geen boekingen binnen de filters.",
    "error": "Fout",
    "per_inhabitant_note": (
        "Inwoners aan het eind van de periode, voor zover waargenomen."
    ),
    "costs": "Kosten van dit gebied",
    "costs_note": (
        "Publieke uitgaven van de gemeente per taakveld (Iv3), met de"
        " verdeelsleutels aan dit gebied toegerekend, naast het gemiddelde van"
        " de gemeente per inwoner: de tabel van `wijkboekhouding report"
        " --costs`. Alleen het tijdfilter van Fava en de tijd van"
        ' "zoals bekend op" tellen.'
    ),
    "as_known_at": "Zoals bekend op",
    "as_known_at_help": (
        "Een datum of tijd (2025-03-01, 2025-03-01T12:00:00Z): alleen"
        " gebeurtenissen die tot dan zijn vastgelegd tellen, zoals bij"
        " `report --as-known-at`. Leeg voor alles wat is vastgelegd."
    ),
    "as_known_at_note": "Cijfers zoals bekend op",
    "kind": "Soort",
    "taakveld": "Taakveld",
    "allocation_key": "Verdeelsleutel",
    "per_inhabitant": "Per inwoner",
    "gemeente_amount": "Gemeente",
    "gemeente_per_inhabitant": "Gemeente per inwoner",
    "financieel": "financieel",
    "natuurlijk": "natuurlijk",
    "gebouwd": "gebouwd",
    "menselijk": "menselijk",
    "sociaal": "sociaal",
    "cultureel": "cultureel",
    "politiek": "politiek",
}

LANGUAGES: Final = {"en": ENGLISH, "nl": DUTCH}


def texts(language: str | None) -> dict[str, str]:
    """The texts for a language code such as ``nl`` or ``en_GB``."""
    code = (language or "en").split("_")[0].split("-")[0].lower()
    return dict(LANGUAGES.get(code, ENGLISH))


def language_of(language: str | None) -> str:
    """The language the page uses for a language code: ``nl`` or ``en``."""
    code = (language or "en").split("_")[0].split("-")[0].lower()
    return code if code in LANGUAGES else "en"
