"""Liveness probe for load balancers and process managers, and the bench's trivial view.

``/healthz/`` answers ``ok`` without touching the database, the cache or the session: it
says the web process serves requests, nothing more. Readiness (database reachable,
migrations applied) is checked by the deploy recipe with ``manage.py migrate --check``.
"""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
