"""The wijkboekhouding engine: areas, journal, projections and the CLI."""
