"""`make run`'s database: SQLite, migrated and seeded with the demo (`seed_demo`) in a
process of its own, then each demo role's main pages and API lists answer without a
server error. The rest of the suite runs on PostgreSQL in CI, where the counters' upserts
(``ON CONFLICT`` on keys SQLite does not make) and the match page's ``LATERAL`` read
worked while `make run` failed: seeding stopped at the first lead move, and the bank's
match list answered 500."""

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
