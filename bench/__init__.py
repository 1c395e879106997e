"""Benchmarks of wijkboekhouding against plain Beancount."""
