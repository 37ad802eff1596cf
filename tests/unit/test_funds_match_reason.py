"""A product declared as lending under a risk pool shows the pool as a match reason:
"Covered by <scheme>: 50 % of losses" (funds' include on financing's matches page)."""

from decimal import Decimal

import pytest
from django.utils import translation

from ecosystem.financing.models import Product
from ecosystem.funds.models import SchemeProduct
from tests.factories import SchemeVersionFactory
from tests.worlds.financing import build_world, client_for

pytestmark = pytest.mark.django_db


def test_a_match_under_a_pool_says_which_share_of_losses_it_covers():
    world = build_world()
    url = f"/financing/enterprises/{world.matched.pk}/matches/"
    with translation.override("en"):
        before = client_for(world.users["member"]).get(url).content.decode()
    assert 'data-testid="match-scheme"' not in before
    version = SchemeVersionFactory(compensation_share=Decimal("0.5000"))
    SchemeProduct.objects.create(product=Product.objects.get(code="talent"), scheme=version.scheme)
    client = client_for(world.users["member"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Covered by {version.scheme.name}: 50 % of losses" in body
