"""A program deleted in a REPEATABLE READ (or SERIALIZABLE) transaction while an import
writes entries for it no longer leaves orphan entries.

Migration 0005 replaced the per-row foreign key with statement-level triggers: entry
writes key-share lock the programs they name, and a program's deletion checks afterwards
that no entry names it. Under READ COMMITTED that is enough: the DELETE waits for the
key-share holders, and the check, a new statement, takes a new snapshot that sees what
they committed. Under REPEATABLE READ and SERIALIZABLE every statement of the
transaction reads the transaction's snapshot, taken at its first statement. An import
that commits after that snapshot (whether before the DELETE or while the DELETE waits on
its lock) wrote entries the check cannot see, and a row lock that was only a lock is no
conflict to PostgreSQL: the DELETE goes ahead and the program is gone under its entries
(tests/integration/test_registry_program_delete_race.py shows it on PostgreSQL 15).
PostgreSQL's own foreign keys check with a second, current snapshot (a "crosscheck"
snapshot) and raise a serialization failure; PL/pgSQL has no such snapshot, so locking
the program row harder (``FOR UPDATE`` in the delete trigger, or re-checking after the
key-share lock) does not help: the lock is granted and the snapshot stays the same.

So an entry write now leaves a new version of each program row it names (``UPDATE ...
SET id = id``, after taking the rows' locks in id order so two statements naming the
same programs cannot deadlock). A REPEATABLE READ or SERIALIZABLE DELETE of a row that a
transaction it cannot see updated is refused by PostgreSQL itself ("could not serialize
access due to concurrent update", SQLSTATE 40001): the deleter rolls back, and its retry
sees the entries and is refused by the delete trigger (foreign_key_violation), as a
native foreign key behaves. READ COMMITTED behaves as before; the delete trigger is
unchanged.

The price: two transactions writing entries of the same program now take turns (the
update's row lock is held until commit) where the key-share locks let them overlap, and
an edit of a program waits for an import of it to commit. Imports of one program rarely
overlap, and an import's entries are written in one final transaction, so the wait is
that transaction's length. The version costs one heap-only tuple per program per entry
statement. (The other fix, refusing to delete a program outside READ COMMITTED,
would keep imports overlapping but forbid an isolation level for a correctness reason
that only a concurrent import creates.)
"""

from django.db import migrations

ENTRY_CHECK_SQL = """
CREATE OR REPLACE FUNCTION registries_entry_program_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  missing bigint;
BEGIN
  -- Lock the named programs in id order, then leave a new version of each: a concurrent
  -- delete waits, and one whose snapshot cannot see this transaction fails to serialize
  -- instead of missing these entries (a lock alone is invisible to its snapshot).
  PERFORM 1 FROM registries_program
    WHERE id IN (SELECT DISTINCT program_id FROM new_entries)
    ORDER BY id FOR NO KEY UPDATE;
  UPDATE registries_program SET id = id
    WHERE id IN (SELECT DISTINCT program_id FROM new_entries);
  SELECT n.program_id INTO missing
    FROM (SELECT DISTINCT program_id FROM new_entries) n
    WHERE NOT EXISTS (SELECT 1 FROM registries_program p WHERE p.id = n.program_id)
    LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'registry entry refers to program % which does not exist', missing
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$
"""

# Migration 0005's function, as it was.
KEY_SHARE_CHECK_SQL = """
CREATE OR REPLACE FUNCTION registries_entry_program_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  missing bigint;
BEGIN
  -- What a foreign key does per row, once per statement: key-share lock the
  -- programs the new rows name (a concurrent delete waits), then require them.
  PERFORM 1 FROM registries_program
    WHERE id IN (SELECT DISTINCT program_id FROM new_entries) FOR KEY SHARE;
  SELECT n.program_id INTO missing
    FROM (SELECT DISTINCT program_id FROM new_entries) n
    WHERE NOT EXISTS (SELECT 1 FROM registries_program p WHERE p.id = n.program_id)
    LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'registry entry refers to program % which does not exist', missing
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$
"""


def _run(sql):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(sql, None)  # no parameters: "%" is plpgsql's own

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("registries", "0005_entry_program_statement_check"),
    ]

    operations = [
        migrations.RunPython(_run(ENTRY_CHECK_SQL), _run(KEY_SHARE_CHECK_SQL), elidable=False),
    ]
