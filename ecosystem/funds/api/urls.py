"""Funds API routes under /api/v1/funds/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from ecosystem.funds.api import pools
from ecosystem.funds.api.dashboard import FundDashboardView
from ecosystem.funds.api.views import FundsLoanViewSet

router = SimpleRouter(use_regex_path=False)
router.register("funds/loans", FundsLoanViewSet, basename="api-funds-loan")
router.register("funds/schemes", pools.SchemeViewSet, basename="api-funds-scheme")
router.register("funds/filings", pools.FilingViewSet, basename="api-funds-filing")
router.register("funds/claims", pools.ClaimViewSet, basename="api-funds-claim")
router.register("funds/subsidies", pools.SubsidyViewSet, basename="api-funds-subsidy")


def _detail(viewset, prefix, name):
    return path(f"{prefix}/<int:pk>/", viewset.as_view({"get": "retrieve"}), name=name)


urlpatterns = [
    path("funds/dashboard/", FundDashboardView.as_view(), name="api-funds-dashboard"),
    *router.urls,
    _detail(FundsLoanViewSet, "funds/loans", "api-funds-loan-detail"),
    _detail(pools.SchemeViewSet, "funds/schemes", "api-funds-scheme-detail"),
    _detail(pools.FilingViewSet, "funds/filings", "api-funds-filing-detail"),
    _detail(pools.ClaimViewSet, "funds/claims", "api-funds-claim-detail"),
    _detail(pools.SubsidyViewSet, "funds/subsidies", "api-funds-subsidy-detail"),
]
