"""Names of the ledger model: levels, value types, sectors and metadata keys.

One word per concept, used the same way in code, CLI, docs and the Fava page:
an *area* is any node of the area tree, a *level* is its place in that tree,
a *value type* is one of the seven community capitals.
"""

from __future__ import annotations

from typing import Final, NewType

AreaCode = NewType("AreaCode", str)
Level = NewType("Level", str)

GEMEENTE: Final = Level("gemeente")
WIJK: Final = Level("wijk")
BUURT: Final = Level("buurt")
GROEP: Final = Level("groep")

# The official CBS levels, from the top down.  Ancestors at these levels are
# written onto every posting by the enrichment plugin.
STANDARD_LEVELS: Final = (GEMEENTE, WIJK, BUURT)

# Levels below a buurt that people may declare; any other name is accepted
# too, as long as the area has a parent.
FINER_LEVELS: Final = (Level("straat"), Level("postcode"), Level("blok"))

# Code prefix of each official level and the number of digits after it.
OFFICIAL_PREFIXES: Final = {GEMEENTE: ("GM", 4), WIJK: ("WK", 6), BUURT: ("BU", 8)}

# The seven community capitals.
VALUE_TYPES: Final = (
    "financieel",
    "natuurlijk",
    "gebouwd",
    "menselijk",
    "sociaal",
    "cultureel",
    "politiek",
)

SECTORS: Final = ("publiek", "privaat", "particulier", "maatschappelijk")

# Root account types that must sit in an area; Equity may be area-less.
AREA_ROOTS: Final = ("Assets", "Liabilities", "Income", "Expenses")

# The area outside every area of the ledger, for `counterparty-area`.
EXTERN: Final = AreaCode("extern")

# Metadata keys.
META_AREA: Final = "area"
META_VALUE_TYPE: Final = "value-type"
META_SECTOR: Final = "sector"
META_COUNTERPARTY: Final = "counterparty-area"
META_SOURCE: Final = "source"
META_METHOD: Final = "method"
META_ID: Final = "id"
META_RECORDED: Final = "recorded"

# Names of observations the engine itself reads.
INHABITANTS: Final = "inwoners"
