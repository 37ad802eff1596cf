"""The leads' stored facts (``reached``, ``contact_hours``, ``decision_hours``, and the
firm's zone kept on the lead) recomputed in bulk, for ``summary_recount.summaries_rebuild``:
after bulk writes past the services and after the official calendar changed."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import F, OuterRef, Subquery

from ecosystem.core.workdays import calendar_overrides
from ecosystem.core.worktime import working_hours_between
from ecosystem.financing.models import Lead, LeadNote
from ecosystem.financing.summary import PATH, reached_index


def leads_refresh_facts(*, batch: int = 20000) -> int:
    """Recompute every lead's stored facts from its timeline and clocks: ``reached``
    (status and the timeline's moves) and the working hours (current calendar). For
    leads written in bulk, and after the official calendar changed. Returns the leads
    changed."""
    changed = 0
    reached_of: dict[int, int] = {}
    for lead_id, to_status in (
        LeadNote.objects.filter(to_status__in=PATH[1:])
        .values_list("lead_id", "to_status")
        .iterator()
    ):
        reached_of[lead_id] = max(reached_of.get(lead_id, 0), PATH.index(to_status))
    columns = ("pk", "status", "reached", "created_at", "first_contact_at", "decided_at")
    columns += ("contact_hours", "decision_hours")
    pending: list[Lead] = []
    calendar = calendar_overrides()  # once, not from the cache for every clock
    for row in Lead.objects.order_by("pk").values(*columns).iterator(chunk_size=batch):
        lead = Lead(**row)
        reached = reached_index(lead.status, reached_of.get(lead.pk, 0))
        contact = (
            working_hours_between(lead.created_at, lead.first_contact_at, calendar)
            if lead.first_contact_at
            else None
        )
        decision = (
            working_hours_between(lead.created_at, lead.decided_at, calendar)
            if lead.decided_at
            else None
        )
        if (reached, contact, decision) != (lead.reached, lead.contact_hours, lead.decision_hours):
            lead.reached, lead.contact_hours, lead.decision_hours = reached, contact, decision
            pending.append(lead)
        if len(pending) >= batch:
            changed += _save_facts(pending)
    return changed + _save_facts(pending)


def _zone_differs():
    """The leads whose kept zone is not their enterprise's."""
    return Lead.objects.exclude(zone_id=F("enterprise__zone_id")).order_by()


def lead_zones_drift(*, examples: int = 20) -> dict:
    """{"lead_zones": {"differing", "examples"}} as ``core.drift.table_drift`` reports a
    table: the leads whose zone (``Lead.zone``, kept by the lead services and the zone
    move) is not their enterprise's, as (lead, its zone, the firm's); one joined count."""
    differing = _zone_differs()
    listed = differing.order_by("pk").values_list("pk", "zone_id", "enterprise__zone_id")
    return {
        "lead_zones": {
            "differing": differing.count(),
            "examples": [repr(row) for row in listed[:examples]],
        }
    }


def leads_refresh_zones() -> int:
    """Each lead whose zone is not its enterprise's given the enterprise's (leads written
    past the services); the leads changed."""
    from ecosystem.enterprises.models import Enterprise

    zone = Enterprise.objects.filter(pk=OuterRef("enterprise_id")).values("zone_id")[:1]
    return Lead.objects.filter(pk__in=_zone_differs().values("pk")).update(zone_id=Subquery(zone))


def _save_facts(leads: list[Lead]) -> int:
    count = len(leads)
    if not leads:
        return 0
    if connection.vendor != "postgresql":
        Lead.objects.bulk_update(leads, ["reached", "contact_hours", "decision_hours"])
    else:  # COPY into a scratch table and one UPDATE: bulk_update's CASE is quadratic
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS lead_facts (id bigint, reached smallint, "
                "contact_hours numeric(10, 2), decision_hours numeric(10, 2)) "
                "ON COMMIT DELETE ROWS"
            )
            columns = "id, reached, contact_hours, decision_hours"
            with cursor.connection.cursor().copy(f"COPY lead_facts ({columns}) FROM STDIN") as copy:
                for lead in leads:
                    copy.write_row((lead.pk, lead.reached, lead.contact_hours, lead.decision_hours))
            cursor.execute(
                "UPDATE financing_lead l SET reached = f.reached, "
                "contact_hours = f.contact_hours, decision_hours = f.decision_hours "
                "FROM lead_facts f WHERE l.id = f.id"
            )
    leads.clear()
    return count
