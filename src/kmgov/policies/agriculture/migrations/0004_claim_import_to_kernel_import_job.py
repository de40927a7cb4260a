"""The agriculture ClaimImport rows become the kernel's background imports
(procedures.ImportJob, kind "agriculture.claims"), keeping their ids so that the old addresses
(/agriculture/imports/<id>/, GET /api/v1/agriculture/claims/imports/{id}) and tasks already
queued with an id still find them; then the ClaimImport table goes."""

import re

from django.db import migrations

ROW, COLUMN = re.compile(r"第(\d+)行"), re.compile(r"“([^”]+)”列")
STATES = {"queued": "queued", "running": "running", "done": "done", "failed": "failed"}


def forwards(apps, schema_editor):
    ClaimImport = apps.get_model("agriculture", "ClaimImport")
    ImportJob = apps.get_model("procedures", "ImportJob")
    OrgUnit = apps.get_model("core", "OrgUnit")
    db = schema_editor.connection.alias
    rows = []
    for old in ClaimImport.objects.using(db).select_related("claim").order_by("pk"):
        org = (OrgUnit.objects.using(db).filter(code=f"{old.county}-agriculture").first()
               or OrgUnit.objects.using(db).filter(code=old.county).first()
               or OrgUnit.objects.using(db).filter(parent__isnull=True).order_by("path").first())
        result = {"claim": old.claim.reference, "rows": old.total} if old.claim_id else {}
        errors = []
        for e in old.errors or []:
            m, c = ROW.search(str(e)), COLUMN.search(str(e))
            errors.append({"row": int(m.group(1)) if m else None,
                           "field": c.group(1) if c else None, "message": str(e)})
        rows.append(ImportJob(
            pk=old.pk, kind="agriculture.claims", owner_id=old.actor_id, org=org,
            params={"county": old.county, "year": old.year}, file=old.file.name,
            filename=old.file.name.rsplit("/", 1)[-1], state=STATES.get(old.status, "failed"),
            done=old.done, total=old.total, errors=errors, result=result,
            finished_at=old.finished_at))
    if not rows:
        return
    ImportJob.objects.using(db).bulk_create(rows)
    # created_at is auto_now_add: carry the old times over
    for old in ClaimImport.objects.using(db).only("pk", "created_at"):
        ImportJob.objects.using(db).filter(pk=old.pk).update(created_at=old.created_at)
    # the explicit ids leave PostgreSQL's sequence behind: move it past them
    from django.core.management.color import no_style

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [ImportJob]):
            cursor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("agriculture", "0003_claim_import"),
        ("procedures", "0008_import_job"),
        ("core", "0008_content_version"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.DeleteModel(name="ClaimImport"),
    ]
