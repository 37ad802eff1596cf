"""A bank manager declares the scheme a product lends under — only a scheme the bank has
joined — on the product's page or through the API; the match reason "Covered by <scheme>:
50 % of losses" follows from the declaration; refusals change nothing."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from ecosystem.core.errors import ApplicationError
from ecosystem.core.models import AuditEvent
from ecosystem.financing.models import Product
from ecosystem.funds.models import SchemeProduct
from ecosystem.funds.services.declarations import scheme_product_declare
from tests.factories import (
    BankManagerFactory,
    CooperatingBankFactory,
    PlatformAdminFactory,
    SchemeVersionFactory,
)
from tests.worlds.financing import build_world

pytestmark = pytest.mark.django_db


def _client(user, language="en"):
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def _state():
    return list(
        SchemeProduct.objects.values_list("product_id", "scheme_id")
    ), AuditEvent.objects.count()


def _setup():
    world = build_world()
    product = Product.objects.get(code="talent")
    manager = world.users["manager"]
    joined = SchemeVersionFactory(compensation_share=Decimal("0.5000"))
    CooperatingBankFactory(version=joined, bank=product.bank)
    not_joined = SchemeVersionFactory()
    return world, product, manager, joined.scheme, not_joined.scheme


def test_the_manager_declares_a_joined_scheme_and_the_match_reason_follows():
    world, product, manager, joined, not_joined = _setup()
    edit = _client(manager).get(reverse("financing_product_edit", args=[product.pk]))
    assert 'data-testid="product-scheme-link"' in edit.content.decode()
    url = reverse("funds:product_scheme", args=[product.pk])
    form = _client(manager).get(url).content.decode()
    assert joined.name in form and not_joined.name not in form  # only schemes joined
    response = _client(manager).post(url, {"scheme": joined.pk})
    assert response.status_code == 302
    assert SchemeProduct.objects.get(product=product).scheme == joined
    matches = _client(world.users["member"]).get(
        f"/financing/enterprises/{world.matched.pk}/matches/"
    )
    assert f"Covered by {joined.name}: 50 % of losses" in matches.content.decode()
    # None: the declaration goes, and the reason with it.
    assert _client(manager).post(url, {"scheme": ""}).status_code == 302
    assert not SchemeProduct.objects.filter(product=product).exists()
    matches = _client(world.users["member"]).get(
        f"/financing/enterprises/{world.matched.pk}/matches/"
    )
    assert "Covered by" not in matches.content.decode()


def test_a_scheme_the_bank_has_not_joined_is_refused_and_nothing_changes():
    _world, product, manager, joined, not_joined = _setup()
    scheme_product_declare(product=product, scheme=joined, actor=manager)
    before = _state()
    url = reverse("funds:product_scheme", args=[product.pk])
    response = _client(manager).post(url, {"scheme": not_joined.pk})
    assert response.status_code == 400
    assert 'data-testid="error-scheme"' in response.content.decode()
    with pytest.raises(ApplicationError) as refused:
        scheme_product_declare(product=product, scheme=not_joined, actor=manager)
    assert refused.value.code == "not_cooperating"
    assert _state() == before
    # The same declaration again changes nothing either (no audit event).
    scheme_product_declare(product=product, scheme=joined, actor=manager)
    assert _state() == before


def test_only_a_manager_of_the_products_bank_declares():
    world, product, _manager, joined, _other = _setup()
    before = _state()
    other_manager = BankManagerFactory()
    for user in (world.users["rm"], other_manager, world.users["member"]):
        url = reverse("funds:product_scheme", args=[product.pk])
        assert _client(user).post(url, {"scheme": joined.pk}).status_code == 404
        with pytest.raises(ApplicationError):
            scheme_product_declare(product=product, scheme=joined, actor=user)
    # The platform admin edits products but declares no scheme: no link, no page.
    admin = PlatformAdminFactory()
    edit = _client(admin).get(reverse("financing_product_edit", args=[product.pk]))
    assert edit.status_code == 200 and "product-scheme-link" not in edit.content.decode()
    assert _client(admin).get(reverse("funds:product_scheme", args=[product.pk])).status_code == 404
    api = APIClient()
    api.force_authenticate(other_manager)
    detail = reverse("api-funds-product-scheme-detail", args=[product.pk])
    assert api.put(detail, {"scheme": joined.pk}, format="json").status_code == 404
    assert _state() == before


def test_the_api_reads_and_declares_the_scheme_of_a_product():
    _world, product, manager, joined, not_joined = _setup()
    api = APIClient()
    api.force_authenticate(manager)
    listing = api.get(reverse("api-funds-product-scheme-list")).json()
    rows = listing["results"] if isinstance(listing, dict) else listing
    assert {row["product"] for row in rows} >= {product.pk}
    detail = reverse("api-funds-product-scheme-detail", args=[product.pk])
    answer = api.put(detail, {"scheme": joined.pk}, format="json")
    assert answer.status_code == 200, answer.content
    assert (answer.json()["scheme"], answer.json()["scheme_name"]) == (joined.pk, joined.name)
    before = _state()
    refused = api.put(detail, {"scheme": not_joined.pk}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "not_cooperating"
    assert _state() == before
    cleared = api.put(detail, {"scheme": None}, format="json")
    assert cleared.json()["scheme"] is None
    assert not SchemeProduct.objects.filter(product=product).exists()
