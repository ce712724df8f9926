"""Places: the shipped reference data, and place names, councils and postcodes read as places."""

import datetime as dt
import re
from importlib import resources
from pathlib import Path

import pytest

from graphsvc.reference import (
    ambiguous_place_names,
    uk_counties,
    uk_local_authorities,
    uk_postcode_areas,
    uk_regions,
    uk_towns,
)
from graphsvc.service.imports import import_members
from graphsvc.store import GraphStore
from graphsvc.synthetic.vocabulary import TOWNS
from importers.places import find_place, name_conflicts, place_key, place_named

NORTH_EAST, NORTH_WEST, YORKSHIRE, EAST_MIDLANDS, WEST_MIDLANDS = (
    "E12000001",
    "E12000002",
    "E12000003",
    "E12000004",
    "E12000005",
)
EAST, LONDON, SOUTH_EAST, SOUTH_WEST = "E12000006", "E12000007", "E12000008", "E12000009"
WALES, SCOTLAND, NORTHERN_IRELAND = "W92000004", "S92000003", "N92000002"


def region_and_nation_codes() -> set[str]:
    return {r.ons_code for r in uk_regions()} | {r.nation_code for r in uk_regions()}


# -- the reference data --------------------------------------------------------


def test_the_local_authorities_are_those_of_april_2023() -> None:
    current = [la for la in uk_local_authorities() if la.current]
    by_nation = {
        nation: sum(1 for la in current if la.ons_code and la.ons_code[0] == nation)
        for nation in "EWSN"
    }
    assert by_nation == {"E": 296, "W": 22, "S": 32, "N": 11}
    codes = [la.ons_code for la in uk_local_authorities()]
    assert len(codes) == len(set(codes))
    assert all(code and re.fullmatch(r"[EWSN]\d{8}", code) for code in codes)
    merged = {la.name for la in uk_local_authorities() if not la.current}
    assert {"Harrogate", "Mendip", "Allerdale", "Wycombe", "Kettering"} <= merged


def test_every_place_lies_in_one_of_the_12_regions_and_nations() -> None:
    assert len({r.ons_code for r in uk_regions()}) == 12
    known = region_and_nation_codes()
    places = (*uk_local_authorities(), *uk_counties(), *uk_towns())
    assert all(place.region_code in known for place in places)
    assert len(uk_towns()) >= 500
    areas = uk_postcode_areas()
    assert len(areas) == len({a.area for a in areas}) == 121
    assert all(a.region_code in known and set(a.also_covers) <= known for a in areas)


def test_every_name_shared_across_regions_is_settled_in_the_ambiguous_names() -> None:
    listed = {place_key(a.name) for a in ambiguous_place_names()}
    assert set(name_conflicts()) <= listed
    for key in listed:
        meanings = [a for a in ambiguous_place_names() if place_key(a.name) == key]
        likely = [a for a in meanings if a.most_likely]
        assert len(likely) == 1 and len(meanings) >= 2, key
        found = place_named(likely[0].meaning)
        assert found is not None and found.region_code == likely[0].region_code, key


def test_the_synthetic_towns_are_where_the_reference_data_puts_them() -> None:
    for name, _, region_code in TOWNS:
        found = find_place(name)
        assert found is not None and found.region_code == region_code, name


def test_every_reference_file_is_attributed() -> None:
    folder = resources.files("graphsvc.reference")
    attribution = folder.joinpath("ATTRIBUTION.md").read_text(encoding="utf-8")
    files = [p.name for p in folder.iterdir() if p.name.endswith(".csv")]
    assert len(files) == 7
    assert all(f"`{name}`" in attribution for name in files)
    assert "Open Government Licence" in attribution


# -- reading place names -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "level", "region"),
    [
        ("Leeds", "Leeds", "town", YORKSHIRE),
        ("  MANCHESTER ", "Manchester", "town", NORTH_WEST),
        ("hebden bridge", "Hebden Bridge", "town", YORKSHIRE),
        ("Ynys Môn", "Isle of Anglesey", "district", WALES),
        ("Hull", "Kingston upon Hull", "town", YORKSHIRE),
        ("Kingston upon Hull, City of", "Kingston upon Hull", "town", YORKSHIRE),
        ("Derry~Londonderry".replace("~", "-"), "Derry", "town", NORTHERN_IRELAND),
        ("Londonderry", "Derry", "town", NORTHERN_IRELAND),
        # London boroughs, however the council is written.
        ("Tower Hamlets", "Tower Hamlets", "district", LONDON),
        ("London Borough of Camden", "Camden", "district", LONDON),
        ("Royal Borough of Kensington & Chelsea", "Kensington and Chelsea", "district", LONDON),
        ("Peckham", "Peckham", "town", LONDON),
        # Districts, current and merged away, and councils.
        ("Calderdale", "Calderdale", "district", YORKSHIRE),
        ("Calderdale Metropolitan Borough Council", "Calderdale", "district", YORKSHIRE),
        ("Leeds City Council", "Leeds", "town", YORKSHIRE),
        ("Wealden District Council", "Wealden", "district", SOUTH_EAST),
        ("Westmorland and Furness", "Westmorland and Furness", "district", NORTH_WEST),
        ("Mendip", "Mendip", "district", SOUTH_WEST),
        ("The Vale of Glamorgan", "Vale of Glamorgan", "district", WALES),
        ("Glasgow City Council", "Glasgow", "town", SCOTLAND),
        ("Na h-Eileanan Siar", "Na h-Eileanan Siar", "district", SCOTLAND),
        ("Western Isles", "Na h-Eileanan Siar", "district", SCOTLAND),
        ("Mid Ulster", "Mid Ulster", "district", NORTHERN_IRELAND),
        # Counties.
        ("Kent", "Kent", "county", SOUTH_EAST),
        ("Lancs", "Lancashire", "county", NORTH_WEST),
        ("Kent County Council", "Kent", "county", SOUTH_EAST),
        ("Co. Durham", "County Durham", "district", NORTH_EAST),
        ("County Tyrone", "County Tyrone", "county", NORTHERN_IRELAND),
        ("Gwent", "Gwent", "county", WALES),
        # Regions, nations, and informal areas standing for them.
        ("North East England", "North East", "region", NORTH_EAST),
        ("Yorkshire", "Yorkshire", "county", YORKSHIRE),
        ("Greater London", "London", "region", LONDON),
        ("East Anglia", "East of England", "region", EAST),
        ("North Wales", "Wales", "nation", WALES),
        ("Scotland", "Scotland", "nation", SCOTLAND),
        # Postcodes and outward codes give the region of their area.
        ("LS1 4AP", "Yorkshire and The Humber", "region", YORKSHIRE),
        ("sw1a1aa", "London", "region", LONDON),
        ("B15", "West Midlands", "region", WEST_MIDLANDS),
        ("BT7 1NN", "Northern Ireland", "nation", NORTHERN_IRELAND),
        # Addresses and qualified names: the most specific place wins.
        ("Hebden Bridge, West Yorkshire", "Hebden Bridge", "town", YORKSHIRE),
        ("12 High Street, Leeds, LS1 4AP", "Leeds", "town", YORKSHIRE),
        ("Kent / Medway", "Medway", "district", SOUTH_EAST),
    ],
)
def test_place_names_councils_and_postcodes_are_read(
    text: str, name: str, level: str, region: str
) -> None:
    found = find_place(text)
    assert found is not None, text
    assert (found.name, found.level, found.region_code) == (name, level, region)
    assert found.doubt is None


def test_a_local_authority_keeps_its_ons_code() -> None:
    found = find_place("Calderdale")
    assert found is not None and found.ons_code == "E08000033"


@pytest.mark.parametrize(
    ("text", "name", "region", "may_mean"),
    [
        ("Newcastle", "Newcastle upon Tyne", NORTH_EAST, "Newcastle-under-Lyme"),
        ("Newport", "Newport", WALES, "Isle of Wight"),
        ("Bangor", "Bangor", NORTHERN_IRELAND, "Gwynedd"),
        ("Richmond", "Richmond upon Thames", LONDON, "North Yorkshire"),
        ("Kingston", "Kingston upon Thames", LONDON, "Kingston upon Hull"),
        ("Bury", "Bury", NORTH_WEST, "Bury St Edmunds"),
        ("ST IVES", "St Ives", EAST, "Cornwall"),
    ],
)
def test_ambiguous_names_are_read_as_the_most_likely_and_flagged(
    text: str, name: str, region: str, may_mean: str
) -> None:
    found = find_place(text)
    assert found is not None and (found.name, found.region_code) == (name, region)
    assert found.doubt is not None and may_mean in found.doubt


@pytest.mark.parametrize(
    ("text", "name", "region"),
    [
        ("Newcastle, Staffordshire", "Newcastle-under-Lyme", WEST_MIDLANDS),
        ("Newcastle, Tyne and Wear", "Newcastle upon Tyne", NORTH_EAST),
        ("Newport, Isle of Wight", "Isle of Wight", SOUTH_EAST),
    ],
)
def test_the_rest_of_an_address_settles_an_ambiguous_name(
    text: str, name: str, region: str
) -> None:
    found = find_place(text)
    assert found is not None
    assert (found.name, found.region_code, found.doubt) == (name, region, None)


def test_an_address_that_fits_no_meaning_leaves_the_doubt() -> None:
    found = find_place("Richmond, Surrey")  # Surrey is in none of the regions listed for it
    assert found is not None and found.name == "Richmond upon Thames" and found.doubt


def test_a_postcode_area_that_crosses_a_border_is_flagged() -> None:
    found = find_place("CH5 1AB")
    assert found is not None and found.region_code == NORTH_WEST
    assert found.doubt == "postcode area CH read as North West; some of it is in Wales"


@pytest.mark.parametrize(
    "text", ["", "Remote", "Online", "Nowhere-on-Sea", "GY1 1AA", "JE2 3XP", "Paris", "ZZ9 9ZZ"]
)
def test_unknown_places_and_places_outside_the_uk_are_not_guessed(text: str) -> None:
    assert find_place(text) is None


def test_an_affiliation_is_a_place_only_when_it_is_exactly_one() -> None:
    assert place_named("Leeds") is not None and place_named("LS6") is not None
    assert place_named("Birmingham City Council") is None
    assert place_named("Leeds - Bradford Trust") is None
    assert place_named("Manchester Mind") is None


# -- places in an import -------------------------------------------------------


def test_an_import_reports_doubtful_and_unknown_places_without_postcodes(
    store: GraphStore, tmp_path: Path
) -> None:
    path = tmp_path / "members.csv"
    path.write_text(
        "Name,Email,Town\n"
        "Ada Ojo,ada@example.org,Newcastle\n"
        "Ben Ray,ben@example.org,Newcastle\n"
        "Cy Lee,cy@example.org,CH5 1AB\n"
        "Di Fox,di@example.org,Calderdale MBC Council\n"
        "Ed Moss,ed@example.org,GY1 1AA\n"
        "Flo Day,flo@example.org,London Borough of Hackney\n"
    )
    report = import_members(store, path, as_of=dt.date(2025, 1, 31))
    assert report.written and not report.rejected
    notes = "\n".join(report.notes)
    assert "'Newcastle' read as Newcastle upon Tyne (North East)" in notes
    assert "(2 rows)" in notes
    assert "postcode area CH read as North West; some of it is in Wales (1 rows)" in notes
    assert "postcode area 'GY' not recognised (1 rows)" in notes
    assert "place 'Calderdale MBC Council' not recognised" in notes
    assert "1AB" not in notes and "1AA" not in notes, "a full postcode is personal data"

    network = store.snapshot()
    based_in = {
        network.nodes[u]["name"]: network.nodes[v]
        for u, v, k in network.edges(keys=True)
        if k == "BASED_IN"
    }
    assert based_in["Ada Ojo"]["name"] == "Newcastle upon Tyne"
    assert based_in["Cy Lee"]["name"] == "North West"
    assert based_in["Flo Day"]["name"] == "Hackney"
    assert based_in["Flo Day"]["ons_code"] == "E09000012"
    assert "Ed Moss" not in based_in and "Di Fox" not in based_in
    # Every place reached lies in its region, which lies in its nation.
    hackney = next(n for n, d in network.nodes(data=True) if d.get("name") == "Hackney")
    (region,) = [v for _, v, k in network.out_edges(hackney, keys=True) if k == "PART_OF"]
    assert network.nodes[region]["name"] == "London"
