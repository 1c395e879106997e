"""The variable catalogue: stems match every year's keys, units are checked."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from cbs_support import ODATA

from wijkboekhouding.importers.cbs.catalogue import (
    load_catalogue,
    load_parameters,
    parameter_for,
    stem,
)
from wijkboekhouding.importers.cbs.errors import AmbiguousColumn, UnitMismatch
from wijkboekhouding.importers.cbs.transform import to_number

# The canonical names and rules of briefs/OBSERVATIONS.md.
CANONICAL = {
    "inwoners": ("sum", None),
    "huishoudens": ("sum", None),
    "woningen": ("sum", None),
    "woz-gemiddeld": ("weighted-mean", "woningen"),
    "inkomen-per-inwoner": ("weighted-mean", "inwoners"),
    "inkomen-per-ontvanger": ("weighted-mean", "inkomensontvangers"),
    "inkomensontvangers": ("sum", None),
    "bijstand": ("sum", None),
    "ao-uitkering": ("sum", None),
    "ww-uitkering": ("sum", None),
    "aow-uitkering": ("sum", None),
    "wmo-clienten": ("sum", None),
    "jeugdzorg-jongeren": ("sum", None),
    "elektriciteit-gemiddeld": ("weighted-mean", "woningen"),
    "aardgas-gemiddeld": ("weighted-mean", "woningen"),
    "woningen-zonnepanelen": ("weighted-mean", "woningen"),
    "bedrijfsvestigingen": ("sum", None),
    "personenautos": ("sum", None),
    "oppervlakte-land": ("sum", None),
    "afstand-huisarts": ("weighted-mean", "inwoners"),
    "afstand-supermarkt": ("weighted-mean", "inwoners"),
    "afstand-school": ("weighted-mean", "inwoners"),
    "afstand-kinderdagverblijf": ("weighted-mean", "inwoners"),
}


def _properties(table: str) -> list[dict[str, object]]:
    path = ODATA / table / "DataProperties.json"
    rows: list[dict[str, object]] = json.loads(path.read_text())
    return rows


def test_catalogue_keeps_the_canonical_observation_names_and_rules() -> None:
    catalogue = load_catalogue()
    for name, (rule, weight) in CANONICAL.items():
        variable = catalogue.variable(name)
        assert variable is not None, name
        assert (variable.rule, variable.weight) == (rule, weight)
    sectors = [v.name for v in catalogue.variables if v.name.startswith("bedrijfsv")]
    assert len(sectors) == 9  # the total and the eight SBI sector groups


def test_every_variable_matches_real_cbs_columns_unless_marked_unverified() -> None:
    # 85984NED's DataProperties are CBS's own (see fixtures PROVENANCE.md).
    catalogue = load_catalogue()
    matched = {
        c.variable.name for c in catalogue.match("85984NED", _properties("85984NED"))
    }
    unverified = {v.name for v in catalogue.variables if v.unverified}
    assert unverified == {"woningen-zonnepanelen"}
    assert matched == {v.name for v in catalogue.variables} - unverified
    # No bundled table has a solar-panel column under any name.
    for table in ("85984NED", "83765NED", "84583NED"):
        keys = [str(p.get("Key")) for p in _properties(table)]
        assert not [k for k in keys if "zonne" in k.lower()], table


def test_stem_drops_only_the_trailing_number() -> None:
    assert stem("AantalInwoners_5") == "AantalInwoners"
    assert stem("k_65JaarOfOuder_12") == "k_65JaarOfOuder"
    assert stem("Codering") == "Codering"


def test_the_2024_table_matches_thirty_variables_by_stem() -> None:
    columns = load_catalogue().match("85984NED", _properties("85984NED"))
    keys = {c.variable.name: c.key for c in columns}
    assert len(keys) == 30  # all but dwellings with solar panels
    assert keys["woz-gemiddeld"] == "GemiddeldeWOZWaardeVanWoningen_39"
    assert keys["inkomen-per-inwoner"] == "GemiddeldInkomenPerInwoner_83"
    assert keys["personenautos"] == "PersonenautoSTotaal_111"
    assert "woningen-zonnepanelen" not in keys


def test_the_2017_and_2019_keys_match_the_same_names() -> None:
    catalogue = load_catalogue()
    old = {
        c.variable.name: c.key
        for c in catalogue.match("83765NED", _properties("83765NED"))
    }
    assert old == {
        "inwoners": "AantalInwoners_5",
        "woz-gemiddeld": "GemiddeldeWoningwaarde_35",
        "inkomen-per-inwoner": "GemiddeldInkomenPerInwoner_66",
        "inkomen-per-ontvanger": "GemiddeldInkomenPerInkomensontvanger_65",
    }
    shaped = {
        c.variable.name: c.key
        for c in catalogue.match("84583NED", _properties("84583NED"))
    }
    assert shaped["woningen"] == "Woningvoorraad_34"
    assert (
        shaped["elektriciteit-gemiddeld"] == "GemiddeldElektriciteitsverbruikTotaal_47"
    )
    assert shaped["aardgas-gemiddeld"] == "GemiddeldAardgasverbruikTotaal_55"


def test_a_unit_other_than_the_catalogue_unit_is_refused() -> None:
    properties = _properties("85984NED")
    for prop in properties:
        if prop.get("Key") == "AantalInwoners_5":
            prop["Unit"] = "x 1 000"
    with pytest.raises(UnitMismatch, match="AantalInwoners_5 is in 'x 1 000'"):
        load_catalogue().match("85984NED", properties)


def test_two_columns_with_one_stem_are_refused() -> None:
    properties = [
        {"Type": "Topic", "Key": "AantalInwoners_5", "Unit": "aantal"},
        {"Type": "Topic", "Key": "AantalInwoners_77", "Unit": "aantal"},
    ]
    with pytest.raises(AmbiguousColumn, match="AantalInwoners_5, AantalInwoners_77"):
        load_catalogue().match("T", properties)


def test_every_parameter_names_its_year_unit_and_source() -> None:
    parameters = load_parameters()
    assert {p.name for p in parameters} == {"tarief-elektriciteit", "tarief-aardgas"}
    for parameter in parameters:
        assert parameter.year == 2024
        assert "CBS" in parameter.source
        assert parameter.assumption.startswith("Derived")
    power = parameter_for(parameters, "tarief-elektriciteit", 2019)
    assert power is not None and power.value == Decimal("0.565")
    assert power.unit == "EUR/kWh"
    assert parameter_for(parameters, "tarief-water", 2024) is None


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        (None, None),
        (".", None),
        ("       .", None),
        ("", None),
        (3390, Decimal(3390)),
        (25.7, Decimal("25.7")),
        ("25.7", Decimal("25.7")),
        (0, Decimal(0)),
    ],
)
def test_missing_and_suppressed_cells_are_none_never_zero(
    cell: object, number: Decimal | None
) -> None:
    assert to_number(cell) == number


def test_the_bundled_catalogue_files_are_package_data() -> None:
    folder = Path(load_catalogue.__code__.co_filename).parent
    assert (folder / "catalogue.toml").is_file()
    assert (folder / "parameters.toml").is_file()
