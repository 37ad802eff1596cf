"""What the funds' pages share: fetching through a scoped queryset (404 otherwise) and
putting a service's refusal on the form or in a message."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404

from ecosystem.core.errors import ApplicationError


def get_visible(queryset, pk):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def fail(request, exc: ApplicationError, form=None):
    """A refusal: 404 for what the user may not see; on the form where the service named a
    field of it (one or many); a message otherwise."""
    if exc.status == 404:
        raise Http404 from exc
    if form is not None:
        errors = (exc.extra or {}).get("errors") or {}
        field = exc.extra.get("field")
        if field and not errors:
            errors = {field: [exc.message]}
        placed = False
        for name, texts in errors.items():
            if name in form.fields:
                for text in texts if isinstance(texts, list | tuple) else [texts]:
                    form.add_error(name, text)
                    placed = True
        if placed:
            return
    messages.error(request, exc.message)
