"""事例No. unique per owner and visibility, not across 団体 (issue 16, defect 1).

Another 団体's import of a case with the same 事例No. becomes its own case
instead of taking over the existing one. Existing rows satisfy the new
constraints (the old ones were stricter).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_saved_search"),
        ("orgs", "0002_load_organization_master"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="case",
            name="case_public_case_no_unique",
        ),
        migrations.RemoveConstraint(
            model_name="case",
            name="case_owner_case_no_unique",
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("owner__isnull", False), models.Q(("case_no", ""), _negated=True)
                ),
                fields=("owner", "visibility", "case_no"),
                name="case_owner_case_no_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("owner__isnull", True), models.Q(("case_no", ""), _negated=True)
                ),
                fields=("visibility", "case_no"),
                name="case_system_case_no_unique",
            ),
        ),
    ]
