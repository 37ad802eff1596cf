"""On PostgreSQL, two relationship managers claiming one lead at once: one owns it."""

import pytest

from ecosystem.core.errors import ConflictError
from ecosystem.core.models import AuditEvent
from ecosystem.financing import services as pipeline
from ecosystem.financing.models import Lead, LeadNote
from tests.worlds.concurrency import run_together
from tests.worlds.lead_pipeline import World


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_relationship_managers_claim_one_lead_at_once_exactly_one_owns_it(
    require_postgres,
):
    world = World()
    rms = (world.rm, world.other_rm)

    for _ in range(5):  # a few rounds to give the race its chance
        Lead.objects.filter(pk=world.lead.pk).update(
            status=Lead.Status.NEW, assigned_to=None, first_contact_at=None
        )
        LeadNote.objects.all().delete()
        audits = AuditEvent.objects.filter(verb="lead.assigned").count()

        results = run_together(
            *(lambda rm=rm: pipeline.lead_claim(lead=world.lead, actor=rm) for rm in rms)
        )

        winners = [r for r in results if isinstance(r, Lead)]
        losers = [r for r in results if isinstance(r, Exception)]
        assert len(winners) == 1, results
        assert len(losers) == 1 and isinstance(losers[0], ConflictError), results
        assert losers[0].code == "already_claimed"
        winner = rms[results.index(winners[0])]
        assert str(winner) in losers[0].message

        lead = Lead.objects.get(pk=world.lead.pk)
        assert (lead.status, lead.assigned_to_id) == (Lead.Status.ASSIGNED, winner.pk)
        assert LeadNote.objects.filter(lead=lead, to_status=Lead.Status.ASSIGNED).count() == 1
        assert AuditEvent.objects.filter(verb="lead.assigned").count() == audits + 1
