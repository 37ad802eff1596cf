"""Money shown one way on the main pages: short figures (万元 / CNY million) with the exact
yuan on hover on lists, dashboards and offers; exports keep the exact yuan; shares are
typed and shown as percentages (the product form stores the fraction)."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from ecosystem.financing.models import Product
from tests.worlds.financing import build_world, product_post
from tests.worlds.leads import client_for
from tests.worlds.pipeline import Pipeline

#: A raw amount as the pages once showed it: 38600000.00, 38,600,000.00 or ¥1000000.00.
pytestmark = pytest.mark.django_db

RAW_AMOUNT = re.compile(r"¥|\d{5,}\.\d\d|\d{1,3}(,\d{3})+\.\d\d")


def visible(html: str) -> str:
    """The page's visible text: no scripts (chart data), no attributes (the hover)."""
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def pages(world: Pipeline) -> dict[str, tuple]:
    member = world.members[world.financed.pk]
    return {
        "bank dashboard": (world.manager, reverse("financing_bank_dashboard")),
        "lead inbox": (world.manager, reverse("financing_lead_inbox") + "?tab=team"),
        "lead page": (world.manager, reverse("financing_lead_detail", args=[world.financed.pk])),
        "products": (world.manager, reverse("financing_products")),
        "enterprise requests": (
            member,
            reverse("financing_enterprise_leads", args=[world.financed.enterprise_id]),
        ),
    }


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_main_pages_show_amounts_short_with_the_exact_yuan_on_hover(language):
    world = Pipeline()
    unit = "万元" if language == "zh-hans" else "CNY "
    for name, (user, url) in pages(world).items():
        client = client_for(user)
        client.cookies["django_language"] = language
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, name
        html = response.content.decode()
        text = visible(html)
        assert not RAW_AMOUNT.search(text), (name, RAW_AMOUNT.search(text))
        assert unit in text, name
        assert re.search(r'title="[\d,]+\.\d\d (元|yuan)"', html), name


def test_dashboard_export_keeps_the_exact_yuan():
    world = Pipeline()
    client = client_for(world.manager)
    response = client.get(reverse("financing_bank_dashboard_export", args=["amounts", "csv"]))
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    amounts = [row[1] for row in rows[1:]]
    assert amounts and all(re.fullmatch(r"\d+\.\d\d", a) for a in amounts)
    assert "750000.00" in amounts


def test_product_form_takes_shares_as_percentages_and_stores_fractions():
    world = build_world()
    client = client_for(world.users["manager"])
    url = f"/financing/bank/products/{world.product.pk}/"
    response = client.post(
        url,
        product_post(min_rd_intensity="6.5", limit_basis="revenue_share", limit_factor="15"),
    )
    assert response.status_code == 302
    version = Product.objects.get(pk=world.product.pk).current_version
    assert version.min_rd_intensity == Decimal("0.065")
    assert version.limit_factor == Decimal("0.15")
    # Shown again as typed: percentages.
    form = client.get(url).context["form"]
    assert form["min_rd_intensity"].value() == Decimal("6.50")
    assert form["limit_factor"].value() == Decimal("15.00")


def test_a_share_above_a_hundred_percent_is_refused_beside_its_field():
    world = build_world()
    client = client_for(world.users["manager"])
    with translation.override("en"):
        response = client.post(
            f"/financing/bank/products/{world.product.pk}/",
            {**product_post(min_rd_intensity="105"), "name_zh": "改名"},
        )
    assert response.status_code == 200
    assert 'data-testid="error-min_rd_intensity"' in response.content.decode()
    assert 'value="105"' in response.content.decode()
    assert Product.objects.get(pk=world.product.pk).name_zh != "改名"
