# The dry run a real import was confirmed from (issue [基盤] §2).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_importjob"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="confirmed_from",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="core.importjob",
                verbose_name="確定元の試し読み",
            ),
        ),
    ]
