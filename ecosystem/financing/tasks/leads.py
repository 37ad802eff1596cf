"""Beat tasks of the lead pipeline. Each is safe to run twice: a lead is escalated once,
and expiry re-checks every row under a lock."""

from celery import shared_task

from ecosystem.financing import services


@shared_task(name="ecosystem.financing.tasks_pipeline.escalate_overdue_leads")
def escalate_overdue_leads() -> int:
    return services.leads_escalate_overdue()


@shared_task(name="ecosystem.financing.tasks_pipeline.expire_offers")
def expire_offers() -> int:
    return services.offers_expire()


@shared_task(name="ecosystem.financing.tasks_pipeline.expire_stale_leads")
def expire_stale_leads() -> int:
    return services.leads_expire_stale()


@shared_task(name="ecosystem.financing.tasks_pipeline.expire_campaign_invitations")
def expire_campaign_invitations() -> int:
    return services.campaign_invitations_expire()
