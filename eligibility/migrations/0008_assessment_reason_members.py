"""Stored assessments gain what each reason now carries: the member it is about and the family's text.

Each stored snapshot is judged again with the parameter rows it names; the new keys are copied only
where every reason's staff text comes out identical, so a stored result never changes its verdict or
its figures. Anything else is left as it was (pages fall back to the staff text).
"""

from django.db import migrations


def add_members_and_family_texts(apps, schema_editor):
    from eligibility.engine import evaluate
    from eligibility.parameters import InvalidParameters, ParameterSet
    from eligibility.snapshot import SnapshotInvalid, validate_snapshot

    Assessment = apps.get_model("eligibility", "Assessment")
    PolicyParameter = apps.get_model("eligibility", "PolicyParameter")
    rows = {row.pk: (row.code, row.value) for row in PolicyParameter.objects.all()}
    for assessment in Assessment.objects.iterator():
        reasons = assessment.result.get("reasons", [])
        if not reasons or all("member" in reason for reason in reasons):
            continue
        try:
            snapshot = validate_snapshot(assessment.snapshot, shape_checked=True)
            pks = [int(str(ref).split(":", 1)[0]) for ref in assessment.parameters]
            values = dict(rows[pk] for pk in pks if pk in rows)
            evaluation = evaluate(snapshot, ParameterSet.from_values(values, refs=assessment.parameters))
        except (SnapshotInvalid, InvalidParameters, KeyError, ValueError):
            continue
        fresh = evaluation.to_json()["reasons"]
        same = len(fresh) == len(reasons) and all(
            (new["rule"], new["detail"]) == (old.get("rule"), old.get("detail"))
            for new, old in zip(fresh, reasons, strict=False)
        )
        if same:
            assessment.result = {
                **assessment.result,
                "reasons": [
                    {**old, "member": new["member"], "family_text": new["family_text"]}
                    for new, old in zip(fresh, reasons, strict=True)
                ],
            }
            assessment.save(update_fields=["result"])


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0007_reevaluation_resume_and_bureau")]

    operations = [migrations.RunPython(add_members_and_family_texts, migrations.RunPython.noop)]
