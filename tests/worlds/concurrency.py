"""Races on PostgreSQL: calls in threads released at the same moment (``run_together``),
and the worst interleaving forced at a service's pause point (``race_in_window``)."""

from __future__ import annotations

import threading
import time

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


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _waits_on_a_lock(pid) -> bool:
    if pid is None:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row and row[0] == "Lock")


def race_in_window(monkeypatch, module, point: str, first, second, *, deadline_s: float = 30):
    """A race with the worst interleaving, every time (PostgreSQL).

    ``module.race_window(point)`` is the service's pause point, between the reads it decides
    on and its write. ``first`` runs until it stands there; then ``second`` starts, and
    ``first`` is held until ``second`` has either reached the same point too (nothing
    serialised them: both decide on the same reads) or is waiting on a database lock
    ``first`` holds. Then ``first`` finishes, then ``second``. Returns the two results
    (objects or the errors raised) and how ``second`` was held: "lock", "window" or
    "finished" (it ended without reaching either)."""
    reached = {"first": threading.Event(), "second": threading.Event()}
    release = threading.Event()
    pids: dict[str, int] = {}
    results: dict[str, object] = {}

    def window(name: str) -> None:
        role = threading.current_thread().name
        if name != point or role not in reached:
            return
        reached[role].set()
        if role == "first":
            release.wait(deadline_s)

    monkeypatch.setattr(module, "race_window", window)

    def runner(role, call):
        try:
            pids[role] = _backend_pid()
            results[role] = call()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[role] = exc
        finally:
            connection.close()

    def wait(condition, what):
        deadline = time.monotonic() + deadline_s
        while not condition():
            if time.monotonic() > deadline:
                release.set()
                raise AssertionError(f"gave up waiting for {what}: {results}")
            time.sleep(0.005)

    threads = {
        role: threading.Thread(target=runner, args=(role, call), name=role)
        for role, call in (("first", first), ("second", second))
    }
    threads["first"].start()
    wait(
        lambda: reached["first"].is_set() or not threads["first"].is_alive(),
        "the first call to reach the race window",
    )
    assert reached["first"].is_set(), f"the first call never reached the window: {results}"
    threads["second"].start()
    wait(
        lambda: (
            reached["second"].is_set()
            or _waits_on_a_lock(pids.get("second"))
            or not threads["second"].is_alive()
        ),
        "the second call to reach the window or wait on a lock",
    )
    if reached["second"].is_set():
        held = "window"
    elif threads["second"].is_alive():
        held = "lock"
    else:
        held = "finished"
    release.set()
    for thread in threads.values():
        thread.join(deadline_s)
    return [results.get("first"), results.get("second")], held
