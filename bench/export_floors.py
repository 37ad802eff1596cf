"""The bank's streamed exports beside their floors: what the same rows cost the database
alone, the access log alone and the CSV writer alone.

    python -m bench.export_floors --database URL [--repeat 7] [--language zh-hans] \
        role=/url/ [role=/url/ ...]

On a built world as it is (``bench.slow_pages``'s setup and sign-in), everything in one
transaction that is rolled back: the access-log entries an export writes are never kept
(so this is for the exports of ``financing.exports`` only, the pages that write). For
each export URL (``/financing/bank/matches/export/csv/``, ``/financing/leads/export/csv/``
with its query string) the median of ``--repeat`` runs of:

- ``request``: the request through the test client, its streamed body read;
- ``statement``: the row statement alone in the server (the request's ``DECLARE …
  CURSOR FOR`` select, ``EXPLAIN (ANALYZE, TIMING OFF)``, JIT off as the export runs it);
- ``statement+fetch``: the same statement run and every row fetched into Python tuples;
- ``rows built``: the export's rows as the writer receives them (the statement, the labels, the
  access log), without writing them;
- ``log``: the request's access-log ``INSERT`` alone, rolled back each time;
- after the pages, in a transaction of its own each time (rolled back): ``log`` again and
  ``log checked``, the same ``INSERT`` with ``SET CONSTRAINTS ALL IMMEDIATE``: its
  deferred foreign-key checks (enterprise, viewer, bank: one each per entry), which a
  commit runs and every rolled-back bench skips. In one long transaction the repeated
  row locks of those checks pile up (multixacts) and cost more than a commit would;
- ``csv``: the rows (read once, beforehand) written as the response's CSV text and
  encoded (``safe_row`` on each unless the table's rows are safe already,
  ``ExportTable.safe``); ``csv bare``: ``csv.writer.writerows`` of the same rows as they
  are (what the csv module alone costs).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import time


def _median(fn, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 1)


def _in_savepoint(fn):
    """``fn`` run in a savepoint rolled back afterwards (a write leaves nothing)."""
    from django.db import transaction

    def run():
        savepoint = transaction.savepoint()
        try:
            return fn()
        finally:
            transaction.savepoint_rollback(savepoint)

    return run


def floors(client, user, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext
    from django.urls import resolve

    from ecosystem.core.export_jobs import kinds
    from ecosystem.core.exports import csv_pieces
    from ecosystem.financing.exports import LEADS, MATCHES, list_filters

    path, _, query = url.partition("?")
    kind = {"financing_bank_matches_export": MATCHES, "financing_lead_export": LEADS}[
        resolve(path).url_name
    ]
    filters = list_filters(QueryDict(query))

    def request():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return b"".join(response.streaming_content)

    with CaptureQueriesContext(connection) as captured:
        _in_savepoint(request)()
    statements = [q["sql"] for q in captured.captured_queries]
    declare = next(s for s in statements if " CURSOR FOR " in s)
    select = declare[declare.index(" CURSOR FOR ") + len(" CURSOR FOR ") :]
    insert = next(s for s in statements if s.startswith("INSERT INTO enterprises_accesslogentry"))

    def statement():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("EXPLAIN (ANALYZE, TIMING OFF) " + select)
            lines = [row[0] for row in cursor.fetchall()]
        return float(next(line for line in lines if line.startswith("Execution")).split()[2])

    def fetch():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(select)
            return cursor.fetchall()

    def log():
        with connection.cursor() as cursor:
            cursor.execute(insert)

    def table():
        return kinds.get(kind).build(user=user, filters=filters)

    rows = _in_savepoint(lambda: list(table().rows))()
    header = [str(h) for h in table().header]
    safe = table().safe

    def write_csv():
        return "".join(csv_pieces(header, rows, safe=safe)).encode()

    def bare_csv():
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        return out.getvalue().encode()

    server = []
    for _ in range(repeat):
        server.append(_in_savepoint(statement)())
    return {
        "url": url,
        "insert": insert,
        "rows": len(rows),
        "queries": len(statements),
        "request": _median(_in_savepoint(request), repeat),
        "statement": round(statistics.median(server), 1),
        "statement+fetch": _median(_in_savepoint(fetch), repeat),
        "rows built": _median(_in_savepoint(lambda: list(table().rows)), repeat),
        "log": _median(_in_savepoint(log), repeat),
        "csv": _median(write_csv, repeat),
        "csv bare": _median(bare_csv, repeat),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--language", default="zh-hans")
    parser.add_argument("pages", nargs="+", help="role=/url/")
    args = parser.parse_args(argv)

    from bench.slow_pages import setup, sign_in

    info = setup(args.database)
    from django.db import transaction
    from django.test import Client
    from django.utils import translation

    from ecosystem.accounts.models import User

    print(f"load before {os.getloadavg()[0]:.2f}")
    inserts = []
    with transaction.atomic(), translation.override(args.language):
        for spec in args.pages:
            role, url = spec.split("=", 1)
            user = User.objects.get(pk=info["people"][role])
            client = Client(headers={"accept-language": args.language})
            sign_in(client, user)
            figures = floors(client, user, url, args.repeat)
            inserts.append((role, url, figures["insert"]))
            print(
                f"{role} {url}: {figures['rows']} rows, {figures['queries']} queries\n  "
                + ", ".join(f"{k} {v} ms" for k, v in figures.items() if k not in _NOT_MS)
            )
        transaction.set_rollback(True)
    for role, url, insert in inserts:
        plain, checked = (_median(_own_transaction(insert, c), args.repeat) for c in (0, 1))
        print(f"{role} {url}: log {plain} ms, log checked {checked} ms (own transactions)")
    print(f"load after {os.getloadavg()[0]:.2f}")
    return 0


def _own_transaction(insert: str, checked: bool):
    """``insert`` in a transaction of its own, rolled back; ``checked``: with its deferred
    constraints checked at the statement's end, as a commit would."""
    from django.db import connection, transaction

    def run():
        with transaction.atomic(), connection.cursor() as cursor:
            if checked:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(insert)
            transaction.set_rollback(True)

    return run


_NOT_MS = ("url", "insert", "rows", "queries")


if __name__ == "__main__":
    raise SystemExit(main())
