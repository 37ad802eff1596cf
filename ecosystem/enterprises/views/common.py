"""What every enterprise page shares: scoped fetching, bank view logging, service errors."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises import permissions, selectors, services


def readable_enterprise(request, pk: int):
    """Members, officials of its zone and banks holding consent; anyone else gets a 404."""
    return get_object_or_404(
        selectors.enterprises_visible_to(user=request.user).select_related("zone", "industry"),
        pk=pk,
    )


def member_enterprise(request, pk: int):
    """Members only: the write pages and the enterprise's own affairs (members, consent)."""
    return get_object_or_404(selectors.enterprises_for_member(user=request.user), pk=pk)


def log_bank_view(request, enterprise, section: str) -> None:
    """A bank user looking through a consent leaves a trace the enterprise can see."""
    bank = permissions.bank_viewing(request.user, enterprise)
    if bank is not None:
        services.access_log_record(
            enterprise=enterprise, viewer=request.user, bank=bank, section=section
        )


def form_error(form, exc: ApplicationError, *, field: str | None = None) -> None:
    """Put a service's refusal on the form: per-field errors where the service named
    fields the form has, the message otherwise. ``field`` takes a message without fields."""
    errors = (exc.extra or {}).get("errors") or {}
    placed = False
    for name, messages in errors.items():
        target = name if name in form.fields else None
        for message in messages if isinstance(messages, list | tuple) else [messages]:
            form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(field if field in form.fields else None, exc.message)


def enterprise_context(request, enterprise, tab: str, **extra) -> dict:
    """The header and sub-navigation of every per-enterprise page."""
    is_member = permissions.is_member(request.user, enterprise)
    return {
        "enterprise": enterprise,
        "tab": tab,
        "is_member": is_member,
        "is_owner": is_member and permissions.is_owner(request.user, enterprise),
        **extra,
    }
