"""The two prefectures' outlines, for drawing maps (the web pages' route maps)."""

from functools import lru_cache
from typing import Annotated

from fastapi import APIRouter, Header, Response
from geojson_pydantic import Feature, FeatureCollection, MultiPolygon
from geojson_pydantic.types import Position, Position2D
from pydantic import BaseModel, Field

from app import boundaries
from routers.itineraries import GeoJSONResponse
from routers.reads import NOT_MODIFIED, etag_of, matches, serialise

router = APIRouter(tags=["places"])
GEOJSON = "application/geo+json"


class BoundaryProperties(BaseModel):
    city_id: str = Field(description="The city (`/v1/cities`) this outline is of")


BoundaryFeature = Feature[MultiPolygon, BoundaryProperties]


class Boundaries(FeatureCollection[BoundaryFeature]):
    """One MultiPolygon per city with a shipped outline, WGS-84 (RFC 7946)."""


def _feature(city: str) -> BoundaryFeature:
    polygons = boundaries.polygons(city) or []
    coordinates: list[list[list[Position]]] = [
        [[Position2D(*p) for p in ring] for ring in poly] for poly in polygons
    ]
    return BoundaryFeature(
        type="Feature",
        geometry=MultiPolygon(type="MultiPolygon", coordinates=coordinates),
        properties=BoundaryProperties(city_id=city),
    )


@lru_cache(maxsize=1)
def _document() -> tuple[bytes, str]:
    """The outlines ship with the code, so the document is built once per process."""
    features = [_feature(city) for city in boundaries.known_cities()]
    body = serialise(Boundaries, Boundaries(type="FeatureCollection", features=features))
    return body, etag_of(body)


@router.get(
    "/boundaries",
    response_model=Boundaries,
    response_class=GeoJSONResponse,
    responses={**NOT_MODIFIED, 200: {"content": {GEOJSON: {}}}},
)
def get_boundaries(
    if_none_match: Annotated[
        str | None, Header(description="ETag of a copy you hold: 304 if still current")
    ] = None,
) -> Response:
    """The prefecture outlines of Chifeng and Tongliao (simplified to about 0.5 km; the
    same ones that every spot and hub is checked against), a Feature per city."""
    body, etag = _document()
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=GEOJSON, headers=headers)
