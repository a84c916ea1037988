"""Data: re-extract every case's figures (CaseFact) with the corrected extraction.

The facts of a case are derived from its body when it is imported, and an unchanged
file is never read again; so cases imported before the fixes of issue #14 (毎年 of
one clause only, 2時間以上/回 not per year, the sentence's 年度, staff head counts
not targets) would keep the old figures. This rebuilds them from the stored body.
Bodies, passages and the search index are untouched (Markdown is rendered on
display, nothing to rebuild). Reverse: nothing to undo (the figures stay derived).
"""

from typing import Any

from django.db import migrations


def refresh_facts(apps: Any, schema_editor: Any) -> None:
    from hagukumi.cases.facts import extract_facts

    Case = apps.get_model("cases", "Case")
    CaseFact = apps.get_model("cases", "CaseFact")
    for case in Case.objects.only("id", "body").iterator(chunk_size=200):
        CaseFact.objects.filter(case_id=case.pk).delete()
        CaseFact.objects.bulk_create(
            CaseFact(
                case_id=case.pk,
                kind=fact.kind,
                value=fact.value,
                unit=fact.unit,
                fiscal_year=fact.fiscal_year,
                per_year=fact.per_year,
                sentence=fact.sentence,
                position=fact.position,
            )
            for fact in extract_facts(case.body)
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_search_fts_kind")]

    operations = [migrations.RunPython(refresh_facts, migrations.RunPython.noop, elidable=True)]
