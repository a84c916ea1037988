# One subsidy rule code per 団体 and one per template, as two partial unique
# indexes that SQLite creates too (issue [品質] 12; `nulls_distinct=False` was
# skipped there with a warning).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_fill_talent_type_framework"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="subsidyrule",
            name="people_subsidy_rule_code_unique",
        ),
        migrations.AddConstraint(
            model_name="subsidyrule",
            constraint=models.UniqueConstraint(
                condition=models.Q(("organization__isnull", False)),
                fields=("organization", "code"),
                name="people_subsidy_rule_code_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="subsidyrule",
            constraint=models.UniqueConstraint(
                condition=models.Q(("organization__isnull", True)),
                fields=("code",),
                name="people_subsidy_template_code_unique",
            ),
        ),
    ]
