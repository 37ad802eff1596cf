"""Run calls in threads released at the same moment (the race tests on PostgreSQL)."""

from __future__ import annotations

import threading

from django.db import connection


def run_together(*calls):
    """Start the calls in threads released at the same moment; return results or errors."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def runner(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results
