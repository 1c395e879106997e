"""Ledger text shared by tests: a small area tree with its declarations."""

# A small area tree and the declarations every test ledger needs.
HEADER = """\
plugin "wijkboekhouding.plugins.areas"

2024-01-01 commodity EUR
  value-type: "financieel"
2024-01-01 commodity UUR
  value-type: "menselijk"

2024-01-01 custom "area" "GM0202" "Arnhem"
  level: "gemeente"
2024-01-01 custom "area" "WK020202" "Spijkerkwartier"
  level: "wijk"
  parent: "GM0202"
2024-01-01 custom "area" "BU02020210" "Hommelstraat"
  level: "buurt"
  parent: "WK020202"
2024-01-01 custom "area" "BU02020211" "Spijkerbuurt"
  level: "buurt"
  parent: "WK020202"
"""
