"""The 96128 ticket becomes a case of the procedures kernel (issue 8, item 7).

- `status` is renamed `state` (the kernel's protected FSM field, same values);
- the kernel's case fields are added and filled for existing tickets: a reference
  `RX-<year>-<n>` (the kernel's counter), the unit it belongs to (its department once
  transferred, else the desk), created/state-changed times, a title;
- the desk's routing table and reply deadlines are dropped: routing is the rule
  `hotline.route` with the parameters `hotline.destination_org.*`, reply periods are
  `hotline.reply_working_days.*` (policies/hotline/parameters);
- attachments move to the kernel's attachments (files under MEDIA_ROOT), reminders and
  escalations to the kernel's deadline rows (an open transfer keeps its escalation).
"""

import hashlib

import django.db.models.deletion
import django_fsm
from django.conf import settings
from django.db import migrations, models

DESK_ORG = "city-mayors-hotline"
ESCALATION_ORG = "city-general-office"


def forwards(apps, schema_editor):
    Ticket = apps.get_model("hotline", "Ticket")
    if not Ticket.objects.exists():
        return
    OrgUnit = apps.get_model("core", "OrgUnit")
    Counter = apps.get_model("procedures", "ReferenceCounter")
    ContentType = apps.get_model("contenttypes", "ContentType")
    KAttachment = apps.get_model("procedures", "Attachment")
    OldAttachment = apps.get_model("hotline", "Attachment")
    Deadline = apps.get_model("procedures", "Deadline")
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from kmgov.core.calendar import local

    desk = OrgUnit.objects.filter(code=DESK_ORG).first()
    escalation = OrgUnit.objects.filter(code=ESCALATION_ORG).first()
    ct, _ = ContentType.objects.get_or_create(app_label="hotline", model="ticket")
    for t in Ticket.objects.order_by("received_at", "id"):
        year = local(t.received_at).year
        counter, _ = Counter.objects.get_or_create(procedure="hotline", year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
        t.reference = f"RX-{year}-{counter.last:05d}"
        t.org_id = t.assigned_org_id or (desk.pk if desk else None)
        t.created_at = t.received_at
        t.state_changed_at = t.updated_at
        t.title = t.text[:60]
        if t.state in ("replied", "closed") and t.replied_at:
            t.reply_due_at, t.due_at = t.due_at, None
        elif t.state != "transferred":
            t.due_at = None
        t.save()
        ref = dict(content_type=ct, object_id=t.pk, case_reference=t.reference)
        for a in OldAttachment.objects.filter(ticket_id=t.pk):
            data = bytes(a.data)
            digest = hashlib.sha256(data).hexdigest()
            name = default_storage.save(
                f"procedures/hotline/{t.reference}/attachment-{digest[:16]}-{a.pk}",
                ContentFile(data))
            KAttachment.objects.create(**ref, key="attachment", file=name,
                                       original_name=a.name, mime_type=a.content_type or "",
                                       size=a.size, sha256=digest)
        if t.state == "transferred" and t.due_at and t.escalated_at is None and escalation:
            Deadline.objects.create(
                **ref, kind="escalation", state="transferred", step="transfer", due_at=t.due_at,
                period_ends_at=t.due_at, days=0, count="working", target_role="city_office",
                target_org=escalation, citation="昆政办〔2010〕116号 五(三)",
                message=f"逾期：96128工单“{t.reference}”回复期限已届满，尚未办理")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_search_tsvector"),
        ("procedures", "0003_inboxitem_proc_inbox_role_open_and_more"),
        ("hotline", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("ticket", "status", "state"),
        migrations.AlterField(
            model_name="ticket", name="state",
            field=django_fsm.FSMField(choices=[("queued", "非工作时间录音，待处理"), ("open", "待处理"), ("answered", "已直接答复"), ("transferred", "已转办，待回复"), ("replied", "部门已回复，待回访"), ("closed", "已办结")], db_index=True, default="queued", max_length=50, protected=True, verbose_name="状态"),
        ),
        migrations.AddField(
            model_name="ticket", name="applicant",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="申请人"),
        ),
        migrations.AddField(
            model_name="ticket", name="created_at",
            field=models.DateTimeField(null=True, db_index=True, verbose_name="创建时间"),
        ),
        migrations.AddField(
            model_name="ticket", name="org",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.orgunit", verbose_name="所属单位"),
        ),
        migrations.AddField(
            model_name="ticket", name="reference",
            field=models.CharField(null=True, editable=False, max_length=40, verbose_name="编号"),
        ),
        migrations.AddField(
            model_name="ticket", name="reply_due_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="回复期限（已回复工单）"),
        ),
        migrations.AddField(
            model_name="ticket", name="state_changed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="状态变更时间"),
        ),
        migrations.AddField(
            model_name="ticket", name="submitted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="提交时间"),
        ),
        migrations.AddField(
            model_name="ticket", name="title",
            field=models.CharField(blank=True, max_length=200, verbose_name="事项名称"),
        ),
        migrations.AddField(
            model_name="ticket", name="version",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AlterField(
            model_name="ticket", name="due_at",
            field=models.DateTimeField(blank=True, db_index=True, null=True, verbose_name="当前环节期限"),
        ),
        migrations.AlterField(
            model_name="ticket", name="request_type",
            field=models.CharField(choices=[("query", "查询咨询"), ("approval", "行政审批"), ("complaint", "投诉"), ("report", "举报"), ("suggestion", "建议"), ("consultation", "专业咨询"), ("other", "其他")], max_length=16, verbose_name="诉求类型"),
        ),
        migrations.AlterField(
            model_name="ticket", name="reply_on_time",
            field=models.BooleanField(blank=True, null=True, verbose_name="按时回复"),
        ),
        migrations.AlterField(
            model_name="ticket", name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="更新时间"),
        ),
        migrations.AlterField(
            model_name="ticketevent", name="kind",
            field=models.CharField(choices=[("created", "受理"), ("queued", "非工作时间录音"), ("answered", "直接答复"), ("transferred", "转办"), ("replied", "部门回复"), ("reminded", "催办"), ("escalated", "超期督办"), ("closed", "回访办结"), ("reopened", "重新办理"), ("note", "备注")], max_length=16),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="ticket", name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="创建时间"),
        ),
        migrations.AlterField(
            model_name="ticket", name="org",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.orgunit", verbose_name="所属单位"),
        ),
        migrations.AlterField(
            model_name="ticket", name="reference",
            field=models.CharField(editable=False, max_length=40, unique=True, verbose_name="编号"),
        ),
        migrations.RemoveField(model_name="ticket", name="escalated_at"),
        migrations.RemoveField(model_name="ticket", name="reminded_at"),
        migrations.DeleteModel(name="Attachment"),
        migrations.DeleteModel(name="ReplyDeadline"),
        migrations.DeleteModel(name="RoutingRule"),
    ]
