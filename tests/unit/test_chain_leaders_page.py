"""The chain leaders page: each active leader's "End" form posts to that leader's own end
URL (built from one ``reverse`` for the whole table), an ended one has none."""

from __future__ import annotations

import re

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
