"""Database triggers that refuse any UPDATE or DELETE on the audit log.

SQLite: the DELETE trigger asks the SQL function ``openpcn_audit_locked()``, which every
OpenPCN connection registers (``openpcn.data.accounts.apps``) and which answers 1 except while the test
runner empties the database between tests; a connection without the function (the sqlite3
shell) fails the delete too (see docs/decisions/0003-append-only-audit.md).
PostgreSQL: row triggers; TRUNCATE (table owner only, used by the test runner) is not a row
operation.
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER web_auditevent_no_update BEFORE UPDATE ON web_auditevent
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
    """CREATE TRIGGER web_auditevent_no_delete BEFORE DELETE ON web_auditevent
       WHEN openpcn_audit_locked()
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS web_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS web_auditevent_no_delete;",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION web_auditevent_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER web_auditevent_no_change BEFORE UPDATE OR DELETE ON web_auditevent
       FOR EACH ROW EXECUTE FUNCTION web_auditevent_refuse();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS web_auditevent_no_change ON web_auditevent;",
    "DROP FUNCTION IF EXISTS web_auditevent_refuse();",
]


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    pg = schema_editor.connection.vendor == "postgresql"
    for sql in POSTGRES_REVERSE if pg else SQLITE_REVERSE:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("web", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
