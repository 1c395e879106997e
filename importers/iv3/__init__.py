"""Municipal budgets by taakveld (Iv3), allocated to wijken and buurten.

A gemeente reports its begroting and jaarrekening per taakveld of the Iv3
scheme, never per neighbourhood.  This package imports those figures as
gemeente-level entries (:mod:`.command`), holds the default allocation keys
(:mod:`.keys`, ``allocation_keys.toml``) that the allocation plugin uses to
split them over the buurten, and compares an allocated budget with a
community's own plan (:mod:`.challenge`).
"""
