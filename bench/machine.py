"""The machine's own speed, by fixed work timed beside a bench's figures.

This project's machine is a shared virtual one whose speed moves within a session (the
same statement 84.8 ms in a morning and 104 ms in the afternoon; twice its usual time for
a while in session 20's crawl: docs/performance.md). A figure compared across runs is
compared with these beside it.
"""

from __future__ import annotations

import json
import statistics
import time


def machine_reference(samples: int = 5) -> dict:
    """The machine's speed now, by two fixed pieces of work that never change between
    runs or code versions: a pure-Python one (the web process's side: sorting and JSON of
    a fixed list) and a PostgreSQL one (the database's side: a sum over a generated
    series, no table read). Each the median of ``samples``, in ms. The crawl's figures
    drift with this machine's speed (the same statement 84.8 ms in a morning, 104 ms in
    the afternoon: docs/performance.md, session 19); a page compared across runs is
    compared with these beside it."""
    from django.db import connection

    items = [{"id": i, "name": f"企业{i:06d}", "amount": i * 7919 % 100_003} for i in range(6_000)]

    def python() -> None:
        json.loads(json.dumps(sorted(items, key=lambda r: (r["amount"], r["name"]))))

    def database() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT sum(x * 2 + 1) FROM generate_series(1, 200000) AS x")
            cursor.fetchone()

    out = {}
    for name, work in (("python", python), ("sql", database)):
        timings = []
        for _ in range(samples):
            started = time.perf_counter()
            work()
            timings.append((time.perf_counter() - started) * 1000)
        out[name] = round(statistics.median(timings), 2)
    return out
