"""A long-lived web process freezes what loading the portal left alive once its first
request is done (``core.gc_freeze``): later full collections do not walk it."""

from __future__ import annotations

import gc

import pytest
from django.core.signals import request_finished
from django.urls import reverse

from ecosystem.core import gc_freeze


@pytest.fixture
def fresh(monkeypatch):
    """A process that has not frozen yet; what the test froze is unfrozen after it."""
    gc.unfreeze()
    monkeypatch.setattr(gc_freeze, "_frozen", False)
    request_finished.disconnect(dispatch_uid="core.gc_freeze")
    yield
    request_finished.disconnect(dispatch_uid="core.gc_freeze")
    gc.unfreeze()


def receivers() -> int:
    return sum(1 for entry in request_finished.receivers if entry[0][0] == "core.gc_freeze")


@pytest.mark.django_db
def test_the_first_request_freezes_and_the_next_ones_do_not(fresh, client):
    gc_freeze.install(True)
    assert gc.get_freeze_count() == 0 and receivers() == 1
    assert client.get(reverse("healthz")).status_code == 200
    frozen = gc.get_freeze_count()
    assert frozen > 10_000  # Django, the URLs, the templates: what the process keeps
    assert receivers() == 0  # once only
    young = [[] for _ in range(1000)]  # alive at the next request's end: not frozen
    client.get(reverse("healthz"))
    assert gc.get_freeze_count() <= frozen  # (frozen objects freed since drop out)
    del young


@pytest.mark.django_db
def test_switched_off_nothing_is_frozen(fresh, client):
    gc_freeze.install(False)
    client.get(reverse("healthz"))
    assert gc.get_freeze_count() == 0 and receivers() == 0
