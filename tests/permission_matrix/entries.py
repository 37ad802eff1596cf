"""A matrix entry: the status each role gets from one URL (see the package docstring)."""

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
    "manager",
    "other_bank",
    "admin",
)


@dataclass(frozen=True)
class Entry:
    statuses: dict[str, int]
    pk: str = "enterprise"
    method: str = "GET"
    table: str = ""
    changes: frozenset[str] = field(default_factory=frozenset)

    def expected(self, role: str) -> int:
        return self.statuses.get(role, self.statuses.get("*"))

    def may_change(self, role: str) -> bool:
        return role in self.changes

    def with_statuses(self, name: str, row: dict[str, int], changers=frozenset()) -> str:
        """This entry's line with the statuses (and the roles that changed data) observed."""
        common = Counter(row.values()).most_common(1)[0][0]
        spec = " ".join(f"{r}={s}" for r, s in row.items() if s != common) + f" *={common}"
        options = "".join(
            f', {key}="{value}"'
            for key, value, default in (
                ("pk", self.pk, "enterprise"),
                ("method", self.method, "GET"),
                ("table", self.table, ""),
                ("changes", " ".join(sorted(changers)), ""),
            )
            if value != default
        )
        return f'    "{name}": E("{spec.strip()}"{options}),'


def E(spec: str, *, pk="enterprise", method="GET", table="", changes="") -> Entry:  # noqa: N802
    statuses = {}
    for item in spec.split():
        role, _, status = item.partition("=")
        assert role in ROLES or role == "*", f"unknown role {role!r}"
        statuses[role] = int(status)
    assert "*" in statuses or set(statuses) >= set(ROLES), spec
    return Entry(statuses, pk=pk, method=method, table=table, changes=frozenset(changes.split()))
