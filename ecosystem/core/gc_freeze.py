"""The cyclic garbage collector and a long-lived web process (``GC_FREEZE``).

A web process holds some 180,000 objects the garbage collector tracks once Django, the
URLs, the templates and the translations are loaded, and they live as long as the
process. Every full collection walks all of them: on the national world's heaviest
dashboards about one request in nine paid for one (12–16 ms a request on average, the
unlucky one 90 ms and more: ``docs/performance.md``, session 18). After the first request
of the process has loaded them, ``gc.freeze()`` moves every object then alive to a
permanent generation no collection walks (the Python documentation's advice for
long-lived servers); the objects requests create are collected as before.
"""

from __future__ import annotations

import gc

from django.core.signals import request_finished

_frozen = False
DISPATCH_UID = "core.gc_freeze"


def freeze_after_first_request(**_kwargs) -> None:
    """Collect once, then freeze what is alive: what loading the portal left behind."""
    global _frozen
    if _frozen:
        return
    _frozen = True
    request_finished.disconnect(dispatch_uid=DISPATCH_UID)
    gc.collect()
    gc.freeze()


def install(enabled: bool) -> None:
    if enabled and not _frozen:
        request_finished.connect(freeze_after_first_request, dispatch_uid=DISPATCH_UID)
