"""Each warning keeps its household's town (issue 22): filled from the households, then required."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_password_age_from_now'),
        ('applications', '0007_materials_received'),
        ('households', '0007_member_parents_status'),
        ('monitoring', '0011_apitoken_expires_on_historicalapitoken_expires_on'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalwarning',
            name='town',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.orgunit', verbose_name='所属镇'),
        ),
        migrations.AddField(
            model_name='warning',
            name='town',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.orgunit', verbose_name='所属镇'),
        ),
        migrations.RunSQL(
            "UPDATE monitoring_warning SET town_id = (SELECT v.parent_id FROM households_household h "
            "JOIN accounts_orgunit v ON v.id = h.village_id WHERE h.id = monitoring_warning.household_id)",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name='warning',
            name='town',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.orgunit', verbose_name='所属镇'),
        ),
        migrations.AddIndex(
            model_name='warning',
            index=models.Index(fields=['town', 'status', 'due_on'], name='monitoring__town_id_78a0fa_idx'),
        ),
    ]
