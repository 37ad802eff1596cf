"""The financing API tests' world: ``build_world()`` (tests/worlds/financing.py)
with a draft campaign of bank A's and an invitation of bank B's sent campaign to the
matched enterprise; the API root and an API client signed in as a user."""

from __future__ import annotations

from rest_framework.test import APIClient

from ecosystem.financing import services
from ecosystem.financing.models import CampaignInvitation, Product
from tests.worlds.financing import World, build_world

API = "/api/v1/financing/"


def client_for(user) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def world_with_campaigns() -> World:
    w = build_world()
    w.campaign = services.campaign_create(product=w.product, actor=w.users["manager"])
    other = services.campaign_create(
        product=Product.objects.get(bank=w.other_bank), actor=w.users["other_manager"]
    )
    services.campaign_send(campaign=other, actor=w.users["other_manager"])
    w.invitation = CampaignInvitation.objects.get(enterprise=w.matched, campaign=other)
    return w
