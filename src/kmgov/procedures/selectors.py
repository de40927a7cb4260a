"""Reads of the procedures kernel. Every read applies the caller's scope (core.scope)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from kmgov.core.models import AuditEntry, Role
from kmgov.core.scope import has_role, subtree_q, user_assignments

from .declare import (
    NO_PARTICIPANTS,
    SCOPE_ANY,
    StepSpec,
    procedure_model,
    steps_of,
    unscoped_roles,
)
from .errors import CaseNotFound
from .models import Case, InboxItem

# Who may look at a case besides its applicant: any role reaching its unit but the public's.
CASE_READER_ROLES = frozenset(Role.values) - {Role.PUBLIC}


def visibility_q(model, user, *, participants=None, org_field: str = "org",
                 county_field: str | None = None,
                 applicant_field: str | None = "applicant") -> Q | None:
    """The SQL condition for the rows of `model` the user may read, or None for none at all.

    Through the org tree (a reader role held at a unit containing the row's unit), as the
    applicant, as a participant unit of the route (`model.participants`), or everywhere for
    roles that act on the procedure's cases wherever they are (steps with SCOPE_ANY)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if getattr(user, "is_superuser", False):
        return Q()
    unscoped = unscoped_roles(model) - {Role.PUBLIC} if hasattr(model, "procedure") else set()
    cond = Q(pk__in=[])
    if applicant_field:
        cond |= Q(**{applicant_field: user})
    participants = participants or getattr(model, "participants", None) or NO_PARTICIPANTS
    for a in user_assignments(user):
        if a.role not in CASE_READER_ROLES:
            continue
        if a.role in unscoped or a.org.code in participants.units:
            return Q()
        cond |= subtree_q(a.org.path, org_field)
        county = a.org.parent if a.org.kind == "department" else None
        if county is not None and any(
            a.org.code == f"{county.code}-{suffix}" for suffix in participants.county_departments
        ):
            if county_field:
                cond |= Q(**{county_field: county})
            else:
                cond |= subtree_q(county.path, org_field)
    return cond


def case_visible(case: Case, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if case.applicant_id is not None and case.applicant_id == user.pk:
        return True
    # Remembered on the object for this user and the case's unit and applicant (what
    # visibility depends on): a step checks under its row lock and then renders the same case.
    key = (user.pk, case.org_id, case.applicant_id)
    if getattr(case, "_kmgov_visible_to", None) == key:
        return True
    q = visibility_q(type(case), user)
    # No condition (a role that sees every case of the procedure): visible without a query
    # (the case was read from the database by whoever passes it).
    visible = q is not None and (not q or type(case).objects.filter(q, pk=case.pk).exists())
    if visible:
        case._kmgov_visible_to = key
    return visible


def attachments_visible(case: Case, user):
    """The case's attachments this reader may have: all of them for staff whose roles reach
    the case; without the procedure's `internal_attachments` for one who reads it only as
    its applicant."""
    qs = case.attachments()
    internal = case.procedure.internal_attachments
    if internal:
        q = visibility_q(type(case), user, applicant_field=None)
        if q is None or not type(case).objects.filter(q, pk=case.pk).exists():
            qs = qs.exclude(key__in=internal)
    return qs


def case_get(*, procedure: str, reference: str, user, lock: bool = False) -> Case:
    """The case if the user may see it; `CaseNotFound` alike whether absent or out of scope.

    The reader's scope is part of the case's own read (one query, not a read and then an
    existence check). `lock=True`, inside a transaction: the row is read locked (`FOR UPDATE`
    of the case alone), for a step taken on it next (`case_transition(held=True)`) without
    reading it a second time."""
    model = procedure_model(procedure)
    q = visibility_q(model, user)
    # (the unit's parent too: the county a step's awaited office is resolved at, most often)
    qs = model.objects.select_related("org", "org__parent", "applicant")
    if lock:
        qs = qs.select_for_update(of=("self",))
    case = qs.filter(q, reference=reference).first() if q is not None else None
    if case is None:
        raise CaseNotFound(f"没有找到编号为“{reference}”的事项，或您无权查看", field="reference")
    if not (case.applicant_id is not None and case.applicant_id == user.pk):
        case._kmgov_visible_to = (user.pk, case.org_id, case.applicant_id)  # see case_visible
    return case


def step_allowed(case: Case, spec: StepSpec, user) -> bool:
    """Whether the user may take the step on this case (role and scope; not state)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if spec.applicant and case.applicant_id is not None and case.applicant_id == user.pk:
        return True
    roles = spec.roles - {Role.PUBLIC, Role.AUDITOR}
    if not roles:
        return False
    if spec.at is not None:
        from .declare import resolve_org

        return has_role(user, *roles, within=resolve_org(case, spec.at), superuser=False)
    within = None if spec.scope == SCOPE_ANY else case.org
    return has_role(user, *roles, within=within, superuser=False)


def separation_refusal(case: Case, spec: StepSpec, user) -> str | None:
    """Why the user may not take this deciding step on this case (separation of duties,
    `declare.Duty`), or None. One query, on the case's audit trail, for a step with a duty."""
    if not spec.decides_from(case.state):
        return None
    what = spec.duty.label
    steps = steps_of(type(case))
    if case.applicant_id is not None and case.applicant_id == user.pk:
        if not any(s.applicant for s in steps.values()):
            # no one applies (an inspection, a donation): the case's "applicant" is the one who
            # opened it or in whose name it was registered
            return (f"本事项由您创建或以您的名义登记，不能再由您{what}"
                    f"（“{spec.label}”须由他人办理，职责分离）")
        return f"您是本事项的申请人，不能{what}自己的申请（“{spec.label}”须由他人办理，职责分离）"
    code = case.procedure.code
    if spec.apart_from is None:
        other = {f"{code}.{name}": s.label for name, s in steps.items()
                 if s.duty is not None and s.stage != spec.stage}
        actions = [f"{code}.create", *other]
    else:
        labels = getattr(case.procedure, "action_labels", {}) or {}
        other = {f"{code}.{a}": (steps[a].label if a in steps
                                  else "创建本事项" if a == "create" else labels.get(a, a))
                 for a in spec.apart_from}
        actions = list(other)
    if not actions:
        return None
    earlier = (AuditEntry.objects
               .filter(object_type=case._meta.label_lower, object_id=str(case.pk), actor=user,
                       action__in=actions)
               .order_by("at", "id").values_list("action", flat=True).first())
    if earlier is None:
        return None
    if earlier.endswith(".create") and spec.apart_from is None:
        return f"本事项由您创建，不能再由您{what}（“{spec.label}”须由他人办理，职责分离）"
    if spec.apart_from is not None:
        return (f"您已在本事项中办理“{other[earlier]}”，不能再由您{what}"
                f"（“{spec.label}”须由他人办理，职责分离）")
    return (f"您已在本事项中办理“{other[earlier]}”，不能再办理“{spec.label}”"
            f"（同一人不能在同一事项中承担两个环节的审核、审批或拨付，职责分离）")


def steps_available(case: Case, user) -> list[StepSpec]:
    """Steps the user may take now: from the current state, allowed to them."""
    out = []
    for name, spec in steps_of(type(case)).items():
        meta = getattr(type(case), name)._django_fsm
        if (meta.has_transition(case.state) and step_allowed(case, spec, user)
                and separation_refusal(case, spec, user) is None):
            out.append(spec)
    return sorted(out, key=lambda s: s.name)


def case_history(case: Case) -> QuerySet[AuditEntry]:
    """The audit trail of the case, oldest first."""
    return AuditEntry.objects.filter(
        object_type=case._meta.label_lower, object_id=str(case.pk)
    ).select_related("actor").order_by("at", "id")


def inbox_for(user, *, include_done: bool = False) -> QuerySet[InboxItem]:
    """What awaits the user: items addressed to them, or to a role they hold at (or above)
    the item's unit. A role held at a unit reaches the unit's subtree, as everywhere."""
    if not getattr(user, "is_authenticated", False):
        return InboxItem.objects.none()
    cond = Q(user=user)
    if getattr(user, "is_superuser", False):
        cond |= Q(role__gt="")
    for a in user_assignments(user):
        if a.role in (Role.PUBLIC, Role.AUDITOR):
            continue
        cond |= Q(role=a.role) & subtree_q(a.org.path, "role_org")
    qs = InboxItem.objects.filter(cond).select_related("org", "role_org", "user")
    if not include_done:
        qs = qs.filter(done_at__isnull=True)
    return qs.order_by("due_at", "-created_at", "-id")


def open_items_for_case(case: Case) -> QuerySet[InboxItem]:
    ct = ContentType.objects.get_for_model(type(case))
    return InboxItem.objects.filter(content_type=ct, object_id=case.pk, done_at__isnull=True)


def cases_visible(model, user) -> QuerySet:
    """The cases of a procedure the user may read, newest first: one SQL query (slice it)."""
    q = visibility_q(model, user)
    if q is None:
        return model.objects.none()
    return (model.objects.filter(q).select_related("org", "applicant")
            .order_by("-created_at", "-id"))


def payments_visible(procedure: str, user):
    """The payments ledger of a procedure, restricted to cases the user may read."""
    from .ledger import Payment

    model = procedure_model(procedure)
    visible = cases_visible(model, user).values("pk")
    return (Payment.objects.filter(procedure=procedure, object_id__in=visible)
            .select_related("payer", "payee", "paid_by").order_by("paid_at", "id"))


def decisions_of(case: Case, user) -> QuerySet:
    """The decisions kept for the case, oldest first; `CaseNotFound` if the user may not read
    the case (the same scope as the case itself)."""
    from .decisions import DecisionRecord

    if not case_visible(case, user):
        raise CaseNotFound(f"没有找到编号为“{case.reference}”的事项，或您无权查看", field="reference")
    ct = ContentType.objects.get_for_model(type(case))
    return DecisionRecord.objects.filter(content_type=ct, object_id=case.pk).order_by(
        "decided_at", "id")


def decision_latest(case: Case, user):
    """The latest decision kept for the case (None if none), scoped like the case."""
    return decisions_of(case, user).order_by("-decided_at", "-id").first()
