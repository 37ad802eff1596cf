"""Enterprise API routes under /api/v1/; nested routes carry the enterprise id."""

from rest_framework.routers import SimpleRouter

from ecosystem.enterprises.api.views.claims import ClaimViewSet, EvidenceViewSet
from ecosystem.enterprises.api.views.consent import AccessLogViewSet, ConsentViewSet
from ecosystem.enterprises.api.views.enterprise import EnterpriseViewSet
from ecosystem.enterprises.api.views.figures import FinancialYearViewSet, FinancingNeedViewSet
from ecosystem.enterprises.api.views.members import (
    EnterpriseJoinRequestViewSet,
    MemberViewSet,
    MyJoinRequestViewSet,
)

ENTERPRISE = "enterprises/<int:enterprise_pk>"

router = SimpleRouter(use_regex_path=False)
router.register("enterprises", EnterpriseViewSet, basename="api-enterprise")
router.register(
    f"{ENTERPRISE}/financial-years", FinancialYearViewSet, basename="api-financial-year"
)
router.register(
    f"{ENTERPRISE}/financing-needs", FinancingNeedViewSet, basename="api-financing-need"
)
router.register(f"{ENTERPRISE}/claims", ClaimViewSet, basename="api-claim")
router.register(
    f"{ENTERPRISE}/claims/<int:claim_pk>/evidence", EvidenceViewSet, basename="api-claim-evidence"
)
router.register(f"{ENTERPRISE}/consents", ConsentViewSet, basename="api-consent")
router.register(f"{ENTERPRISE}/access-log", AccessLogViewSet, basename="api-access-log")
router.register(f"{ENTERPRISE}/members", MemberViewSet, basename="api-member")
router.register(
    f"{ENTERPRISE}/join-requests",
    EnterpriseJoinRequestViewSet,
    basename="api-enterprise-join-request",
)
router.register("join-requests", MyJoinRequestViewSet, basename="api-join-request")

urlpatterns = router.urls
