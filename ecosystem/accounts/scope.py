"""The one reader of memberships: who a user is, and in which scope, for every app.

A membership binds a role to a scope (an enterprise, a zone, a program, a bank or a branch;
see ``roles.ROLE_SCOPE``). Every app's policy (``permissions.py``: its ``can_*`` checks and
the ``Q`` its scoped querysets filter by) is built on ``Scope``; no other module queries
``Membership``. ``accounts`` sits low in the layering, so this module deals in ids: each app
turns them into querysets of its own models.

- ``scope_of(user)``: the user's active memberships as sets of ids, read once per request
  (kept on the user object, which lives for one request in views and API views); services
  and tasks that must see a change made in the same request pass ``fresh=True``.
- ``members_of_enterprise``, ``owners_of_enterprise``, ``officials_of_zone``,
  ``managers_of_bank``, ``rms_of_branch``: the people holding a role in a scope, for
  notifications and assignment.
- ``PLATFORM_ADMIN_MAY``: the platform admin's powers, written once (``docs/access.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from ecosystem.accounts.models import Membership
from ecosystem.accounts.roles import BANK_ROLES, ENTERPRISE_ROLES, STAFF_ROLES, Role
from ecosystem.core import prepared

#: What a platform admin may do beyond the Django admin, by policy action. A platform admin
#: oversees: they see every zone, bank, program and chain, run the platform dashboard, invite
#: staff, manage products and lists on a bank's or registry's behalf, place enterprises on
#: chains and designate chain leaders. They do not act for a party: they neither decide
#: qualification claims (the zone official of the enterprise's zone does) nor work leads as a
#: relationship manager, nor act for an enterprise.
PLATFORM_ADMIN_MAY = frozenset(
    {
        "view_all",
        "view_platform_dashboard",
        "invite_staff",
        "manage_products",
        "run_campaigns",
        "manage_program",
        "place_on_chain",
        "designate_chain_leader",
        "view_leads",
        "assign_leads",
    }
)

#: The two ends of a policy rule. An empty ``Q()`` would vanish when OR-ed with another rule
#: (Django drops it), so "everything" is written as a condition every row meets.
EVERYTHING = Q(pk__isnull=False)
NOTHING = Q(pk__in=[])

#: Attribute on a user object holding its Scope for the rest of the request.
_CACHE = "_kejinlink_scope"
#: Attribute marking a user object as a request's user (see ``keep_for_request``).
REQUEST_FLAG = "_kejinlink_request_user"


@dataclass(frozen=True)
class Scope:
    """A user's active roles and the ids of the scopes they hold them in."""

    user_id: int | None = None
    is_platform_admin: bool = False
    #: Admin-site access (``is_staff``) without being a superuser: platform staff.
    is_admin_site_user: bool = False
    roles: frozenset[str] = frozenset()
    enterprise_ids: frozenset[int] = frozenset()
    owner_enterprise_ids: frozenset[int] = frozenset()
    #: Credit codes of the user's enterprises (their rows in the official lists).
    enterprise_usccs: frozenset[str] = frozenset()
    zone_ids: frozenset[int] = frozenset()
    program_ids: frozenset[int] = frozenset()
    #: Banks the user manages (bank-wide).
    managed_bank_ids: frozenset[int] = frozenset()
    #: Branches the user works as a relationship manager, and their banks.
    branch_ids: frozenset[int] = frozenset()
    rm_bank_ids: frozenset[int] = frozenset()
    #: (bank id, branch id) of each branch the user works as a relationship manager.
    rm_branches: frozenset[tuple[int, int]] = frozenset()
    #: Those of ``branch_ids`` that are their bank's head office (which takes the leads of
    #: the zones no branch serves: ``enterprises.routing``).
    rm_head_offices: frozenset[int] = frozenset()
    #: Policy fund schemes the user manages (fund manager).
    scheme_ids: frozenset[int] = frozenset()
    memberships: tuple = field(default=(), compare=False, repr=False)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def bank_ids(self) -> frozenset[int]:
        """Every bank the user works for, as manager or relationship manager."""
        return self.managed_bank_ids | self.rm_bank_ids

    @property
    def is_staff(self) -> bool:
        """Staff: platform admins and anyone holding a zone, registry or bank role."""
        return self.is_platform_admin or self.is_admin_site_user or bool(self.roles & STAFF_ROLES)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    def admin_may(self, action: str) -> bool:
        return self.is_platform_admin and action in PLATFORM_ADMIN_MAY

    def is_member_of(self, enterprise_id) -> bool:
        return enterprise_id in self.enterprise_ids

    def is_owner_of(self, enterprise_id) -> bool:
        return enterprise_id in self.owner_enterprise_ids

    def is_official_of(self, zone_id) -> bool:
        return zone_id in self.zone_ids

    def is_officer_of(self, program_id) -> bool:
        return program_id in self.program_ids

    def manages_bank(self, bank_id) -> bool:
        return bank_id in self.managed_bank_ids

    def works_for_bank(self, bank_id) -> bool:
        return bank_id in self.bank_ids

    def is_rm_of_branch(self, branch_id) -> bool:
        return branch_id in self.branch_ids

    def narrowed_to_bank(self, bank_id: int) -> Scope:
        """This scope with only the bank roles held in ``bank_id`` (an integration token's
        scope: that bank's side, nothing of the user's enterprises, zones or programs)."""
        branches = frozenset(branch for bank, branch in self.rm_branches if bank == bank_id)
        managed = self.managed_bank_ids & {bank_id}
        roles = set()
        if managed:
            roles.add(Role.BANK_MANAGER)
        if branches:
            roles.add(Role.BANK_RM)
        return Scope(
            user_id=self.user_id,
            roles=frozenset(roles),
            managed_bank_ids=managed,
            branch_ids=branches,
            rm_bank_ids=frozenset({bank_id}) if branches else frozenset(),
            rm_branches=frozenset((bank_id, branch) for branch in branches),
            rm_head_offices=self.rm_head_offices & branches,
            memberships=tuple(m for m in self.memberships if m.bank_id == bank_id),
        )

    def manages_scheme(self, scheme_id) -> bool:
        return scheme_id in self.scheme_ids


ANONYMOUS = Scope()


def _active(**filters) -> QuerySet[Membership]:
    return Membership.objects.filter(is_active=True, user__is_active=True, **filters)


def _build(user) -> Scope:
    # Read on every signed-in request, and planned in far more time than it runs: eight
    # relations joined took ~4 ms to plan for ~0.2 ms of execution on the national world.
    # So its statement is prepared once per connection (``core.prepared``; persistent
    # connections, ``DB_CONN_MAX_AGE``, keep it). The user's own ``is_active`` is checked
    # by ``scope_of`` on the request's user row, not joined again. (docs/performance.md,
    # "Session 12: the scope read".)
    rows = tuple(
        sorted(
            prepared.objects(
                Membership.objects.filter(user_id=user.pk, is_active=True).select_related(
                    "enterprise", "zone", "program", "bank", "branch", "scheme"
                )
            ),
            key=lambda m: (m.role, m.pk),
        )
    )

    def ids(attr, roles):
        return frozenset(getattr(m, attr) for m in rows if m.role in roles)

    return Scope(
        user_id=user.pk,
        is_platform_admin=bool(user.is_superuser),
        is_admin_site_user=bool(user.is_staff),
        roles=frozenset(m.role for m in rows),
        enterprise_ids=ids("enterprise_id", ENTERPRISE_ROLES),
        owner_enterprise_ids=ids("enterprise_id", {Role.ENTERPRISE_OWNER}),
        enterprise_usccs=frozenset(
            m.enterprise.uscc for m in rows if m.role in ENTERPRISE_ROLES and m.enterprise.uscc
        ),
        zone_ids=ids("zone_id", {Role.ZONE_OFFICIAL}),
        program_ids=ids("program_id", {Role.REGISTRY_OFFICER}),
        managed_bank_ids=ids("bank_id", {Role.BANK_MANAGER}),
        branch_ids=ids("branch_id", {Role.BANK_RM}),
        rm_bank_ids=ids("bank_id", {Role.BANK_RM}),
        rm_branches=frozenset((m.bank_id, m.branch_id) for m in rows if m.role == Role.BANK_RM),
        rm_head_offices=frozenset(
            m.branch_id
            for m in rows
            if m.role == Role.BANK_RM and m.branch is not None and m.branch.is_head_office
        ),
        scheme_ids=ids("scheme_id", {Role.FUND_MANAGER}),
        memberships=rows,
    )


def scope_of(user, *, fresh: bool = False) -> Scope:
    """The user's scope. Within a request (the user object marked by ``ScopeMiddleware``)
    it is read once and kept on the user object, so gates, pages and navigation share one
    query; elsewhere (services called from tasks and tests, which may change memberships
    between two calls) it is read fresh each time."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return ANONYMOUS
    if fresh or not getattr(user, REQUEST_FLAG, False):
        return _build(user)
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = _build(user)
        setattr(user, _CACHE, cached)
    return cached


def keep_for_request(user) -> None:
    """Mark a request's user: its scope is read once for the rest of the request."""
    if getattr(user, "is_authenticated", False):
        setattr(user, REQUEST_FLAG, True)


def pin_scope(user, scope: Scope) -> None:
    """Use ``scope`` for ``user`` for the rest of the request (an API token's narrowed
    scope); a fresh read (``fresh=True``) still sees every membership."""
    setattr(user, REQUEST_FLAG, True)
    setattr(user, _CACHE, scope)


def forget_scope(user) -> None:
    """Drop the cached scope after a change to the user's memberships in this request."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def active_memberships(user) -> tuple[Membership, ...]:
    """The user's active memberships (scope objects joined), for navigation and ``/me``."""
    return scope_of(user).memberships


def memberships_of_enterprise(enterprise_id) -> QuerySet[Membership]:
    """An enterprise's active memberships with their people (the members page)."""
    return (
        _active(enterprise_id=enterprise_id).select_related("user").order_by("role", "created_at")
    )


def lock_enterprise_memberships(enterprise_id) -> list[Membership]:
    """Lock an enterprise's active memberships (in the caller's transaction), so owner
    counts cannot race."""
    rows = Membership.objects.select_for_update().filter(
        enterprise_id=enterprise_id, role__in=ENTERPRISE_ROLES, is_active=True
    )
    return list(rows.order_by("pk"))


def membership_in_enterprise(*, user, enterprise_id) -> Membership | None:
    """The user's active membership of an enterprise (to change its role), or None."""
    return _active(user=user, enterprise_id=enterprise_id).first()


# --- people holding a role in a scope ---------------------------------------------------


def _holders(**filters) -> QuerySet:
    User = get_user_model()
    user_ids = _active(**filters).values("user_id")
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk")


def members_of_enterprise(enterprise_id) -> QuerySet:
    return _holders(enterprise_id=enterprise_id, role__in=ENTERPRISE_ROLES)


def owners_of_enterprise(enterprise_id) -> QuerySet:
    return _holders(enterprise_id=enterprise_id, role=Role.ENTERPRISE_OWNER)


def members_by_enterprise(enterprise_ids) -> dict[int, list]:
    """Members of several enterprises at once: ``{enterprise_id: [user, ...]}``."""
    members: dict[int, list] = {}
    rows = _active(enterprise_id__in=list(enterprise_ids), role__in=ENTERPRISE_ROLES)
    for membership in rows.select_related("user").order_by("user_id"):
        members.setdefault(membership.enterprise_id, []).append(membership.user)
    return members


def officials_of_zone(zone_id) -> QuerySet:
    return _holders(zone_id=zone_id, role=Role.ZONE_OFFICIAL)


def officials() -> QuerySet:
    """Every active zone official (the daily digest goes to them)."""
    return _holders(role=Role.ZONE_OFFICIAL)


def officers_of_program(program_id) -> QuerySet:
    return _holders(program_id=program_id, role=Role.REGISTRY_OFFICER)


def managers_of_bank(bank_id) -> QuerySet:
    return _holders(bank_id=bank_id, role=Role.BANK_MANAGER)


def rms_of_branch(branch_id) -> QuerySet:
    return _holders(branch_id=branch_id, role=Role.BANK_RM)


def staff_of_bank(bank_id) -> QuerySet:
    return _holders(bank_id=bank_id, role__in=BANK_ROLES)


def fund_managers_of_scheme(scheme_id) -> QuerySet:
    return _holders(scheme_id=scheme_id, role=Role.FUND_MANAGER)


def fund_manager_appointments(scheme_id) -> QuerySet[Membership]:
    """Every fund-manager membership of a scheme, active or ended (the managers page)."""
    return Membership.objects.filter(scheme_id=scheme_id, role=Role.FUND_MANAGER)


def lock_fund_manager_appointment(*, scheme_id, user=None, pk=None, active=None):
    """One fund-manager membership of a scheme, locked for update (``None`` when absent):
    by ``user`` (and ``active``) or by ``pk``."""
    rows = fund_manager_appointments(scheme_id).select_for_update()
    if user is not None:
        rows = rows.filter(user=user)
    if pk is not None:
        rows = rows.filter(pk=pk)
    if active is not None:
        rows = rows.filter(is_active=active)
    return rows.first()
