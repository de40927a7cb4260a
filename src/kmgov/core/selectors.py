"""Reads of the core, each applying the caller's scope."""

from django.http import Http404

from .models import AuditEntry, OrgUnit, RoleAssignment
from .scope import can_see_org, scoped


def org_tree_public():
    """Names and shape of the tree are public (they are printed in the gazette)."""
    return OrgUnit.objects.exclude(kind__in=["enterprise"]).select_related("parent")


def org_get(code: str) -> OrgUnit:
    try:
        return OrgUnit.objects.select_related("parent").get(code=code)
    except OrgUnit.DoesNotExist:
        raise Http404(f"没有代码为 {code} 的组织") from None


def org_tree_for(user) -> list[tuple[OrgUnit, bool]]:
    """The public tree, each unit with whether `user` may open its staff list (`org_staff`):
    a "人员" link is shown only where it leads somewhere."""
    from .scope import reach_paths

    paths = tuple(reach_paths(user)) if getattr(user, "is_authenticated", False) else ()
    return [(u, bool(paths) and u.path.startswith(paths)) for u in org_tree_public()]


def org_staff(*, user, code: str):
    """Who holds which role at a unit and below: internal, so scoped; out of scope is 404."""
    org = org_get(code)
    if not can_see_org(user, org):
        raise Http404("不存在或无权查看")
    return org, (
        RoleAssignment.objects.filter(org__path__startswith=org.path)
        .select_related("user", "org").order_by("org__path", "role")
    )


def audit_entries(*, user, org_code: str | None = None, limit: int = 200):
    qs = scoped(AuditEntry.objects.select_related("actor", "org"), user)
    if org_code:
        qs = qs.filter(org__path__startswith=org_get(org_code).path)
    return qs[:limit]
