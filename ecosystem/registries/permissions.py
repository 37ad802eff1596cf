"""Registry officers manage the lists of the programs they are bound to; who reads a list's
rows one by one: the registries policy (rules as ``Q`` over the user's ``Scope``; selectors
and checks derive from them)."""

from __future__ import annotations

from django.db.models import Q

from ecosystem.accounts.roles import BANK_ROLES, Role
from ecosystem.accounts.scope import EVERYTHING, NOTHING, Scope, scope_of


def managed_programs_q(scope: Scope) -> Q:
    """Programs whose lists the user imports and manages."""
    if scope.admin_may("manage_program"):
        return EVERYTHING
    return Q(pk__in=scope.program_ids) if scope.program_ids else NOTHING


def outreach_programs_q(scope: Scope) -> Q:
    """Officers see their programs' lists; zone officials and bank staff see every list."""
    if scope.admin_may("view_all") or scope.has_role(Role.ZONE_OFFICIAL, *BANK_ROLES):
        return EVERYTHING
    return managed_programs_q(scope)


def can_manage_program(user, program) -> bool:
    from ecosystem.registries.models import Program

    return Program.objects.filter(managed_programs_q(scope_of(user)), pk=program.pk).exists()


def readable_entries_q(scope: Scope) -> Q:
    """Registry entries readable one by one (by id): registry officers their programs'
    rows, zone officials and platform admins every row, an enterprise's members the rows of
    their own firm's credit code. Looking a code up (``entries_for_uscc``) stays open to
    every signed-in user; walking the ids through every list is not."""
    if scope.admin_may("view_all") or scope.has_role(Role.ZONE_OFFICIAL):
        return EVERYTHING
    rule = NOTHING
    if scope.program_ids:
        rule |= Q(program_id__in=scope.program_ids)
    if scope.enterprise_usccs:
        rule |= Q(uscc__in=scope.enterprise_usccs)
    return rule


def can_view_entry(user, entry) -> bool:
    from ecosystem.registries.models import RegistryEntry

    return RegistryEntry.objects.filter(readable_entries_q(scope_of(user)), pk=entry.pk).exists()
