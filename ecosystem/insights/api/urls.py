"""Dashboard figures in the API under /api/v1/."""

from django.urls import path

from ecosystem.insights.api.bank import BankDashboardView
from ecosystem.insights.api.chains import ChainCoverageView
from ecosystem.insights.api.platform import PlatformDashboardView
from ecosystem.insights.api.zone import DashboardView

urlpatterns = [
    path("zones/dashboard/", DashboardView.as_view(), name="api-zone-dashboard"),
    path("platform/dashboard/", PlatformDashboardView.as_view(), name="api-platform-dashboard"),
    path("financing/dashboard/", BankDashboardView.as_view(), name="api-financing-dashboard"),
    path("chains/<slug:code>/coverage/", ChainCoverageView.as_view(), name="api-chain-coverage"),
]
