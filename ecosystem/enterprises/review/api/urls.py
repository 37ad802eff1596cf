"""The zone official's review API under /api/v1/zones/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from ecosystem.enterprises.review.api.views import QueueView, ZoneClaimViewSet, ZoneYearViewSet

router = SimpleRouter(use_regex_path=False)
router.register("zones/claims", ZoneClaimViewSet, basename="api-zone-claim")
router.register("zones/years", ZoneYearViewSet, basename="api-zone-year")

urlpatterns = [
    path("zones/queue/", QueueView.as_view(), name="api-zone-queue"),
    *router.urls,
]
