"""A national-size world in a database of its own, loaded with COPY, reused across runs.

    python -m bench.world [--scale 1.0] [--keep]

At ``--scale 1``: 1,000,000 enterprises across 50 zones; five years of figures for a
fifth of them; 600,000 qualification claims; four programs' lists (600,000 entries);
30 banks with 1,500 branches (one per bank and zone), 60 product versions (two products
a bank, saved through ``product_save``); 30 % of the enterprises on the reference
chains' nodes, a leader per zone and chain (200, and 40 ended) with 5–40 supplier links
each in every state (``chains``); the matches of a real full rematch (the
``rematch_range`` task's code over 5,000-enterprise ranges, as ``rematch_all`` splits
it); 1,000,000 leads in every state, each past ``new`` with a status note, a third with a
free note, offers on the leads that reached one, a disbursement on every disbursed lead
(``disbursements``); consents (active for most leads' bank and enterprise, some
revoked). A bank holds a third of the leads; its branch in the first zone is the
relationship manager's inbox the benches open. Every count scales with ``--scale`` but
the zones, banks, branches, versions and chain leaders.

The crawl's people: an owner of the first enterprise, an official of the first zone, an
officer of the ``hte`` list, the relationship manager of that branch, that bank's manager,
a platform admin (staff with a TOTP authenticator, as the portal requires).

Database: ``BENCH_NATIONAL_DATABASE_URL``, else
postgres://postgres@127.0.0.1:5432/kejinlink_national; below scale 1 the same name with the
scale after it (``kejinlink_national_s0_01``), so worlds of two sizes live side by side.
``--keep``: when the database holds a world of the same size (recorded in the table
``bench_world``), it is reused as it is; one of the same size recorded by an older version
(2: no disbursements, no chains) is upgraded in place (``upgrade``: what is missing
inserted, the summary tables recounted); otherwise the database is dropped and built again.

Modules: ``db`` (the database, its record, COPY), ``people`` (zones, banks, staff,
products, the crawl's people), ``firms`` (enterprises, figures, claims, lists),
``chains``, ``leads`` (leads, notes, offers, consents), ``disbursements``, ``build``
(the steps in order, sizes, counts), ``upgrade``, ``cli`` (``ensure``, ``main``).
"""

from bench.world.build import TABLES, VERSION, build, count, sizes
from bench.world.cli import describe, ensure, main, same_size
from bench.world.db import DEFAULT_URL, drop_database, national_url, recorded, save, setup
from bench.world.upgrade import upgradable, upgrade

__all__ = [
    "DEFAULT_URL",
    "TABLES",
    "VERSION",
    "build",
    "count",
    "describe",
    "drop_database",
    "ensure",
    "main",
    "national_url",
    "recorded",
    "same_size",
    "save",
    "setup",
    "sizes",
    "upgradable",
    "upgrade",
]
