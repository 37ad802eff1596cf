"""Requesting every entry as every role, and what went against the matrix."""

from __future__ import annotations

import functools
import json
import os

from django.apps import apps
from django.contrib.admin import site as admin_site
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.worlds.permission_matrix import MATRIX, ROLES
from tests.worlds.permission_matrix.fund_schemes import SCHEME_UNSAFE
from tests.worlds.permission_matrix.funds import FUNDS_UNSAFE
from tests.worlds.permission_matrix.unsafe_api import UNSAFE_API
from tests.worlds.permission_matrix.unsafe_pages import UNSAFE_PAGES
from tests.worlds.tokens import second_factor_entered

PROBE = os.environ.get("PERMISSION_MATRIX_PROBE") == "1"

#: What each unsafe entry sends and changes.
UNSAFE = {**UNSAFE_API, **UNSAFE_PAGES, **FUNDS_UNSAFE, **SCHEME_UNSAFE}

#: Rows whose change a denied request must not make (besides every table's row count).
STATE_FIELDS = (
    "status",
    "version",
    "is_active",
    "revoked_at",
    "read_at",
    "ended_at",
    "role",
    "assigned_to_id",
    "certificate_number",
    "verification_status",
    "updated_at",
)


def all_patterns(patterns=None, prefix="", namespace=None):
    """(name or None, route) of every URL pattern, API router and allauth included."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from all_patterns(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, prefix + str(pattern.pattern)


def is_admin(name: str | None, route: str) -> bool:
    return route.startswith("admin/") or bool(name and name.startswith("admin:"))


def _tables():
    """(model, its state fields) of every concrete model, as ``fingerprint`` reads them."""
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.attname in STATE_FIELDS]
        yield model, fields


def fingerprint() -> tuple:
    """Every table's row count and the state fields of every row."""
    if connection.vendor == "postgresql":
        return _fingerprint_in_one_query()
    counts, states = [], []
    for model, fields in _tables():
        counts.append((model._meta.label, model._default_manager.count()))
        if fields:
            states.append(list(model._default_manager.order_by("pk").values_list("pk", *fields)))
    return tuple(counts), repr(states)


@functools.cache
def _fingerprint_sql() -> tuple[str, tuple]:
    """One SELECT of the same reads as the per-model fingerprint: each model's default
    manager's row count and the text of (pk, state fields) of every row, in the order of
    that text (any order that depends on the rows alone will do for a comparison).
    One round trip instead of one per table and read, twice per unsafe request."""
    columns, params = [], []
    for model, fields in _tables():
        queryset = model._default_manager.all()
        sql, args = queryset.values("pk").query.sql_with_params()
        columns.append(f"(SELECT COUNT(*) FROM ({sql}) AS s)")
        params += args
        if fields:
            sql, args = queryset.order_by().values_list("pk", *fields).query.sql_with_params()
            columns.append(f"(SELECT string_agg(s::text, ';' ORDER BY s::text) FROM ({sql}) AS s)")
            params += args
    return "SELECT " + ", ".join(columns), tuple(params)


def _fingerprint_in_one_query() -> tuple:
    sql, params = _fingerprint_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return tuple(cursor.fetchone())


def write_counts() -> tuple | None:
    """On PostgreSQL, the rows this transaction has inserted, updated and deleted so far, by
    table (but a session's updates: they change no count and no state field); None
    elsewhere. Unchanged across a request, the request wrote nothing the fingerprint reads,
    and only a written row can change the fingerprint."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relid, n_tup_ins, n_tup_del,"
            " CASE WHEN relname = %s THEN 0 ELSE n_tup_upd END"
            " FROM pg_stat_xact_user_tables WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
            " ORDER BY relid",
            [Session._meta.db_table],
        )
        return tuple(cursor.fetchall())


def client_for(user, *, fresh_second_factor=False) -> Client:
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
        if fresh_second_factor:
            second_factor_entered(client, user)
    return client


def send(client: Client, method: str, url: str, data: dict, *, as_json=False):
    if method == "GET":
        return client.get(url, data)
    if as_json:
        return client.generic(method, url, json.dumps(data), content_type="application/json")
    if method == "POST":
        return client.post(url, data)
    return client.generic(method, url)


def request(world, client: Client, name: str, url: str, role: str):
    """(status, whether any table changed, whether the entry's change was made), rolled back.

    A table changed when the fingerprint after the request differs from the one before (read
    after rolling the request back to a savepoint); when the request wrote no row at all
    (``write_counts``), neither is read."""
    entry = MATRIX[name]
    unsafe = UNSAFE.get(name) if entry.unsafe else None
    query = world.queries.get(entry.query, {})
    with transaction.atomic():
        if unsafe is None:
            response = send(client, "GET", url, query)
            changed = made = False
        else:
            seen, writes = unsafe.look(world), write_counts()
            savepoint = transaction.savepoint()
            response = send(
                client, entry.method, url, unsafe.data(world, role), as_json=unsafe.json
            )
            made = unsafe.look(world) != seen
            if writes is not None and write_counts() == writes:
                changed = False  # no row was written: no fingerprint to compare
            else:
                after = fingerprint()
                transaction.savepoint_rollback(savepoint)
                changed = fingerprint() != after
        transaction.set_rollback(True)
    return response.status_code, changed, made


def check(world, names) -> list[str]:
    clients = {role: client_for(user) for role, user in world.users.items()}
    problems, observed = [], {}
    for name in names:
        entry = MATRIX[name]
        url = world.url(name, entry)
        row, changers = {}, set()
        for role in ROLES:
            client = clients[role]
            if entry.fresh_second_factor:
                client = client_for(world.users[role], fresh_second_factor=True)
            status, changed, made = request(world, client, name, url, role)
            row[role] = status
            expected = entry.expected(role)
            if status != expected:
                problems.append(f"{name} {entry.method} {url} as {role}: {status}, not {expected}")
            if changed:
                changers.add(role)
                if not entry.may_change(role):
                    problems.append(f"{name} {entry.method} {url} as {role} changed data")
            if entry.may_change(role) and not made:
                what = UNSAFE[name].what
                problems.append(f"{name} {entry.method} {url} as {role}: no change ({what})")
        observed[name] = (row, changers)
    if PROBE:
        for name, (row, changers) in observed.items():
            print(MATRIX[name].with_statuses(name, row, changers))
    return problems


def admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin_site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
    return urls


AREAS = ("api", "enterprises", "financing", "zones", "registries", "chains", "accounts")


def groups() -> dict[str, list[str]]:
    """Entry names by the first segment of their route (one world per area)."""
    routes = {name: route for name, route in all_patterns() if name in MATRIX}
    by_area: dict[str, list[str]] = {}
    for name in MATRIX:
        first = routes.get(name, "").split("/")[0]
        by_area.setdefault(first if first in AREAS else "other", []).append(name)
    return by_area
