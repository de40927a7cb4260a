"""File imports as background jobs, declared once (issue 15 item 5).

A module offers an import by declaring an `Importer` in its AppConfig's
`contributions.importers` ("module:attribute"). The kernel does the rest, the same for all:

- `import_start(kind=…, actor=…, upload=…, params=…)` refuses at once (nothing stored) a file
  over the size cap (`core.sheets`), of the wrong type, or one the actor may not import for
  (the importer's `org(actor, params)` names whose data it writes, or refuses); otherwise it
  keeps the file and an `ImportJob` row (audited) and queues `tasks.run_import_job` after
  the commit;
- `import_run(job_id)` is the worker's part: the importer's `run(path, actor=, params=,
  on_progress=)` checks every row first (progress written on the row as it goes), then writes
  in one transaction; a refusal leaves nothing written and its errors kept row by row
  (`{"row", "field", "message"}`); the outcome is audited. Running it twice changes nothing;
- `import_get(job_id, user)`: the one who asked, and officials whose scope contains the job's
  unit (not the public or read-only roles below it); anyone else is told it is not there (404);
- one page (`/imports/<id>/`, refreshing itself until done) and one API
  (`POST /api/v1/imports/{kind}`, `GET /api/v1/imports/jobs/{id}`, `GET /api/v1/imports/kinds`).

In tests the task runs synchronously the way the agriculture tests always did: the database
task backend queues it, the test calls the task (or `import_run`) as the worker would.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kmgov.core.audit import audit_record
from kmgov.core.errors import Forbidden, InvalidInput, NotFound, Refusal
from kmgov.core.models import READ_ONLY_ROLES, OrgUnit, Role
from kmgov.core.scope import can_see_org, user_assignments
from kmgov.core.sheets import check_size_value

from .models import ImportJob

# The roles that may follow another person's import of a unit they reach (officials).
OFFICIAL_ROLES = frozenset(r.value for r in Role) - {Role.PUBLIC.value, Role.ENTERPRISE.value}


class ImportRejected(InvalidInput):
    """An import refused as a whole: nothing was written. `errors` are the row errors, each
    `{"row": sheet row or feature number or None, "field": column or None, "message": Chinese}`."""

    code = "import_rejected"

    def __init__(self, errors: list, *, field: str = "file", prefix: str = "导入失败，未写入任何数据："):
        self.errors = [row_error(e) for e in errors]
        shown = "；".join(e["message"] for e in self.errors[:20])
        more = "……" if len(self.errors) > 20 else ""
        first = next((e["field"] for e in self.errors if e["field"]), None)
        super().__init__(prefix + shown + more, field=first or field)


@dataclass(frozen=True)
class Importer:
    """One kind of import. `run(path, *, actor, params, on_progress) -> dict` checks every row
    before writing anything and writes in one transaction, raising a `Refusal` (best an
    `ImportRejected`) or Django's `ValidationError` when a row is wrong; `on_progress(done,
    total)` may be called while it checks. The dict it returns is the job's summary (numbers and
    references; `result_text` says it in Chinese, `result_url` links to what was written).
    `org(actor, params) -> OrgUnit` names the unit whose data it writes, or refuses."""

    kind: str
    label: Any
    run: Callable
    org: Callable
    suffixes: tuple[str, ...] = (".xlsx",)
    #: The form fields it takes beside the file, as (name, Chinese label, type: int|str).
    params: tuple[tuple[str, Any, type], ...] = ()
    result_text: Callable[[dict], str] | None = None
    result_url: Callable[[dict], str | None] | None = None
    extra: dict = field(default_factory=dict)


def importers() -> dict[str, Importer]:
    """Every declared importer by kind (read from the installed apps' contributions)."""
    from django.apps import apps

    from kmgov.core.contributions import resolve

    out: dict[str, Importer] = {}
    for config in apps.get_app_configs():
        contrib = getattr(config, "contributions", None)
        for target in getattr(contrib, "importers", ()) or ():
            imp = resolve(target)
            out[imp.kind] = imp
    return out


def importer_get(kind: str) -> Importer:
    imp = importers().get(kind)
    if imp is None:
        raise NotFound(f"没有“{kind}”这种导入", field="kind")
    return imp


def actor_unit(actor) -> OrgUnit:
    """The unit an import of records across the actor's reach belongs to: the unit of the
    actor's widest role that may write (a superuser: the city). Refused to those who may not
    write anywhere."""
    if getattr(actor, "is_superuser", False):
        root = OrgUnit.objects.filter(parent__isnull=True).order_by("path").first()
        if root is not None:
            return root
    units = sorted((a.org for a in user_assignments(actor) if a.role not in READ_ONLY_ROLES),
                   key=lambda u: (u.path.count("/"), u.path))
    if not units:
        raise Forbidden("您没有可以导入数据的岗位", field="file")
    return units[0]


_ROW = re.compile(r"第(\d+)(?:行|个要素)")
_COLUMN = re.compile(r"“([^”]+)”列")


def row_error(e) -> dict:
    """An error as `{"row", "field", "message"}`; a plain message gives its row and column when
    it names them in the usual way (第N行“列名”列)."""
    if isinstance(e, dict):
        return {"row": e.get("row"), "field": e.get("field"), "message": str(e.get("message", ""))}
    msg = str(e)
    m, c = _ROW.search(msg), _COLUMN.search(msg)
    return {"row": int(m.group(1)) if m else None, "field": c.group(1) if c else None,
            "message": msg}


def _errors_of(exc) -> list[dict]:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            out = []
            for f, msgs in exc.message_dict.items():
                for m in msgs:
                    e = row_error(m)
                    if e["field"] is None and f not in ("file", "__all__"):
                        e["field"] = f
                    out.append(e)
            return out
        return [row_error(m) for m in exc.messages]
    errors = getattr(exc, "errors", None)
    if errors:
        return [row_error(e) for e in errors]
    e = row_error(getattr(exc, "message", str(exc)))
    if e["field"] is None and getattr(exc, "field", None) not in (None, "file"):
        e["field"] = exc.field
    return [e]


def params_clean(imp: Importer, raw: dict) -> dict:
    """The importer's parameters from a form or API call, typed; a missing or malformed one is
    refused naming it."""
    out = {}
    for name, label, typ in imp.params:
        v = raw.get(name)
        if v is None or (isinstance(v, str) and not v.strip()):
            raise InvalidInput(f"请填写“{label}”", field=name)
        try:
            out[name] = typ(v.strip() if isinstance(v, str) else v)
        except (TypeError, ValueError):
            raise InvalidInput(f"“{label}”填写有误：“{v}”", field=name) from None
    return out


def import_start(*, kind: str, actor, upload, params: dict | None = None) -> ImportJob:
    """Keep the uploaded file and queue its import. Refused at once, nothing stored, for an
    unknown kind, a file of the wrong type or over the size cap, or a unit the actor may not
    import for."""
    from django.core.files.base import File

    from .tasks import run_import_job

    imp = importer_get(kind)
    clean = params_clean(imp, params or {})
    if upload is None:
        raise InvalidInput("请选择要导入的文件", field="file")
    name = os.path.basename(getattr(upload, "name", "") or "")
    if not name.lower().endswith(imp.suffixes):
        raise InvalidInput(f"文件类型不对：请上传{'、'.join(imp.suffixes)}文件", field="file")
    if getattr(upload, "size", None) is not None:
        check_size_value(upload.size)
    org = imp.org(actor, clean)
    with transaction.atomic():
        job = ImportJob(kind=kind, owner=actor, org=org, params=clean, filename=name[:255])
        job.file.save(name or "import", File(upload), save=False)
        job.save()
        audit_record(actor=actor, action="import.queued", obj=job, org=org, to_state=job.state,
                     extra={"kind": kind, "file": name, **clean})
        transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def import_run(job_id: int) -> ImportJob:
    """The worker's part: check then write, or keep the errors. A finished job is left as it
    is (a doubled task changes nothing)."""
    job = ImportJob.objects.select_related("owner", "org").get(pk=job_id)
    if job.finished:
        return job
    started = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.RUNNING, started_at=started)
    imp = importer_get(job.kind)

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(done=done, total=total)

    try:
        result = imp.run(job.file.path, actor=job.owner, params=job.params, on_progress=progress)
    except (Refusal, ValidationError) as exc:
        job.state, job.errors, job.result = ImportJob.State.FAILED, _errors_of(exc), {}
    else:
        job.state, job.errors, job.result = ImportJob.State.DONE, [], result or {}
    done, total = ImportJob.objects.values_list("done", "total").get(pk=job.pk)
    if job.state == ImportJob.State.DONE:
        rows = (result or {}).get("rows")
        total = total or (rows if isinstance(rows, int) else 0)
        done = total
    job.done, job.total = done, total
    job.started_at, job.finished_at = started, timezone.now()
    with transaction.atomic():
        job.save(update_fields=["state", "errors", "result", "done", "total", "started_at",
                                "finished_at"])
        audit_record(actor=job.owner, action=f"import.{job.state}", obj=job, org=job.org,
                     from_state=ImportJob.State.RUNNING, to_state=job.state,
                     extra={"kind": job.kind, "errors": len(job.errors), "result": job.result})
    return job


def can_follow(user, job: ImportJob) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if job.owner_id == user.pk or user.is_superuser:
        return True
    return can_see_org(user, job.org, roles=set(OFFICIAL_ROLES))


def import_get(job_id: int, user) -> ImportJob:
    """A job, for the one who asked it and the officials whose scope contains its unit; others
    are told it is not there."""
    job = ImportJob.objects.select_related("org", "owner").filter(pk=job_id).first()
    if job is None or not can_follow(user, job):
        raise NotFound(f"没有编号为“{job_id}”的导入任务，或您无权查看", field="id")
    return job


def import_summary(job: ImportJob) -> str:
    imp = importers().get(job.kind)
    if job.state != ImportJob.State.DONE or imp is None or imp.result_text is None:
        return ""
    return imp.result_text(job.result)


def import_link(job: ImportJob) -> str | None:
    imp = importers().get(job.kind)
    if job.state != ImportJob.State.DONE or imp is None or imp.result_url is None:
        return None
    return imp.result_url(job.result)


def import_label(job: ImportJob) -> str:
    imp = importers().get(job.kind)
    return str(imp.label) if imp is not None else job.kind


def import_out(job: ImportJob) -> dict:
    return {"id": job.pk, "kind": job.kind, "kind_label": import_label(job),
            "state": job.state, "state_label": job.get_state_display(),
            "org": job.org.code, "params": job.params, "file": job.filename,
            "done": job.done, "total": job.total, "errors": job.errors, "result": job.result,
            "summary": import_summary(job), "url": f"/imports/{job.pk}/",
            "created_at": job.created_at.isoformat(),
            "finished_at": job.finished_at.isoformat() if job.finished_at else None}
