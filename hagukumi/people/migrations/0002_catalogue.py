"""Load the qualification catalogue and the 受験料補助 templates (hagukumi.people.catalogue).

Data only; reversible (the reverse deletes the rows this migration adds).
"""

from django.db import migrations


def load(apps, schema_editor):
    from hagukumi.people.catalogue import SUBSIDY_TEMPLATES, catalogue_rows

    Qualification = apps.get_model("people", "Qualification")
    SubsidyRule = apps.get_model("people", "SubsidyRule")
    for row in catalogue_rows():
        values = dict(row)
        code = values.pop("code")
        Qualification.objects.update_or_create(code=code, defaults=values)
    for template in SUBSIDY_TEMPLATES:
        values = dict(template)
        code = values.pop("code")
        SubsidyRule.objects.update_or_create(organization=None, code=code, defaults=values)


def unload(apps, schema_editor):
    from hagukumi.people.catalogue import SUBSIDY_TEMPLATES, catalogue_rows

    apps.get_model("people", "SubsidyRule").objects.filter(
        organization=None, code__in=[t["code"] for t in SUBSIDY_TEMPLATES]
    ).delete()
    apps.get_model("people", "Qualification").objects.filter(
        code__in=[r["code"] for r in catalogue_rows()]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
