"""The task outbox: a task asked for by a change is recorded with it, sent after commit and
forgotten once sent; when the broker is unreachable it waits for the sweeper."""

import pytest
from django.db import transaction
from kombu.exceptions import OperationalError

from ecosystem.core import outbox
from ecosystem.core.models import Notification, OutboxTask
from ecosystem.core.services import notify
from ecosystem.core.tasks import send_notification_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_notification_email, "apply_async", refuse)


def test_a_sent_task_leaves_no_outbox_entry(mailoutbox):
    with transaction.atomic():
        [notification] = notify(UserFactory(), "test", title="Hello", url="/")
        assert OutboxTask.objects.count() == 1  # recorded with the change
    assert not OutboxTask.objects.exists()
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert len(mailoutbox) == 1


def test_with_the_broker_down_the_change_commits_and_the_task_waits(broker_down, caplog):
    with transaction.atomic():
        [notification] = notify(UserFactory(), "test", title="Hello", url="/")
    assert Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).exists()
    entry = OutboxTask.objects.get()
    assert (entry.task, entry.args, entry.attempts) == (
        "ecosystem.core.tasks.send_notification_email",
        [notification.pk],
        1,
    )
    assert "deferred to the outbox sweeper" in caplog.text


def test_the_sweeper_sends_what_waits_once_the_broker_is_back(monkeypatch, mailoutbox):
    with monkeypatch.context() as patch:
        patch.setattr(
            send_notification_email,
            "apply_async",
            lambda *a, **k: (_ for _ in ()).throw(OperationalError("down")),
        )
        [notification] = notify(UserFactory(), "test", title="Hello", url="/")
        assert outbox.outbox_sweep(older_than_seconds=0) == 0  # still down: nothing sent
        assert OutboxTask.objects.get().attempts == 2
    assert outbox.outbox_sweep(older_than_seconds=0) == 1
    assert not OutboxTask.objects.exists()
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert len(mailoutbox) == 1
    assert outbox.outbox_sweep(older_than_seconds=0) == 0


def test_the_sweeper_leaves_recent_entries_to_their_own_send(broker_down):
    notify(UserFactory(), "test", title="Hello", url="/")
    assert outbox.outbox_sweep() == 0
    assert OutboxTask.objects.get().attempts == 1


def test_whatever_a_real_send_raises_the_change_commits_and_the_task_waits(monkeypatch):
    """The Redis result backend subscribes before the send and gives up with its own error;
    the change is committed by then, so the caller is not told it failed."""

    def result_backend_gives_up(*args, **kwargs):
        raise RuntimeError("Retry limit exceeded while trying to reconnect to the result store")

    monkeypatch.setattr(send_notification_email, "apply_async", result_backend_gives_up)
    conf = send_notification_email.app.conf
    conf.task_always_eager = False
    try:
        with transaction.atomic():
            [notification] = notify(UserFactory(), "test", title="Hello", url="/")
    finally:
        conf.task_always_eager = True
    assert Notification.objects.filter(pk=notification.pk).exists()
    assert OutboxTask.objects.get().attempts == 1


def test_an_eager_task_that_fails_is_a_bug_and_is_not_hidden(monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr(send_notification_email, "apply_async", broken)
    with pytest.raises(ZeroDivisionError):
        with transaction.atomic():
            notify(UserFactory(), "test", title="Hello", url="/")
