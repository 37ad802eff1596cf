"""Zone API routes under /api/v1/zones/, and the platform dashboard's."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from ecosystem.zones.api.platform import PlatformDashboardView
from ecosystem.zones.api.views import DashboardView, QueueView, ZoneClaimViewSet, ZoneYearViewSet

router = SimpleRouter(use_regex_path=False)
router.register("zones/claims", ZoneClaimViewSet, basename="api-zone-claim")
router.register("zones/years", ZoneYearViewSet, basename="api-zone-year")

urlpatterns = [
    path("zones/queue/", QueueView.as_view(), name="api-zone-queue"),
    path("zones/dashboard/", DashboardView.as_view(), name="api-zone-dashboard"),
    path("platform/dashboard/", PlatformDashboardView.as_view(), name="api-platform-dashboard"),
    *router.urls,
]
