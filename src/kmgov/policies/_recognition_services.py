"""Services and selectors of the shared recognition route (HQ and buildings).

Creating and editing a draft run the procedure's rule at once, so the applicant sees the
decision and its trace before submitting; bad data is refused naming the field and nothing is
written. Steps and attachments go through the kernel (`case_transition`, `attachment_add`).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from kmgov.core.audit import audit_record
from kmgov.core.calendar import local
from kmgov.core.models import OrgKind, OrgUnit, Role
from kmgov.core.scope import can_change_org, scoped, user_assignments
from kmgov.procedures.errors import TransitionDenied, TransitionNotAvailable
from kmgov.procedures.selectors import CASE_READER_ROLES, case_visible
from kmgov.procedures.services import case_create

from ._recognition import ACTIVE_STATES, AlreadyApplied, RecognitionCase  # noqa: F401


def _decision_errors_as_validation(case: RecognitionCase) -> None:
    errors = case.decision_errors()
    if errors:
        raise ValidationError({
            f"inputs.{e['field']}" if e["field"] not in ("__root__", "inputs") else "inputs":
                f"{e['field']}：{e['message']}" for e in errors})


def enterprise_of(user) -> OrgUnit | None:
    """The enterprise the user applies for (their first enterprise role)."""
    for a in user_assignments(user):
        if a.role == Role.ENTERPRISE and a.org.kind == OrgKind.ENTERPRISE:
            return a.org
    return None


def application_create(model: type[RecognitionCase], *, actor, org: OrgUnit | None = None,
                       data: dict, now: dt.datetime | None = None, **fields) -> RecognitionCase:
    """A draft application with the applicant's data and the rule's decision."""
    moment = now or timezone.now()
    org = org or enterprise_of(actor)
    if org is None:
        raise TransitionDenied("只有企业（申报人）账号可以申报；请以企业账号登录", field="org")
    if not can_change_org(actor, org):
        raise TransitionDenied(f"您无权以“{org}”的名义办理{model.procedure.name}", field="org")
    if org.kind != OrgKind.ENTERPRISE or org.county_level() is None:
        raise ValidationError({"org": f"申报单位须为某县（市）区下的企业，“{org}”不是"})
    year = local(moment).year
    probe = model(org=org, year=year, **fields)
    probe.set_data(data)
    probe.evaluate(as_of=local(moment).date())
    _decision_errors_as_validation(probe)
    model.check_unique_place(probe)
    values = {f.attname: getattr(probe, f.attname) for f in model._meta.concrete_fields
              if f.name not in ("id", "reference", "org", "applicant", "state", "version",
                                "created_at", "updated_at", "state_changed_at")}
    try:
        with transaction.atomic():
            case = case_create(model, actor=actor, org=org, now=moment, **values)
    except (IntegrityError, ValidationError) as exc:
        # Two at once: the constraint refused the second; say who holds the place.
        if isinstance(exc, ValidationError) and not _is_constraint_error(exc):
            raise
        model.check_unique_place(probe)
        raise
    return case


def _is_constraint_error(exc: ValidationError) -> bool:
    return "__all__" in getattr(exc, "error_dict", {})


def application_update(case: RecognitionCase, *, actor, data: dict,
                       now: dt.datetime | None = None) -> RecognitionCase:
    """Change the draft (or a returned application): only the applicant, only while editable."""
    model = type(case)
    moment = now or timezone.now()
    if not case_visible(case, actor):
        from kmgov.procedures.errors import CaseNotFound
        raise CaseNotFound(f"没有找到编号为“{case.reference}”的事项，或您无权查看", field="reference")
    if case.applicant_id != getattr(actor, "pk", None):
        raise TransitionDenied("只有申报人可以修改申报内容", field="applicant")
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=case.pk)
        if locked.state not in model.procedure.editable_states:
            raise TransitionNotAvailable(
                f"事项当前状态为“{locked.state_label()}”，不能再修改申报内容", field="state")
        before = {"inputs": locked.inputs, "decision_outcome": locked.decision_outcome}
        locked.set_data(data)
        locked.evaluate(as_of=local(moment).date())
        _decision_errors_as_validation(locked)
        locked.full_clean(exclude=["state"])
        locked.save()
        audit_record(actor=actor, action=f"{model.procedure.code}.update", obj=locked,
                     org=locked.org, from_state=locked.state, to_state=locked.state,
                     extra={"before": before, "data": data,
                            "decision_outcome": locked.decision_outcome})
    return locked


def cases_for(model: type[RecognitionCase], user, *, state: str | None = None,
              year: int | None = None, county: str | None = None) -> QuerySet:
    """The cases the user may read: their own applications and those within their roles' reach
    (an enterprise its own, a county its county, the city office and auditor all)."""
    if not getattr(user, "is_authenticated", False):
        return model.objects.none()
    qs = model.objects.select_related("org", "org__parent", "applicant")
    qs = scoped(qs, user, roles=set(CASE_READER_ROLES)) | qs.filter(applicant=user)
    if state:
        qs = qs.filter(state=state)
    if year:
        qs = qs.filter(year=year)
    if county:
        qs = qs.filter(Q(org__path__contains=f"/{county}/"))
    # Both branches filter the same table through to-one joins only: no row can repeat, so no
    # DISTINCT (which made PostgreSQL sort every visible row before taking the first page).
    return qs.order_by("-year", "-id")


def active_states() -> list[str]:
    return [s.value for s in ACTIVE_STATES]
