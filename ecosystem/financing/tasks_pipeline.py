"""Beat task of the lead pipeline. Safe to run twice: a lead is escalated once."""

from celery import shared_task

from ecosystem.financing import services_pipeline


@shared_task(name="ecosystem.financing.tasks_pipeline.escalate_overdue_leads")
def escalate_overdue_leads() -> int:
    return services_pipeline.leads_escalate_overdue()
