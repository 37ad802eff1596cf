"""Funds API routes under /api/v1/funds/ (the router's list and detail routes only)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from ecosystem.funds.api import declarations, pools
from ecosystem.funds.api.dashboard import FundDashboardView
from ecosystem.funds.api.views import FundsLoanViewSet

router = SimpleRouter(use_regex_path=False)
router.register("funds/loans", FundsLoanViewSet, basename="api-funds-loan")
router.register("funds/schemes", pools.SchemeViewSet, basename="api-funds-scheme")
router.register("funds/filings", pools.FilingViewSet, basename="api-funds-filing")
router.register("funds/claims", pools.ClaimViewSet, basename="api-funds-claim")
router.register("funds/subsidies", pools.SubsidyViewSet, basename="api-funds-subsidy")
router.register(
    "funds/product-schemes",
    declarations.ProductSchemeViewSet,
    basename="api-funds-product-scheme",
)

urlpatterns = [
    path("funds/dashboard/", FundDashboardView.as_view(), name="api-funds-dashboard"),
    *router.urls,
]
