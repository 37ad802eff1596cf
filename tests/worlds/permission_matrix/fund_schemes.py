"""The permission matrix's entries of the fund managers' and admins' scheme pages (a new
scheme, new terms, a scheme's fund managers) and of a product's scheme (page and API),
with the requests their unsafe entries send. ``managed_scheme`` is the pool the zone
official manages (a zone official may be a fund manager)."""

from __future__ import annotations

from tests.worlds.permission_matrix.entry import E, Entry
from tests.worlds.permission_matrix.unsafe import Unsafe, field

SCHEME_PAGES: dict[str, Entry] = {
    "funds:scheme_create": E("anonymous=302 official=200 admin=200 *=404"),
    "funds:scheme_version_create": E("anonymous=302 official=200 *=404", pk="managed_scheme"),
    "funds:scheme_managers": E("anonymous=302 admin=200 *=404", pk="managed_scheme"),
    "funds:scheme_manager_appoint": E(
        "anonymous=302 admin=302 *=404", pk="managed_scheme", method="POST", changes="admin"
    ),
    "funds:scheme_manager_end": E(
        "anonymous=302 admin=302 *=404",
        pk="managed_scheme",
        method="POST",
        changes="admin",
        objects={"membership_pk": "fund_manager_membership"},
    ),
    "funds:product_scheme": E("anonymous=302 manager=200 *=404", objects={"product_pk": "product"}),
}

SCHEME_API: dict[str, Entry] = {
    "api-funds-product-scheme-list": E("anonymous=401 *=200"),
    "api-funds-product-scheme-detail": E("anonymous=401 manager=200 *=404", pk="product"),
}


def _fund_managers(world):
    from ecosystem.accounts.models import Membership

    return sorted(
        Membership.objects.filter(
            scheme=world.objects["managed_scheme"], is_active=True
        ).values_list("user_id", flat=True)
    )


SCHEME_UNSAFE: dict[str, Unsafe] = {
    "funds:scheme_manager_appoint": Unsafe(
        "a new fund manager of the scheme",
        _fund_managers,
        lambda world, role: {"email": world.users["other_official"].email},
    ),
    "funds:scheme_manager_end": Unsafe(
        "the appointment ended", field("fund_manager_membership", "is_active")
    ),
}
