"""Reads shared by every app."""

from ecosystem.core.models import Notification


def notifications_for(*, user):
    return Notification.objects.filter(recipient=user)


def unread_notification_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return notifications_for(user=user).filter(read_at__isnull=True).count()
