"""Time a few pages of a built national world, read-only: the pages docs/slow-pages.md fixes.

    python -m bench.slow_pages --database URL [--repeat 5] [--cap 60] [--out FILE] \
        role=/url/ [role=/url/ ...]

Unlike ``bench.crawl_bench`` this neither builds, migrates nor writes the world: it sets
Django up on ``--database`` as it is (a world another process built and owns; a missing
migration is reported, not applied), runs every request inside one transaction declared
``READ ONLY`` (a page that writes, such as an access-log entry, fails there and is reported
as its status) and rolls it back. ``--setup-sql FILE`` runs first in that transaction,
before it is declared read-only: a table a migration of this code adds, created and filled,
so the code is timed on the world without migrating it (rolled back with the rest).
Roles are the world's recorded people (``bench_world``).
Each page: the queries of one request, then the median of ``--repeat`` timed ones (a page
over 3 s is timed once more, and that figure kept; one past ``--cap`` seconds is
stopped). Prints a table and, with ``--out``, writes the rows as JSON there.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
from pathlib import Path


def setup(url: str) -> dict:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["PRIVATE_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="slow-pages-")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    plan = MigrationExecutor(connection).migration_plan(
        MigrationExecutor(connection).loader.graph.leaf_nodes()
    )
    if plan:
        print(f"note: {len(plan)} migrations of this code are not applied to the world:")
        for migration, _backwards in plan:
            print(f"  {migration.app_label}.{migration.name}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM bench_world WHERE key = 'world'")
        return json.loads(cursor.fetchone()[0])


def sign_in(client, user) -> None:
    """``force_login`` without a write: the session in a signed cookie, not the session
    table, and no ``user_logged_in`` receivers (``last_login``, the audit log)."""
    from django.conf import settings
    from django.contrib.auth.signals import user_logged_in

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    receivers, user_logged_in.receivers = user_logged_in.receivers, []
    user_logged_in.sender_receivers_cache.clear()
    try:
        client.force_login(user)
    finally:
        user_logged_in.receivers = receivers
        user_logged_in.sender_receivers_cache.clear()


def explain(captured, over_ms: float) -> None:
    """Print the plan of every SELECT of ``captured`` that took over ``over_ms``."""
    from django.db import connection

    for query in captured.captured_queries:
        ms = float(query["time"]) * 1000
        if ms < over_ms or not query["sql"].lstrip().upper().startswith("SELECT"):
            continue
        print(f"--- {ms:.1f} ms: {query['sql'][:2000]}")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cap", type=float, default=60)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--writes-rolled-back",
        action="store_true",
        help="not READ ONLY: let pages write, rolled back at the end (for your own world only)",
    )
    parser.add_argument(
        "--explain", type=float, default=0, help="EXPLAIN ANALYZE the queries over this many ms"
    )
    parser.add_argument(
        "--setup-sql",
        type=Path,
        help="SQL run first in the transaction, before it is made READ ONLY, and rolled back "
        "with it: a table this code's migration adds to the world, created and filled "
        "(``manage.py sqlmigrate``'s statements without BEGIN and COMMIT)",
    )
    parser.add_argument("pages", nargs="+", help="role=/url/")
    args = parser.parse_args(argv)
    info = setup(args.database)

    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.crawl_bench import SLOW_MS, _query_guard, timed_get
    from ecosystem.accounts.models import User

    load = os.getloadavg()
    rows = []
    with transaction.atomic():
        with connection.cursor() as cursor:
            if args.setup_sql:
                cursor.execute(args.setup_sql.read_text())
            if not args.writes_rolled_back:
                cursor.execute("SET TRANSACTION READ ONLY")
            cursor.execute(f"SET LOCAL statement_timeout = {int(args.cap * 1000)}")
        clients = {}
        with connection.execute_wrapper(_query_guard):
            for spec in args.pages:
                role, url = spec.split("=", 1)
                if role not in clients:
                    clients[role] = Client(
                        headers={"accept-language": "zh-hans"}, raise_request_exception=False
                    )
                    sign_in(clients[role], User.objects.get(pk=info["people"][role]))
                client = clients[role]
                savepoint = transaction.savepoint()
                try:
                    with CaptureQueriesContext(connection) as captured:
                        response, first = timed_get(client, url, args.cap)
                    queries = len(captured)
                    if response is None or response.status_code >= 400:
                        timings = [first]
                    elif first > SLOW_MS:  # once more: the first may carry the warm-up
                        timings = [timed_get(client, url, args.cap)[1]]
                    else:
                        timings = [timed_get(client, url, args.cap)[1] for _ in range(args.repeat)]
                    status = "timeout" if response is None else response.status_code
                    if args.explain:
                        explain(captured, args.explain)
                    transaction.savepoint_commit(savepoint)
                except Exception as exc:  # noqa: BLE001 - a write refused by READ ONLY
                    transaction.savepoint_rollback(savepoint)
                    queries, timings, status = len(captured), [0.0], f"error: {exc}"[:80]
                row = {
                    "role": role,
                    "url": url,
                    "status": status,
                    "queries": queries,
                    "ms": round(statistics.median(timings), 1),
                    "timed": len(timings),
                }
                rows.append(row)
                print(f"{row['ms']:9.1f} ms {queries:4d} q {status} {role:8s} {url}", flush=True)
        transaction.set_rollback(True)
    after = os.getloadavg()
    print(f"loadavg before {load[0]:.2f} {load[1]:.2f}, after {after[0]:.2f} {after[1]:.2f}")
    if args.out:
        args.out.write_text(
            json.dumps(
                {
                    "database": args.database.rsplit("/", 1)[-1],
                    "enterprises": info["enterprises"],
                    "loadavg_before": load,
                    "loadavg_after": after,
                    "rows": rows,
                },
                indent=1,
            )
            + "\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
