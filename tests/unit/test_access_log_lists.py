"""A bank's lead inbox and its export show consenting enterprises' names and credit codes:
each writes the enterprise's access-log entry through the one service, like the API."""

import pytest
from django.urls import reverse
from django.utils import translation

from ecosystem.enterprises.models import AccessLogEntry, Consent
from tests.worlds.leads import World, client_for

pytestmark = pytest.mark.django_db


def _entries(world, section):
    return list(
        AccessLogEntry.objects.filter(enterprise=world.enterprise, section=section).values_list(
            "viewer_id", "bank_id"
        )
    )


def test_opening_the_inbox_logs_the_consenting_enterprises_shown():
    world = World()
    response = client_for(world.rm).get(reverse("financing_lead_inbox") + "?tab=unassigned")
    assert response.status_code == 200
    assert world.enterprise.name in response.content.decode()
    assert _entries(world, "leads") == [(world.rm.pk, world.bank.pk)]


def test_the_export_logs_each_enterprise_it_names():
    world = World()
    response = client_for(world.manager).get(
        reverse("financing_lead_export", args=["csv"]) + "?tab=team"
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert world.enterprise.uscc in body
    assert _entries(world, "leads-export") == [(world.manager.pk, world.bank.pk)]


def test_without_consent_nothing_is_shown_and_nothing_logged():
    world = World()
    Consent.objects.filter(enterprise=world.enterprise).delete()
    client = client_for(world.manager)
    page = client.get(reverse("financing_lead_inbox") + "?tab=team").content.decode()
    export = client.get(reverse("financing_lead_export", args=["csv"]) + "?tab=team")
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert world.enterprise.uscc not in page + body
    assert not AccessLogEntry.objects.filter(enterprise=world.enterprise).exists()


def test_the_firm_reads_what_was_looked_at_in_its_own_words():
    world = World()
    client_for(world.rm).get(reverse("financing_lead_inbox") + "?tab=unassigned")
    client = client_for(world.member)
    with translation.override("en"):
        page = client.get(
            reverse("access_log", args=[world.enterprise.pk]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert "Lead inbox" in page
    assert ">leads<" not in page
