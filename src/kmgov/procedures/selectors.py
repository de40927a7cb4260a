"""Reads of the procedures kernel. Every read applies the caller's scope (core.scope)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from kmgov.core.models import AuditEntry, Role
from kmgov.core.scope import can_see_org, has_role, user_assignments

from .declare import SCOPE_ANY, StepSpec, procedure_model, steps_of, unscoped_roles
from .errors import CaseNotFound
from .models import Case, InboxItem

# Who may look at a case besides its applicant: any role reaching its unit but the public's.
CASE_READER_ROLES = frozenset(Role.values) - {Role.PUBLIC}


def case_visible(case: Case, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if case.applicant_id is not None and case.applicant_id == user.pk:
        return True
    readers = set(CASE_READER_ROLES)
    if can_see_org(user, case.org, roles=readers):
        return True
    # Units that take part in the case's route without containing it (e.g. the county
    # forestry bureau for a township's project, step(at=...)): their holders read it too.
    units = getattr(case, "participant_units", None)
    if units and any(can_see_org(user, u, roles=readers) for u in units()):
        return True
    # Those who act on the procedure's cases wherever they are (a step with SCOPE_ANY).
    roles = unscoped_roles(type(case)) - {Role.PUBLIC}
    return bool(roles) and has_role(user, *roles)


def case_get(*, procedure: str, reference: str, user) -> Case:
    """The case if the user may see it; `CaseNotFound` alike whether absent or out of scope."""
    model = procedure_model(procedure)
    case = model.objects.select_related("org", "applicant").filter(reference=reference).first()
    if case is None or not case_visible(case, user):
        raise CaseNotFound(f"没有找到编号为“{reference}”的事项，或您无权查看", field="reference")
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

        return has_role(user, *roles, within=resolve_org(case, spec.at))
    within = None if spec.scope == SCOPE_ANY else case.org
    return has_role(user, *roles, within=within)


def steps_available(case: Case, user) -> list[StepSpec]:
    """Steps the user may take now: from the current state, allowed to them."""
    out = []
    for name, spec in steps_of(type(case)).items():
        meta = getattr(type(case), name)._django_fsm
        if meta.has_transition(case.state) and step_allowed(case, spec, user):
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
        cond |= Q(role=a.role, role_org__path__startswith=a.org.path)
    qs = InboxItem.objects.filter(cond).select_related("org", "role_org", "user")
    if not include_done:
        qs = qs.filter(done_at__isnull=True)
    return qs.order_by("due_at", "-created_at", "-id")


def open_items_for_case(case: Case) -> QuerySet[InboxItem]:
    ct = ContentType.objects.get_for_model(type(case))
    return InboxItem.objects.filter(content_type=ct, object_id=case.pk, done_at__isnull=True)


def cases_visible(model, user, *, limit: int = 2000) -> list[Case]:
    """The cases of a procedure the user may read (newest first): through the org tree, as
    applicant, or as a participant unit of the route (see `case_visible`)."""
    if not getattr(user, "is_authenticated", False):
        return []
    qs = model.objects.select_related("org", "applicant").order_by("-created_at", "-id")
    return [c for c in qs[:limit] if case_visible(c, user)]


def payments_visible(procedure: str, user):
    """The payments ledger of a procedure, restricted to cases the user may read."""
    from .ledger import Payment

    model = procedure_model(procedure)
    rows = list(Payment.objects.filter(procedure=procedure).select_related(
        "payer", "payee", "paid_by").order_by("paid_at", "id"))
    cases = {c.pk: c for c in model.objects.filter(pk__in={r.object_id for r in rows})
             .select_related("org")}
    return [r for r in rows if r.object_id in cases and case_visible(cases[r.object_id], user)]
