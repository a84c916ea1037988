"""Load the 団体 master (47 prefectures, 1,741 municipalities) and 国 (総務省).

Data: hagukumi/orgs/data/organizations.csv (source and date in data/README.md).
Uses the historical model and bulk_create (two inserts), so it runs in well
under a second on SQLite and PostgreSQL. Reverse removes exactly what was
loaded. A later change of the master belongs in a new data migration that
applies the difference; this one must keep loading the same rows.
"""

import csv
from pathlib import Path

from django.db import migrations

MASTER_CSV = Path(__file__).resolve().parent.parent / "data" / "organizations.csv"
NATIONAL = {"name": "総務省", "name_kana": "ソウムショウ", "kind": "national"}


def _rows():
    with MASTER_CSV.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load(apps, schema_editor):
    Organization = apps.get_model("orgs", "Organization")
    db = schema_editor.connection.alias
    rows = _rows()
    Organization.objects.using(db).bulk_create(
        Organization(code=r["code"], name=r["name"], name_kana=r["name_kana"], kind=r["kind"])
        for r in rows
        if not r["prefecture_code"]
    )
    prefecture_ids = dict(
        Organization.objects.using(db).filter(kind="prefecture").values_list("code", "id")
    )
    Organization.objects.using(db).bulk_create(
        (
            Organization(
                code=r["code"],
                name=r["name"],
                name_kana=r["name_kana"],
                kind=r["kind"],
                prefecture_id=prefecture_ids[r["prefecture_code"]],
            )
            for r in rows
            if r["prefecture_code"]
        ),
        batch_size=500,
    )
    if not Organization.objects.using(db).filter(kind="national", name=NATIONAL["name"]).exists():
        Organization.objects.using(db).create(**NATIONAL)


def unload(apps, schema_editor):
    Organization = apps.get_model("orgs", "Organization")
    db = schema_editor.connection.alias
    codes = [r["code"] for r in _rows()]
    loaded = Organization.objects.using(db).filter(code__in=codes)
    # Municipalities first: their prefecture is PROTECTed.
    loaded.filter(prefecture__isnull=False).delete()
    loaded.delete()
    Organization.objects.using(db).filter(
        kind="national", name=NATIONAL["name"], code__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
