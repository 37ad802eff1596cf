"""The URLs of the crawl (``bench/crawl_bench.py``): every GET entry of the permission
matrix with the roles that may open it, built over the crawl's focal objects
(``bench/crawl_focal.py``)."""

from __future__ import annotations

ROLES = ("member", "official", "registry", "rm", "manager", "admin")
BATCH = "2025年第一批"


def targets(made: dict):
    """(name, url, roles) of every GET entry of the matrix, and of every admin page."""
    from tests.worlds.permission_matrix import ADMIN_GROUP, MATRIX
    from tests.worlds.permission_matrix.runner import admin_urls
    from tests.worlds.permission_matrix.world import ARGUMENTS, World

    class National(World):
        """The matrix world's URL building over the national world's objects."""

        def __init__(self, objects: dict, values: dict) -> None:  # noqa: D107
            self.objects = {k: v for k, v in objects.items() if v is not None}
            self.arguments = dict(ARGUMENTS)  # objects it lacks: skipped
            self.values = {
                "fmt": "csv",
                "step": "code",
                "key": "not-a-key",
                "uidb36": "zz",
                **values,
            }
            self.queries = {"batch": {"batch": BATCH}}

    world = National(made["objects"], made["values"])
    out, skipped = [], []
    for name, entry in sorted(MATRIX.items()):
        if entry.unsafe:
            continue
        roles = [role for role in ROLES if entry.expected(role) == 200]
        if not roles:
            continue
        try:
            url = world.url(name, entry)
        except KeyError as missing:
            skipped.append(f"{name} (no {missing})")
            continue
        query = world.queries.get(entry.query, {})
        if query:
            url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
        out.append((name, url, roles))
    admin_roles = [role for role in ROLES if ADMIN_GROUP.expected(role) == 200]
    out += [(f"admin {url}", url, admin_roles) for url in admin_urls()]
    return out, skipped
