"""Thin Celery wrappers around account services."""

from celery import shared_task

from ecosystem.accounts import services


@shared_task(name="ecosystem.accounts.tasks.send_invitation_email")
def send_invitation_email(invitation_id: int) -> bool:
    invitation = services.invitation_send_email(invitation_id=invitation_id)
    return bool(invitation and invitation.emailed_at)


@shared_task(name="ecosystem.accounts.tasks.expire_invitations")
def expire_invitations() -> int:
    return services.invitations_expire()
