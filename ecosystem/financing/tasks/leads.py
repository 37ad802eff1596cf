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


@shared_task(name="ecosystem.financing.tasks_pipeline.check_lead_summaries")
def check_lead_summaries() -> dict:
    """Nightly: compare the summary tables with a recount and log any drift as an error
    (the fix is ``manage.py rebuild_summaries``); returns the comparison."""
    import logging

    from ecosystem.financing.summary_recount import summaries_drift

    drift = summaries_drift()
    if any(part["differing"] for part in drift.values()):
        logging.getLogger("ecosystem.financing.summary").error(
            "lead summary tables differ from a recount: %s", drift
        )
    return drift
