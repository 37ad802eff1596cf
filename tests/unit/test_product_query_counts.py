"""The bank's product list (page and API) makes the same number of SQL queries for 10
products as for 1,000: each product's current version comes from one prefetch, not a
query per product (the national crawl found 67 queries for 60 products; issue #19)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecosystem.financing.models import Product, ProductVersion
from tests.factories import BranchFactory, PlatformAdminFactory
from tests.worlds.leads import client_for

pytestmark = pytest.mark.django_db


def add_products(bank, count: int, *, start: int) -> None:
    """``count`` products of ``bank``, each with two versions."""
    products = Product.objects.bulk_create(
        [
            Product(bank=bank, code=f"q{start + i}", name_zh=f"产品{start + i}", kind="unsecured")
            for i in range(count)
        ]
    )
    ProductVersion.objects.bulk_create(
        [
            ProductVersion(
                product=product,
                number=number,
                amount_min=Decimal(100_000),
                amount_max=Decimal(5_000_000),
                term_min_months=6,
                term_max_months=36,
                rate_min=Decimal("3.2"),
                rate_max=Decimal("6.5"),
                limit_basis=ProductVersion.LimitBasis.FIXED,
                limit_factor=Decimal(1_000_000 * number),
            )
            for product in products
            for number in (1, 2)
        ]
    )


def queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), "\n".join(q["sql"] for q in captured.captured_queries)


@pytest.mark.parametrize("name", ["financing_products", "api-financing-product-list"])
def test_product_list_queries_do_not_grow_with_products(name):
    bank = BranchFactory().bank
    client = client_for(PlatformAdminFactory())
    url = reverse(name)
    add_products(bank, 10, start=0)
    client.get(url)  # warm the session
    few, _ = queries(client, url)
    add_products(bank, 990, start=10)
    many, sql = queries(client, url)
    assert many == few, sql


def test_the_list_shows_each_products_newest_version():
    bank = BranchFactory().bank
    add_products(bank, 3, start=0)
    response = client_for(PlatformAdminFactory()).get(
        reverse("api-financing-product-list"), {"page_size": 100}
    )
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    assert {row["current_version"]["number"] for row in rows} == {2}
