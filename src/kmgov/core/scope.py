"""Who may see what: every read of scoped data goes through `scoped()` (SPEC X-5).

A role held at a node of the tree reaches that node's whole subtree. City-level roles held
at the city node therefore reach everything; a county official reaches only their county; an
enterprise only itself. Anonymous users reach no scoped data at all (the gazette is public
and not scoped).
"""

from django.db.models import Q, QuerySet

from .models import READ_ONLY_ROLES, OrgUnit, Role, RoleAssignment


class ScopeDenied(PermissionError):
    """The caller's roles do not reach the object asked for."""


def user_assignments(user) -> list[RoleAssignment]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_kmgov_assignments", None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).select_related("org"))
        user._kmgov_assignments = cached
    return cached


def reach_paths(user, roles: set[str] | None = None) -> list[str]:
    """The org paths whose subtrees the user reaches (through the given roles, or any role)."""
    if getattr(user, "is_superuser", False):
        return ["/"]
    return [
        a.org.path for a in user_assignments(user) if roles is None or a.role in roles
    ]


def has_role(user, *roles: str, within: OrgUnit | None = None, superuser: bool = True) -> bool:
    """Whether the user holds one of the roles at a unit containing `within` (anywhere when
    None). A superuser holds every role unless `superuser=False` (acting on cases: superusers
    administer; they act only through roles assigned to them like anyone else)."""
    if superuser and getattr(user, "is_superuser", False):
        return True
    for a in user_assignments(user):
        if a.role in roles and (within is None or within.path.startswith(a.org.path)):
            return True
    return False


def can_see_org(user, org: OrgUnit, roles: set[str] | None = None) -> bool:
    return any(org.path.startswith(p) for p in reach_paths(user, roles))


def can_change_org(user, org: OrgUnit) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return any(
        org.path.startswith(a.org.path)
        for a in user_assignments(user)
        if a.role not in READ_ONLY_ROLES
    )


def scoped(qs: QuerySet, user, org_field: str = "org", roles: set[str] | None = None) -> QuerySet:
    """Restrict a queryset of org-owned rows to what the user's roles reach."""
    paths = reach_paths(user, roles)
    if "/" in paths:
        return qs
    if not paths:
        return qs.none()
    cond = Q()
    for p in sorted(set(paths)):
        cond |= subtree_q(p, org_field)
    return qs.filter(cond)


def subtree_q(path: str, org_field: str = "org") -> Q:
    """Rows whose unit (`org_field`) lies in the subtree at `path`.

    As `<org_field> IN (SELECT id FROM core_orgunit WHERE path LIKE 'path%')` rather than a
    join filtered on the unit's path: the database can then use the row table's index on its
    unit (and a count of one county's rows reads that county's rows, not the whole table)."""
    if not org_field:
        return Q(path__startswith=path)
    return Q(**{f"{org_field}__in": OrgUnit.objects.filter(path__startswith=path).values("pk")})


def visible_orgs(user) -> QuerySet:
    return scoped(OrgUnit.objects.all(), user, org_field="")  # type: ignore[arg-type]


#: Roles of those outside government: a citizen (公众) and an enterprise's staff (申报人).
NON_OFFICIAL_ROLES = frozenset({Role.PUBLIC, Role.ENTERPRISE})


def is_official(user) -> bool:
    """Whether the user works for a government body: a superuser, or one holding a role other
    than the public's or an enterprise's (an auditor reads as an official)."""
    if getattr(user, "is_superuser", False):
        return True
    return any(a.role not in NON_OFFICIAL_ROLES for a in user_assignments(user))


def is_official_or_enterprise(user) -> bool:
    """An official, or an enterprise's staff (who apply, report and file in its name)."""
    return is_official(user) or has_role(user, Role.ENTERPRISE)


def is_city_level(user) -> bool:
    return "/" in reach_paths(user) or any(
        a.org.kind == "city" for a in user_assignments(user)
    )


__all__ = [
    "Role", "ScopeDenied", "user_assignments", "reach_paths", "has_role", "can_see_org",
    "can_change_org", "scoped", "subtree_q", "visible_orgs", "is_city_level",
    "NON_OFFICIAL_ROLES", "is_official", "is_official_or_enterprise",
]
