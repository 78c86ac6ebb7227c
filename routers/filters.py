"""Query parameters shared by the place listings."""

import re
from typing import Annotated

from fastapi import Depends, Query

from app.errors import InvalidInput
from app.geo import from_datum
from app.schemas import SLUG
from app.services.common import BBox
from routers.deps import DatumDep

_NUM = r"-?\d{1,3}(\.\d+)?"
_BBOX = re.compile(rf"^{_NUM},{_NUM},{_NUM},{_NUM}$")


async def bbox_dep(
    datum: DatumDep,
    bbox: Annotated[
        str | None,
        Query(
            pattern=_BBOX.pattern,
            description="min_lon,min_lat,max_lon,max_lat in the `coords` datum (two opposite "
            "corners in either order; beyond +-180 / +-90 counts as the edge)",
            examples=["118.8,42.2,119.1,42.4"],
        ),
    ] = None,
) -> BBox | None:
    if bbox is None:
        return None
    if not _BBOX.match(bbox):
        raise InvalidInput(
            ["query", "bbox"], "expected four numbers: min_lon,min_lat,max_lon,max_lat"
        )
    # Any two opposite corners, in either order; beyond the globe is the globe's edge.
    lon_a, lat_a, lon_b, lat_b = (float(v) for v in bbox.split(","))
    min_lon, max_lon = (max(-180.0, min(180.0, v)) for v in sorted((lon_a, lon_b)))
    min_lat, max_lat = (max(-90.0, min(90.0, v)) for v in sorted((lat_a, lat_b)))
    # Corners come in the caller's datum (a GCJ-02 map viewport) and the table is WGS-84.
    lo = from_datum(min_lat, min_lon, datum)
    hi = from_datum(max_lat, max_lon, datum)
    return BBox(min_lat=lo[0], min_lon=lo[1], max_lat=hi[0], max_lon=hi[1])


BBoxDep = Annotated[BBox | None, Depends(bbox_dep)]
TextQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=100,
        pattern=r"^[^\x00]+$",
        description="Text in zh or en names/descriptions",
    ),
]
Slug = Annotated[str | None, Query(pattern=SLUG)]
