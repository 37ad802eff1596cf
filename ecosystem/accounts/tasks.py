"""Thin Celery wrappers around account services."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ecosystem.accounts import services
from ecosystem.accounts.models import Invitation


@shared_task(name="ecosystem.accounts.tasks.send_invitation_email")
def send_invitation_email(invitation_id: int) -> bool:
    invitation = (
        Invitation.objects.select_related("enterprise", "zone", "program", "bank", "branch")
        .filter(pk=invitation_id, status=Invitation.Status.PENDING)
        .first()
    )
    if invitation is None:
        return False
    link = settings.SITE_URL + reverse("invitation_accept", args=[invitation.token])
    with translation.override("zh-hans"):
        context = {"invitation": invitation, "link": link}
        send_mail(
            subject=render_to_string("accounts/email/invitation_subject.txt", context).strip(),
            message=render_to_string("accounts/email/invitation_message.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )
    return True


@shared_task(name="ecosystem.accounts.tasks.expire_invitations")
def expire_invitations() -> int:
    return services.invitations_expire()
