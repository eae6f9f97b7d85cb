"""List indexes at city scale (issue 12 goal 3).

- A village's active households in household-number order: the village's page is an index range, and a
  town's or village's count reads the index alone.
- PostgreSQL only: a member's name from its start (`name__istartswith`, `UPPER(name::text) LIKE 'x%'`), the
  household list's search of one or two characters. The trigram index finds a common surname's members too,
  but then reads each of them from the table (tens of thousands of rows); this B-tree carries the household
  id and the name, so the search reads the index alone. SQLite (`make run`) gets nothing and searches as
  before.
"""

from django.db import migrations, models

MEMBER_NAME_PREFIX = "households_member_name_prefix"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {MEMBER_NAME_PREFIX} ON households_member "
        "((UPPER(name::text)) text_pattern_ops, household_id) INCLUDE (name) WHERE is_active"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {MEMBER_NAME_PREFIX}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("households", "0005_search_trigram"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="household",
            index=models.Index(
                condition=models.Q(("is_active", True)),
                fields=["village", "household_number"],
                name="household_village_number",
            ),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
