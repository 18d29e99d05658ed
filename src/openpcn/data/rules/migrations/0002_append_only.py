"""A database trigger that refuses changing a saved overlay version (the model refuses too).

Only what was saved is guarded (ICB, year, version, text, comment, when, by whom as written):
deleting a user may still clear ``author`` (``SET NULL``), while ``author_name`` keeps the name.
Deletes are left to the model's refusal so the test runner can empty its database.
"""

from django.db import migrations

TABLE = "rules_overlays_overlayversion"
GUARDED = ("icb_code", "year", "version", "text", "comment", "created_at", "author_name")

SQLITE = [
    f"""CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
       WHEN {" OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in GUARDED)}
       BEGIN SELECT RAISE(ABORT, 'overlay versions are append-only'); END;"""
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS {TABLE}_no_update;"]
POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_refuse() RETURNS trigger AS $$
       BEGIN
         IF {" OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in GUARDED)} THEN
           RAISE EXCEPTION 'overlay versions are append-only';
         END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql;""",
    f"""CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
       FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse();""",
]
POSTGRES_REVERSE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update ON {TABLE};",
    f"DROP FUNCTION IF EXISTS {TABLE}_refuse();",
]


def forwards(apps, schema_editor):
    pg = schema_editor.connection.vendor == "postgresql"
    for sql in POSTGRES if pg else SQLITE:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    pg = schema_editor.connection.vendor == "postgresql"
    for sql in POSTGRES_REVERSE if pg else SQLITE_REVERSE:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("rules_overlays", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
