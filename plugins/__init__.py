"""Beancount plugins and the Fava extension of wijkboekhouding."""
