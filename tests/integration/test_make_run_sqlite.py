"""`make run`'s database: SQLite, migrated and seeded with the demo (`seed_demo`) in a
process of its own, then each demo role's main pages and API lists answer without a
server error. The rest of the suite runs on PostgreSQL in CI, where the counters' upserts
(``ON CONFLICT`` on keys SQLite does not make) and the match page's ``LATERAL`` read
worked while `make run` failed: seeding stopped at the first lead move, and the bank's
match list answered 500. The products' match totals, kept on SQLite by reading a
rematch's scope around its writes, equal a recount after the seed and after rematches."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(args, env, timeout=600):
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def test_make_run_migrates_seeds_and_serves_every_role_on_sqlite(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_SETTINGS_MODULE="portal.settings",
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
    )
    _run(["manage.py", "migrate", "--noinput"], env)
    seeded = _run(["manage.py", "seed_demo"], env)
    assert "Demo data ready." in seeded
    served = _run(["tests/worlds/sqlite_demo.py"], {**env, "PYTHONPATH": str(ROOT)})
    assert [line for line in served.splitlines() if line.startswith("500")] == []
    opened = {
        line.split()[1]: int(line.split()[2])
        for line in served.splitlines()
        if line.startswith("ok ")
    }
    assert len(opened) == 7 and all(n >= 4 for n in opened.values()), served
    # The products' match totals (read around each rematch's writes on SQLite) equal a
    # recount after the seed and after rematches that move matches.
    totals = _run(["tests/worlds/sqlite_match_totals.py"], {**env, "PYTHONPATH": str(ROOT)})
    drift = [line.split()[1:] for line in totals.splitlines() if line.startswith("drift ")]
    assert [step for step, _n in drift] == ["seed", "product", "firm", "firms", "range"], totals
    assert all(n == "0" for _step, n in drift), totals
    assert int(totals.split("moved ")[1].split()[0]) > 10, totals
