"""Streets, postcodes and names resolve to areas; unknown ones get suggestions."""

from __future__ import annotations

import pytest
from beancount import loader

from wijkboekhouding.engine.areas import AreaRegistry
from wijkboekhouding.engine.lookup import (
    AmbiguousPlace,
    AreaLookup,
    UnknownPlace,
    normalise_postcode,
    parse_postcodes,
)

LEDGER = """\
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
2024-01-01 custom "area" "BU02020212" "Boulevardwijk"
  level: "buurt"
  parent: "WK020202"
2024-01-01 custom "area" "spijkerstraat" "Spijkerstraat"
  level: "straat"
  parent: "BU02020211"
  postcodes: "6828AA-6828AZ"
2024-01-01 custom "area" "blok-spijkerlaan" "Blok Spijkerlaan"
  level: "blok"
  parent: "BU02020211"
  streets: "Spijkerlaan, Bernhardstraat"
  postcodes: "6828BA-6828BZ 6829"
2024-01-01 custom "area-alias" "Sint Antoniëlaan" "BU02020212"
2024-01-01 custom "area-alias" "6828CA-6828CZ" "BU02020210"
"""


def lookup_of(text: str) -> tuple[AreaLookup, list[str]]:
    entries, errors, _ = loader.load_string(text)
    assert errors == []
    registry, area_errors = AreaRegistry.from_entries(entries)
    assert area_errors == []
    lookup, problems = AreaLookup.from_entries(entries, registry)
    return lookup, [p.message for p in problems]


@pytest.fixture(scope="module")
def lookup() -> AreaLookup:
    found, problems = lookup_of(LEDGER)
    assert problems == []
    return found


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("BU02020212", "BU02020212"),
        ("spijkerstraat", "spijkerstraat"),
        ("Spijkerlaan", "blok-spijkerlaan"),
        ("  bernhardstraat ", "blok-spijkerlaan"),
        ("Sint Antonielaan", "BU02020212"),
        ("sint antoniëlaan", "BU02020212"),
        ("6828 AB", "spijkerstraat"),
        ("6828ab", "spijkerstraat"),
        ("6828BZ", "blok-spijkerlaan"),
        ("6829 XY", "blok-spijkerlaan"),
        ("6828 CC", "BU02020210"),
        ("Boulevardwijk", "BU02020212"),
        ("Hommelstraat", "BU02020210"),
    ],
)
def test_codes_streets_postcodes_and_names_resolve(
    lookup: AreaLookup, text: str, code: str
) -> None:
    assert lookup.resolve(text) == code


def test_an_unknown_street_is_named_with_the_nearest_known_names(
    lookup: AreaLookup,
) -> None:
    with pytest.raises(UnknownPlace) as caught:
        lookup.resolve("Spijkerstrat")
    assert caught.value.suggestions[0] == "Spijkerstraat"
    assert "unknown area, street or postcode 'Spijkerstrat': did you mean" in str(
        caught.value
    )
    assert 'custom "area-alias" "Spijkerstrat" "AREA-CODE"' in str(caught.value)


def test_a_postcode_outside_every_range_is_unknown(lookup: AreaLookup) -> None:
    with pytest.raises(UnknownPlace):
        lookup.resolve("6830 AA")


def test_extern_is_accepted_only_where_allowed(lookup: AreaLookup) -> None:
    assert lookup.resolve("extern", allow_extern=True) == "extern"
    with pytest.raises(UnknownPlace):
        lookup.resolve("extern")


def test_a_name_two_areas_carry_asks_for_the_code() -> None:
    text = LEDGER + (
        '2024-01-01 custom "area" "hommel-noord" "Hommelstraat"\n'
        '  level: "straat"\n  parent: "BU02020210"\n'
    )
    lookup, _ = lookup_of(text)
    with pytest.raises(AmbiguousPlace) as caught:
        lookup.resolve("Hommelstraat")
    assert "(BU02020210, hommel-noord)" in str(caught.value)


def test_overlapping_postcodes_and_bad_declarations_are_reported() -> None:
    text = LEDGER + (
        '2024-01-01 custom "area-alias" "6828AK-6828BC" "BU02020212"\n'
        '2024-01-01 custom "area-alias" "Spijkerlaan" "BU02020212"\n'
        '2024-01-01 custom "area-alias" "Nergensweg" "BU00000000"\n'
        '2024-01-01 custom "area" "blok-x" "Blok X"\n'
        '  level: "blok"\n  parent: "BU02020212"\n  postcodes: "68 AB"\n'
    )
    _, problems = lookup_of(text)
    assert problems == [
        "street 'Spijkerlaan' is given to both blok-spijkerlaan and BU02020212;"
        " keep one",
        "street 'Nergensweg' points at unknown area BU00000000",
        "area blok-x: cannot read postcodes '68 AB'; write them like"
        ' "6828AA-6828AZ 6829"',
        "postcodes 6828AA-6828AZ (spijkerstraat) and 6828AK-6828BC (BU02020212)"
        " overlap; give each postcode to one area",
        "postcodes 6828AK-6828BC (BU02020212) and 6828BA-6828BZ"
        " (blok-spijkerlaan) overlap; give each postcode to one area",
    ]


def test_postcodes_are_normalised_and_ranges_read() -> None:
    assert normalise_postcode(" 6828 ab ") == "6828AB"
    assert normalise_postcode("Spijkerstraat 12") is None
    assert parse_postcodes("6828AA-6828AZ, 6829") == [
        ("6828AA", "6828AZ"),
        ("6829AA", "6829ZZ"),
    ]
    assert parse_postcodes("6828AZ-6828AA") is None
