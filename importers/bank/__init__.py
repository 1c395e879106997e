"""Bank statements of neighbourhood organisations: CAMT.053, ING, Rabobank, ABN AMRO."""
