# A job's result details: links to what it made, a dry run's confirmation step
# (issue [基盤] §2, issue [品質] mass retirement / unit closure, case import links).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_importjob_confirmed_from"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="result",
            field=models.JSONField(blank=True, default=dict, verbose_name="結果の詳細"),
        ),
    ]
