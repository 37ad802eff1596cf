"""Chain API routes under /api/v1/chains/ (the fixed prefixes come before chain codes)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from ecosystem.chains.api.views import (
    ChainLeaderViewSet,
    ChainNodeViewSet,
    ChainViewSet,
    EnterpriseNodesView,
    SupplierLinkViewSet,
)

router = SimpleRouter(use_regex_path=False)
router.register("chains/nodes", ChainNodeViewSet, basename="api-chain-node")
router.register("chains/leaders", ChainLeaderViewSet, basename="api-chain-leader")
router.register("chains/links", SupplierLinkViewSet, basename="api-chain-link")
router.register("chains", ChainViewSet, basename="api-chain")

urlpatterns = [
    path(
        "chains/enterprises/<int:enterprise_pk>/nodes/",
        EnterpriseNodesView.as_view(),
        name="api-chain-enterprise-nodes",
    ),
    *router.urls,
]
