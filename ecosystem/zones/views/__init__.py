"""Zone pages. Views parse input and call services and selectors; claims and years are
fetched only through querysets scoped to the official's zones, so anything else is a 404."""

from ecosystem.zones.views.dashboard import dashboard, dashboard_export
from ecosystem.zones.views.preferences import zone_settings
from ecosystem.zones.views.queue import queue, queue_bulk, queue_export
from ecosystem.zones.views.review import claim_decide, claim_review
from ecosystem.zones.views.years import year_review

__all__ = [
    "claim_decide",
    "claim_review",
    "dashboard",
    "dashboard_export",
    "queue",
    "queue_bulk",
    "queue_export",
    "year_review",
    "zone_settings",
]
