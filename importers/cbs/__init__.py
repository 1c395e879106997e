"""Import CBS "Kerncijfers wijken en buurten" tables of any year.

The importer reads a table through the real ``cbsodata`` client (or from a
snapshot folder that ``wijkboekhouding download cbs`` wrote), matches its
columns on their stem through the table's own DataProperties, and appends
areas, observations, stocks and estimated flows to the ledger.
"""
