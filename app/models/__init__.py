"""All tables, imported here so that metadata (and Alembic) sees every one."""

from app.models.base import metadata  # noqa: I001 (must come first: sets the naming convention)
from app.models.access import ApiKey, AuditEntry, Role
from app.models.data_version import DataVersion
from app.models.holiday import HolidayNotice, HolidayNoticeDay
from app.models.hub import Hub, HubKind
from app.models.itinerary import Itinerary, PlanLog
from app.models.job import ImportJob, JobStatus, PlanJob
from app.models.package import Package, PackageStatus
from app.models.places import City, District
from app.models.spot import Basis, Category, Spot, SpotCategory, SpotClosure
from app.models.transit import Departure, Mode, TransitLink

__all__ = [
    "metadata",
    "ApiKey",
    "AuditEntry",
    "Basis",
    "Category",
    "City",
    "DataVersion",
    "Departure",
    "District",
    "HolidayNotice",
    "HolidayNoticeDay",
    "Hub",
    "HubKind",
    "ImportJob",
    "Itinerary",
    "JobStatus",
    "Mode",
    "Package",
    "PackageStatus",
    "PlanJob",
    "PlanLog",
    "Role",
    "Spot",
    "SpotCategory",
    "SpotClosure",
    "TransitLink",
]
