"""One firm's rematch timed on a built world without writing to it: the national bench's
sample, inside one transaction that is rolled back.

    python -m bench.match_one --database URL [--samples 50] [--passes 5] [--profile FILE]

The firms are ``national_bench.one_firm``'s (``--samples`` firms with a 2025 financial
year, ``random.Random(19)``). Django is set up as ``slow_pages`` does it (the world as it
is; a missing migration reported, not applied). Everything runs in one
``transaction.atomic()`` that ends in ``set_rollback(True)``, so whatever a rematch writes
(a match whose figures moved since the world's rematch, the marker's deletion) is undone.

What that changes against ``national_bench`` and the floors: the service's own
``atomic()`` is a savepoint here (``SAVEPOINT`` and ``RELEASE SAVEPOINT``, two round trips
in place of ``BEGIN`` and ``COMMIT``), and no ``COMMIT`` waits for a WAL flush. The
rematch registers no ``on_commit`` hook (``len(connection.run_on_commit)`` is printed
after the passes as a check), so nothing is left out there.

Pass 1 is cold (the versions compiled, the statements prepared on this connection, as the
national bench's one pass); the passes after it are warm (as the floors' step, which runs
one firm first). Printed: each pass's median (wall time, and this thread's CPU time: the
Python side, which the machine's load moves far less than the wall time) and the warm
passes' median of medians, the SQL time of a last pass (the driver's ``execute`` calls),
the load averages; with ``--profile``, a cProfile of the warm passes written to FILE and
its top lines printed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time


def sample(samples: int) -> list[int]:
    """``national_bench.one_firm``'s firms, in its order."""
    from ecosystem.enterprises.models import FinancialYear

    ids = list(
        FinancialYear.objects.filter(year=2025)
        .order_by("pk")
        .values_list("enterprise_id", flat=True)
    )
    return random.Random(19).sample(ids, min(samples, len(ids)))  # noqa: S311 - bench sample


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--profile", help="cProfile the warm passes into this file")
    args = parser.parse_args(argv)
    from bench.slow_pages import setup

    setup(args.database)
    from django.db import connection, transaction

    from bench.feed_floors import traced
    from ecosystem.financing.services import rematch_enterprise_now

    load = os.getloadavg()
    chosen = sample(args.samples)
    medians, cpu_medians, profiler = [], [], None
    with transaction.atomic():
        for index in range(args.passes):
            if index == 1 and args.profile:
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            timings, cpu = [], []
            for enterprise_id in chosen:
                started, started_cpu = time.perf_counter(), time.thread_time()
                rematch_enterprise_now(enterprise_id=enterprise_id)
                cpu.append((time.thread_time() - started_cpu) * 1000)
                timings.append((time.perf_counter() - started) * 1000)
            medians.append(statistics.median(timings))
            cpu_medians.append(statistics.median(cpu))
            print(
                f"pass {index + 1}: median {medians[-1]:.2f} ms over {len(timings)} firms, "
                f"this process's CPU {cpu_medians[-1]:.2f} ms"
            )
        if profiler is not None:
            profiler.disable()
        sql = [traced(lambda pk=pk: rematch_enterprise_now(enterprise_id=pk)).ms for pk in chosen]
        hooks = len(connection.run_on_commit)
        transaction.set_rollback(True)
    after = os.getloadavg()
    warm = medians[1:] or medians
    warm_cpu = cpu_medians[1:] or cpu_medians
    print(
        f"warm median of medians {statistics.median(warm):.2f} ms (CPU "
        f"{statistics.median(warm_cpu):.2f} ms); SQL median "
        f"{statistics.median(sql):.2f} ms; on_commit hooks left {hooks}; "
        f"loadavg before {load[0]:.2f} {load[1]:.2f}, after {after[0]:.2f} {after[1]:.2f}"
    )
    if profiler is not None:
        import pstats

        profiler.dump_stats(args.profile)
        pstats.Stats(args.profile).sort_stats("cumulative").print_stats(40)
        pstats.Stats(args.profile).sort_stats("tottime").print_stats(30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
