"""Funds API routes under /api/v1/funds/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from ecosystem.funds.api.views import FundsLoanViewSet

router = SimpleRouter(use_regex_path=False)
router.register("funds/loans", FundsLoanViewSet, basename="api-funds-loan")

urlpatterns = [
    *router.urls,
    path(
        "funds/loans/<int:pk>/",
        FundsLoanViewSet.as_view({"get": "retrieve"}),
        name="api-funds-loan-detail",
    ),
]
