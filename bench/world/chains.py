"""The world's enterprises on the reference chains (``chains`` migration 0002), chain
leaders per zone and chain, and their supplier links, by INSERT … SELECT.

Deterministic in the enterprises' ids (``hashint8extended`` with a salt per draw), so a
world upgraded in place gets the same placements as one built anew:

- **Placements**: ``SHARE`` % of the enterprises sit on a leaf node of some chain (each
  leaf as likely), a tenth of them on a second leaf as well.
- **Leaders**: per zone and chain with enterprises on it, the first of them (those with
  verified figures first) leads it; in a fifth of the pairs the second led it before
  (ended).
- **Supplier links**: each active leader has 5–40 suppliers among the other enterprises
  of its zone on its chain, in every state (55 % confirmed).

Each part runs only when its table is empty, so the step also upgrades a world built
without chains (``upgrade``).
"""

from __future__ import annotations

#: Percent of the enterprises on a chain node.
SHARE = 30
#: Non-negative hash of an integer expression with a salt.
_H = "(hashint8extended({}, {}) & 2147483647)"
LEAVES = (
    "SELECT array_agg(n.id ORDER BY n.path) AS ids, count(*)::int AS m "
    "FROM chains_chainnode n "
    "WHERE NOT EXISTS (SELECT 1 FROM chains_chainnode c WHERE c.parent_id = n.id)"
)
PLACE = (
    f"WITH leaves AS ({LEAVES}), "  # noqa: S608 - our SQL
    "placed AS (SELECT e.id, e.created_at, "
    f"  mod({_H.format('e.id', 2)}, leaves.m) AS k, {_H.format('e.id', 3)} AS h, leaves.m "
    "  FROM enterprises_enterprise e, leaves "
    f"  WHERE mod({_H.format('e.id', 1)}, 100) < %s) "
    "INSERT INTO chains_enterprisenode (enterprise_id, node_id, set_by_id, set_at) "
    "SELECT p.id, l.ids[1 + p.k], NULL::bigint, p.created_at FROM placed p, leaves l "
    "UNION ALL "
    "SELECT p.id, l.ids[1 + mod(p.k + 1 + mod(p.h / 16, p.m - 1), p.m)], NULL, p.created_at "
    "FROM placed p, leaves l WHERE mod(p.h, 10) = 0"
)
ON_CHAIN = (
    "SELECT DISTINCT en.enterprise_id, n.chain_id FROM chains_enterprisenode en "
    "JOIN chains_chainnode n ON n.id = en.node_id"
)
LEAD = (
    "WITH ranked AS (SELECT ec.enterprise_id, e.zone_id, ec.chain_id, row_number() OVER ("
    "  PARTITION BY e.zone_id, ec.chain_id ORDER BY (v.enterprise_id IS NULL), "
    f"  {_H.format('ec.enterprise_id', 4)}, ec.enterprise_id) AS r "
    f"  FROM ({ON_CHAIN}) ec JOIN enterprises_enterprise e ON e.id = ec.enterprise_id "
    "  LEFT JOIN (SELECT DISTINCT enterprise_id FROM enterprises_financialyear "
    "  WHERE verification_status = 'verified') v ON v.enterprise_id = ec.enterprise_id) "
    "INSERT INTO chains_chainleader "
    "(chain_id, enterprise_id, designated_by_id, designated_at, ended_at, ended_by_id) "
    "SELECT chain_id, enterprise_id, %s, now() - interval '300 days', "
    "NULL::timestamptz, NULL::bigint "
    "FROM ranked WHERE r = 1 "
    "UNION ALL "
    "SELECT chain_id, enterprise_id, %s, now() - interval '700 days', "
    "now() - interval '300 days', %s FROM ranked WHERE r = 2 AND mod(zone_id + chain_id, 5) = 0"
)
LINK = (
    "WITH leaders AS (SELECT cl.id, cl.chain_id, cl.enterprise_id, e.zone_id, "
    f"  5 + mod({_H.format('cl.id', 5)}, 36) AS wanted "
    "  FROM chains_chainleader cl JOIN enterprises_enterprise e ON e.id = cl.enterprise_id "
    "  WHERE cl.ended_at IS NULL), "
    "candidates AS (SELECT l.id AS leader_id, ec.enterprise_id AS supplier_id, l.wanted, "
    "  row_number() OVER (PARTITION BY l.id "
    f"  ORDER BY {_H.format('ec.enterprise_id', 6)}, ec.enterprise_id) AS r "
    f"  FROM leaders l JOIN ({ON_CHAIN}) ec ON ec.chain_id = l.chain_id "
    "  JOIN enterprises_enterprise e ON e.id = ec.enterprise_id AND e.zone_id = l.zone_id "
    "  WHERE ec.enterprise_id <> l.enterprise_id), "
    "chosen AS (SELECT leader_id, supplier_id, "
    f"  mod({_H.format('leader_id * 1000003 + supplier_id', 7)}, 100) AS d, "
    "  now() - make_interval(days => 20 + "
    f"  mod({_H.format('leader_id * 1000003 + supplier_id', 8)}, 280)::int) AS started "
    "  FROM candidates WHERE r <= wanted) "
    "INSERT INTO chains_supplierlink (leader_id, supplier_id, status, note, created_by_id, "
    "created_at, confirmed_at, closed_at, updated_at) "
    "SELECT leader_id, supplier_id, CASE WHEN d < 55 THEN 'confirmed' "
    "WHEN d < 67 THEN 'requested' WHEN d < 77 THEN 'invited' WHEN d < 87 THEN 'declined' "
    "WHEN d < 92 THEN 'withdrawn' ELSE 'ended' END, '', NULL, started, "
    "CASE WHEN d < 55 OR d >= 92 THEN started + interval '3 days' END, "
    "CASE WHEN d >= 77 THEN started + interval '10 days' END, "
    "CASE WHEN d >= 77 THEN started + interval '10 days' "
    "WHEN d < 55 THEN started + interval '3 days' ELSE started END "
    "FROM chosen"
)


def _empty(cursor, table: str) -> bool:
    cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {table})")  # noqa: S608 - our names
    return cursor.fetchone()[0]


def chains_add(cursor, *, admin_id: int) -> dict:
    """Placements, leaders (designated by ``admin_id``) and supplier links, each when its
    table is empty; the rows written per table."""
    written = {"enterprise_nodes": 0, "chain_leaders": 0, "supplier_links": 0}
    if _empty(cursor, "chains_enterprisenode"):
        cursor.execute(PLACE, [SHARE])
        written["enterprise_nodes"] = cursor.rowcount
    if _empty(cursor, "chains_chainleader"):
        cursor.execute(LEAD, [admin_id, admin_id, admin_id])
        written["chain_leaders"] = cursor.rowcount
    if _empty(cursor, "chains_supplierlink"):
        cursor.execute(LINK)
        written["supplier_links"] = cursor.rowcount
    return written


def chains_missing(cursor) -> bool:
    """Whether the world has no enterprise on a chain."""
    return _empty(cursor, "chains_enterprisenode")
