"""One permission-matrix entry: the status each role gets from one URL, and for an unsafe
method which roles' requests change data."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

ROLES = (
    "anonymous",
    "member",
    "other_member",
    "official",
    "other_official",
    "registry",
    "rm",
    "other_rm",
    "manager",
    "other_bank",
    "admin",
)

#: The roles that sign in.
SIGNED_IN = ROLES[1:]


@dataclass(frozen=True)
class Entry:
    """``pk``: the world's object a bare ``<pk>`` points at; ``objects``: the world's object
    for other URL arguments (``{"claim_pk": "draft_claim"}``); ``query``: the world's
    query string key; ``changes``: the roles whose (valid) request changes data."""

    statuses: dict[str, int]
    pk: str = "enterprise"
    method: str = "GET"
    table: str = ""
    changes: frozenset[str] = field(default_factory=frozenset)
    objects: tuple[tuple[str, str], ...] = ()
    query: str = ""
    #: The request follows a TOTP code entered just now (pages that ask for a fresh one).
    fresh_second_factor: bool = False

    @property
    def unsafe(self) -> bool:
        return self.method != "GET"

    def expected(self, role: str) -> int:
        return self.statuses.get(role, self.statuses.get("*"))

    def may_change(self, role: str) -> bool:
        return role in self.changes

    def with_statuses(self, name: str, row: dict[str, int], changers=frozenset()) -> str:
        """This entry's line with the statuses (and the roles that changed data) observed."""
        common = Counter(row.values()).most_common(1)[0][0]
        spec = " ".join(f"{r}={s}" for r, s in row.items() if s != common) + f" *={common}"
        options = "".join(
            f", {key}={value!r}"
            for key, value, default in (
                ("pk", self.pk, "enterprise"),
                ("method", self.method, "GET"),
                ("table", self.table, ""),
                ("changes", " ".join(sorted(changers)), ""),
                ("objects", dict(self.objects), {}),
                ("query", self.query, ""),
                ("fresh_second_factor", self.fresh_second_factor, False),
            )
            if value != default
        )
        return f'    "{name}": E("{spec.strip()}"{options}),'


def E(  # noqa: N802
    spec: str,
    *,
    pk="enterprise",
    method="GET",
    table="",
    changes="",
    objects=None,
    query="",
    fresh_second_factor=False,
) -> Entry:
    statuses = {}
    for item in spec.split():
        role, _, status = item.partition("=")
        assert role in ROLES or role == "*", f"unknown role {role!r}"
        statuses[role] = int(status)
    assert "*" in statuses or set(statuses) >= set(ROLES), spec
    return Entry(
        statuses,
        pk=pk,
        method=method,
        table=table,
        changes=frozenset(changes.split()),
        objects=tuple(sorted((objects or {}).items())),
        query=query,
        fresh_second_factor=fresh_second_factor,
    )


#: Every admin page: platform admins only; the admin's login sends everyone else away.
ADMIN_GROUP = E("admin=200 *=302")
