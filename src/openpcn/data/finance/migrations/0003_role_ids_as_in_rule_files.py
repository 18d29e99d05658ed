"""Register role ids become the rule files' ids (one id per role across workforce and rules)."""

from django.db import migrations

RENAMED = {
    "health_and_wellbeing_coach": "health_wellbeing_coach",
    "general_practice_assistant": "gp_assistant",
}


def _rename(apps, mapping):
    for model in ("StaffMember", "Vacancy"):
        rows = apps.get_model("finance", model).objects
        for old, new in mapping.items():
            rows.filter(role=old).update(role=new)


def forwards(apps, schema_editor):
    _rename(apps, RENAMED)


def backwards(apps, schema_editor):
    _rename(apps, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("finance", "0002_non_arrs_staff")]

    operations = [migrations.RunPython(forwards, backwards)]
