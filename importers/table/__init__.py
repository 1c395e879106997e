"""Residents' spreadsheets (CSV, xlsx) turned into entries by a declarative mapping."""
