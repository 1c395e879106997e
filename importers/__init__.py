"""Importers that turn outside data into ledger entries."""
