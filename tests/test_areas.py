"""The area registry: questions about the tree, and the errors it reports."""

from __future__ import annotations

from beancount import loader

from wijkboekhouding.engine.areas import AreaRegistry

TREE = """
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
2024-01-01 custom "area" "spijkerstraat" "Spijkerstraat"
  level: "straat"
  parent: "BU02020211"
2024-01-01 custom "area" "groen" "Groene buurten"
  level: "groep"
  members: "BU02020210 spijkerstraat"
"""


def registry_of(text: str) -> tuple[AreaRegistry, list[str]]:
    entries, _, _ = loader.load_string(text)
    registry, errors = AreaRegistry.from_entries(entries)
    return registry, [f"{e.source['lineno']}: {e.message}" for e in errors]


def line_of(text: str, needle: str) -> int:
    """The 1-based line number of the first line containing ``needle``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_street_knows_its_ancestors_nearest_first() -> None:
    registry, errors = registry_of(TREE)
    assert errors == []
    assert registry.ancestors("spijkerstraat") == ("BU02020211", "WK020202", "GM0202")
    assert registry.ancestor_at("spijkerstraat", "wijk") == "WK020202"
    assert registry.ancestor_at("BU02020210", "buurt") == "BU02020210"
    assert registry.ancestor_at("GM0202", "buurt") is None
    assert registry.standard_ancestors("spijkerstraat") == {
        "gemeente": "GM0202",
        "wijk": "WK020202",
        "buurt": "BU02020211",
    }


def test_descendants_and_group_members() -> None:
    registry, _ = registry_of(TREE)
    assert registry.descendants("WK020202") == [
        "BU02020210",
        "BU02020211",
        "spijkerstraat",
    ]
    assert registry.members("groen") == ("BU02020210", "spijkerstraat")
    assert registry.contains("groen", "spijkerstraat")
    assert registry.contains("groen", "BU02020210")
    assert not registry.contains("groen", "BU02020211")
    assert registry.contains("GM0202", "spijkerstraat")
    assert [a.code for a in registry.at_level("buurt")] == ["BU02020210", "BU02020211"]
    assert registry.levels() == ["gemeente", "wijk", "buurt", "groep", "straat"]


def test_a_duplicate_code_is_reported_at_its_second_line() -> None:
    text = TREE + (
        '2024-02-01 custom "area" "WK020202" "Dubbel"\n'
        '  level: "wijk"\n  parent: "GM0202"\n'
    )
    _, errors = registry_of(text)
    assert len(errors) == 1
    first = line_of(text, '"WK020202" "Spijkerkwartier"')
    assert errors[0] == (
        f"{line_of(text, 'Dubbel')}: area WK020202 is declared twice"
        f" (first at <string>:{first}); keep one declaration"
    )


MIX = 'custom "area" "mix"'


def test_unknown_parent_and_unknown_member_are_named() -> None:
    text = TREE + (
        '2024-01-01 custom "area" "BU02020299" "Nergens"\n'
        '  level: "buurt"\n  parent: "WK020299"\n'
        '2024-01-01 custom "area" "mix" "Mix"\n'
        '  level: "groep"\n  members: "BU02020210 BU09999999"\n'
    )
    _, errors = registry_of(text)
    assert errors == [
        f"{line_of(text, 'Nergens')}: area BU02020299 names unknown parent"
        " WK020299; declare the parent area first",
        f"{line_of(text, MIX)}: group mix names unknown member BU09999999;"
        " declare it or remove it",
    ]


def test_a_cycle_is_reported() -> None:
    text = (
        '2024-01-01 custom "area" "a" "A"\n  level: "blok"\n  parent: "b"\n'
        '2024-01-01 custom "area" "b" "B"\n  level: "blok"\n  parent: "a"\n'
    )
    _, errors = registry_of(text)
    assert errors == [
        "1: area a is its own ancestor (a cycle through b); fix the `parent` lines",
        "4: area b is its own ancestor (a cycle through a); fix the `parent` lines",
    ]


def test_an_official_code_must_sit_under_the_parent_its_digits_name() -> None:
    text = TREE + (
        '2024-01-01 custom "area" "WK020201" "Centrum"\n'
        '  level: "wijk"\n  parent: "GM0202"\n'
        '2024-01-01 custom "area" "BU02020101" "Weverstraat"\n'
        '  level: "buurt"\n  parent: "WK020202"\n'
        '2024-01-01 custom "area" "BU0202" "Kort"\n'
        '  level: "buurt"\n  parent: "WK020201"\n'
    )
    _, errors = registry_of(text)
    assert errors == [
        f"{line_of(text, 'Weverstraat')}: area BU02020101 cannot sit under"
        " WK020202: by its code it belongs under WK020201; correct `parent`",
        f"{line_of(text, 'Kort')}: area BU0202 at level buurt needs a code like"
        " BU00000000 (BU and 8 digits)",
    ]
