"""The Django admin only looks at enterprises: a change or a delete there would pass the
services that keep the counters a firm feeds (its zone's review backlog, the zone and
platform summaries, the match totals), and a delete would take the firm's audit trail,
consents and leads with it."""

import pytest
from django.urls import reverse

from ecosystem.enterprises.models import Enterprise
from tests.factories import EnterpriseFactory, PlatformAdminFactory, ZoneFactory
from tests.worlds.leads import client_for

pytestmark = pytest.mark.django_db


def test_the_admin_sees_an_enterprise_but_cannot_change_or_delete_it():
    home, other = ZoneFactory(code="home"), ZoneFactory(code="other")
    firm = EnterpriseFactory(zone=home, name="原名科技")
    client = client_for(PlatformAdminFactory())
    page = client.get(reverse("admin:enterprises_enterprise_change", args=[firm.pk]))
    assert page.status_code == 200
    assert "原名科技" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()

    changed = client.post(
        reverse("admin:enterprises_enterprise_change", args=[firm.pk]),
        {"name": "新名", "zone": other.pk},
    )
    assert changed.status_code == 403
    deleted = client.post(
        reverse("admin:enterprises_enterprise_delete", args=[firm.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 403
    bulk = client.post(
        reverse("admin:enterprises_enterprise_changelist"),
        {"action": "delete_selected", "_selected_action": [firm.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    firm.refresh_from_db()
    assert (firm.name, firm.zone_id) == ("原名科技", home.pk)
    assert Enterprise.objects.filter(pk=firm.pk).exists()
