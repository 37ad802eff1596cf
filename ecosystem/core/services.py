"""Writes shared by every app: audit events and notifications."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from ecosystem.core.models import AuditEvent, Notification
from ecosystem.core.notices import Message, msg


def audit_record(
    *,
    actor,
    verb: str,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one audit event. Call it inside the transaction of the change it records."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        before=before,
        after=after,
        ip=ip,
    )


def notify(users, kind: str, *, title, body="", url: str) -> list[Notification]:
    """Notify ``users`` (one user or several): an in-app notification each, emailed after
    commit through the outbox. The one way to tell people something; ``url`` is the page
    of the object it is about (every notification leads somewhere).

    ``title`` and ``body`` are best a ``core.notices.msg(key, **arguments)``: the key and
    arguments are stored and the page renders them in the reader's language, whatever
    the language they were written in. A lazy translation or a callable returning text
    is rendered once, in the recipient's language; a plain string is stored as it is
    (a reason typed by a person).
    """
    from ecosystem.core.outbox import send_after_commit
    from ecosystem.core.tasks import send_notification_email

    if isinstance(users, models.Model):
        users = [users]
    message = {
        part: value.as_json()
        for part, value in (("title", title), ("body", body))
        if isinstance(value, Message)
    }
    created = []
    for recipient in users:
        with translation.override(recipient_language(recipient)):
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                title=_render(title)[:200],
                body=_render(body),
                url=url,
                message=message,
            )
        send_after_commit(send_notification_email, notification.pk)
        created.append(notification)
    return created


def recipient_language(user) -> str:
    """The language a message to ``user`` is written in: theirs, else the site default."""
    from django.conf import settings

    return getattr(user, "language", None) or settings.LANGUAGE_CODE


def _render(value) -> str:
    if isinstance(value, Message):
        return str(value)
    if callable(value):
        value = value()
    return str(value) if value else ""


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_send_email(*, notification_id: int) -> Notification | None:
    """Send one notification by email, once: a second run finds ``emailed_at`` set."""
    from django.conf import settings
    from django.core.mail import send_mail

    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at is not None:
            return notification
        link = f"{settings.SITE_URL}{notification.url}" if notification.url else ""
        with translation.override(recipient_language(notification.recipient)):
            title, body = notification.shown_title, notification.shown_body
        send_mail(
            subject=f"[KejinLink] {title}",
            message="\n\n".join(part for part in (body, link) if part),
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return notification


#: Notification kind of the reminder to enter a year of the official calendar.
CALENDAR_REMINDER_KIND = "calendar_missing"
#: At most one reminder per platform admin in this many days.
CALENDAR_REMINDER_INTERVAL_DAYS = 7


def calendar_reminders_send(*, now: datetime | None = None) -> int:
    """Remind each platform admin who can edit the calendar, at most once a week, that a
    year's official holidays must be entered (see ``calendar_coverage``). Safe to run
    twice: an admin reminded within the last seven days (by local date) is skipped.
    Returns how many reminders were sent."""
    from ecosystem.core.calendar_coverage import calendar_coverage, calendar_editors

    now = now or timezone.now()
    today = timezone.localdate(now)
    year = calendar_coverage(today=today).missing_year
    if year is None:
        return 0
    since = timezone.make_aware(
        datetime.combine(today - timedelta(days=CALENDAR_REMINDER_INTERVAL_DAYS - 1), time.min)
    )
    url = reverse("admin:core_calendarday_changelist")
    sent = 0
    with transaction.atomic():
        # Locking the admins makes a concurrent second run wait, then see this run's rows.
        editors = list(calendar_editors().select_for_update().order_by("pk"))
        reminded = set(
            Notification.objects.filter(
                kind=CALENDAR_REMINDER_KIND, recipient__in=editors, created_at__gte=since
            ).values_list("recipient_id", flat=True)
        )
        for editor in editors:
            if editor.pk in reminded:
                continue
            notify(
                editor,
                CALENDAR_REMINDER_KIND,
                title=msg(gettext_noop("Enter the official holidays for %(year)s"), year=str(year)),
                body=msg(
                    gettext_noop(
                        "The State Council's public holidays and make-up working days for "
                        "%(year)s are not in the working calendar yet. Until they are entered "
                        "(Admin, Calendar days), working days after 31 December %(previous)s "
                        "count Monday to Friday only, so review targets and ageing ignore the "
                        "holidays."
                    ),
                    year=str(year),
                    previous=str(year - 1),
                ),
                url=url,
            )
            sent += 1
    return sent


def model_snapshot(instance: models.Model, fields) -> dict[str, Any]:
    """A JSON-safe dict of ``fields`` for audit before/after (Decimal and dates as text)."""
    snapshot: dict[str, Any] = {}
    for name in fields:
        value = getattr(instance, name if not hasattr(instance, f"{name}_id") else f"{name}_id")
        if value is not None and not isinstance(value, (str, int, float, bool)):
            value = str(value)
        snapshot[name] = value
    return snapshot


def validated(instance: models.Model, *, exclude=None) -> models.Model:
    """Run model validation; turn a ``ValidationError`` into a 400 ``ApplicationError``."""
    from django.core.exceptions import ValidationError

    from ecosystem.core.errors import ApplicationError

    try:
        instance.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        first = next(iter(errors.values()))[0]
        raise ApplicationError(first, code="invalid", extra={"errors": errors}) from exc
    return instance
