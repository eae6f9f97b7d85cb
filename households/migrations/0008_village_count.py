"""The per-village count of active households, kept by PostgreSQL triggers (issue 22)."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

# One function for the three statement triggers: each statement's rows, new ones counted in and old ones
# out, netted per village (an UPDATE that keeps the village and the state nets to nothing).
TRIGGER_SQL = """
CREATE FUNCTION households_village_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO households_villagecount (village_id, households)
        SELECT village_id, count(*) FROM new_rows WHERE is_active GROUP BY village_id ORDER BY village_id
        ON CONFLICT (village_id) DO UPDATE
        SET households = households_villagecount.households + EXCLUDED.households;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE households_villagecount c SET households = c.households - d.n
        FROM (SELECT village_id, count(*) AS n FROM old_rows WHERE is_active GROUP BY village_id) d
        WHERE c.village_id = d.village_id;
    ELSE
        INSERT INTO households_villagecount (village_id, households)
        SELECT village_id, sum(delta) FROM (
            SELECT village_id, 1 AS delta FROM new_rows WHERE is_active
            UNION ALL
            SELECT village_id, -1 AS delta FROM old_rows WHERE is_active
        ) d GROUP BY village_id HAVING sum(delta) <> 0 ORDER BY village_id
        ON CONFLICT (village_id) DO UPDATE
        SET households = households_villagecount.households + EXCLUDED.households;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER households_village_count_insert AFTER INSERT ON households_household
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION households_village_count();
CREATE TRIGGER households_village_count_update AFTER UPDATE ON households_household
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION households_village_count();
CREATE TRIGGER households_village_count_delete AFTER DELETE ON households_household
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION households_village_count();
INSERT INTO households_villagecount (village_id, households)
SELECT village_id, count(*) FROM households_household WHERE is_active GROUP BY village_id;
"""

DROP_SQL = """
DROP TRIGGER households_village_count_insert ON households_household;
DROP TRIGGER households_village_count_update ON households_household;
DROP TRIGGER households_village_count_delete ON households_household;
DROP FUNCTION households_village_count();
"""


def create_triggers(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL)


def drop_triggers(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_password_age_from_now"),
        ("households", "0007_member_parents_status"),
    ]

    operations = [
        migrations.CreateModel(
            name="VillageCount",
            fields=[
                (
                    "village",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="accounts.orgunit",
                        verbose_name="村(居)",
                    ),
                ),
                ("households", models.IntegerField(default=0, verbose_name="在册户数")),
            ],
            options={
                "verbose_name": "村(居)户数",
                "verbose_name_plural": "村(居)户数",
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
