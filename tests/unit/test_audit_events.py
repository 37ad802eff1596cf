"""AuditEvent is append-only: no update or delete through the ORM, the admin or the database."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from ecosystem.core.models import AuditEvent, AuditImmutableError
from ecosystem.core.services import audit_record
from tests.factories import PlatformAdminFactory, ZoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    zone = ZoneFactory()
    return audit_record(actor=None, verb="zone.created", target=zone, after={"code": zone.code})


def test_audit_record_stores_target_and_state(event):
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.verb == "zone.created"
    assert stored.target_id == str(stored.target_type.get_object_for_this_type().pk)
    assert stored.after["code"].startswith("zone-")


def test_saving_an_existing_event_is_refused(event):
    event.verb = "tampered"
    with pytest.raises(AuditImmutableError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).verb == "zone.created"


def test_queryset_update_delete_and_bulk_update_are_refused(event):
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(verb="tampered")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()
    event.verb = "tampered"
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.bulk_update([event], ["verb"])
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.get(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk, verb="zone.created").count() == 1


def test_database_refuses_an_update_below_the_orm(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET verb = 'tampered' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).verb == "zone.created"


def test_postgres_refuses_a_raw_delete(require_postgres, event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_admin_cannot_add_change_or_delete_events(client, event):
    client.force_login(PlatformAdminFactory())
    change_url = reverse("admin:core_auditevent_change", args=[event.pk])
    assert client.get(change_url).status_code == 200  # viewing is allowed
    assert client.post(change_url, {"verb": "tampered"}).status_code == 403
    assert (
        client.post(
            reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
    changelist = reverse("admin:core_auditevent_changelist")
    response = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302)
    assert AuditEvent.objects.filter(pk=event.pk, verb="zone.created").count() == 1
