"""The chain leaders page: each active leader's "End" form posts to that leader's own end
URL (built from one ``reverse`` for the whole table), an ended one has none; the dates are
the local (Asia/Shanghai) days, as ``|date:"Y-m-d"`` showed them."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ecosystem.chains.models import Chain, ChainLeader
from tests.factories import EnterpriseFactory, PlatformAdminFactory
from tests.worlds.leads import client_for

pytestmark = pytest.mark.django_db


def test_each_active_leader_is_ended_through_its_own_url():
    chain = Chain.objects.get(code="ic")
    leaders = [
        ChainLeader.objects.create(chain=chain, enterprise=EnterpriseFactory()) for _ in range(3)
    ]
    leaders.append(
        ChainLeader.objects.create(
            chain=chain, enterprise=EnterpriseFactory(), ended_at=timezone.now()
        )
    )
    html = client_for(PlatformAdminFactory()).get(reverse("chains:leader_list")).content.decode()
    rows = {
        m.group(1): m.group(0)
        for m in re.finditer(r'data-testid="leader" data-pk="(\d+)".*?</tr>', html, re.S)
    }
    assert len(rows) == 4
    for leader in leaders[:3]:
        action = re.search(r'action="([^"]+)"', rows[str(leader.pk)]).group(1)
        assert action == reverse("chains:leader_end", args=[leader.pk])
    assert "action=" not in rows[str(leaders[3].pk)]


def test_the_designation_dates_are_local_days():
    chain = Chain.objects.get(code="ic")
    evening = datetime(2026, 1, 1, 20, 0, tzinfo=UTC)  # 2 January 04:00 in Shanghai
    leader = ChainLeader.objects.create(
        chain=chain, enterprise=EnterpriseFactory(), ended_at=datetime(2026, 3, 4, 17, tzinfo=UTC)
    )
    ChainLeader.objects.filter(pk=leader.pk).update(designated_at=evening)
    html = client_for(PlatformAdminFactory()).get(reverse("chains:leader_list")).content.decode()
    assert "<td>2026-01-02 – 2026-03-05</td>" in html
