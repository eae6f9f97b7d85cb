"""Trigram indexes for the household list's search (issue 12 goal 3), PostgreSQL only: `icontains` on a
member's name or a household number is `UPPER(col::text) LIKE UPPER('%q%')`, which these GIN indexes
serve for a query of three characters or more. SQLite (`make run`) gets nothing and searches as before."""

from django.db import migrations

INDEXES = (
    ("households_member_name_trgm", "households_member", "name"),
    ("households_household_number_trgm", "households_household", "household_number"),
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("households", "0004_assistance_records")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
