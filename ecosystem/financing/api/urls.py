"""Financing API routes under /api/v1/financing/."""

from rest_framework.routers import SimpleRouter

from ecosystem.financing.api.campaigns import FinancingCampaignViewSet, FinancingInvitationViewSet
from ecosystem.financing.api.leads import FinancingLeadViewSet, FinancingOfferViewSet
from ecosystem.financing.api.matches import FinancingMatchViewSet
from ecosystem.financing.api.products import FinancingProductViewSet

router = SimpleRouter(use_regex_path=False)
router.register("financing/products", FinancingProductViewSet, basename="api-financing-product")
router.register("financing/matches", FinancingMatchViewSet, basename="api-financing-match")
router.register("financing/campaigns", FinancingCampaignViewSet, basename="api-financing-campaign")
# Campaign invitations are served as "pre-approvals": the API keeps "invitation" for the
# platform's staff invitations, which no route may write (tests/api/test_me.py).
router.register(
    "financing/pre-approvals", FinancingInvitationViewSet, basename="api-financing-preapproval"
)
router.register("financing/leads", FinancingLeadViewSet, basename="api-financing-lead")
router.register("financing/offers", FinancingOfferViewSet, basename="api-financing-offer")

urlpatterns = [
    *router.urls,
]
