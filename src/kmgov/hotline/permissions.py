"""Who may do what at the desk: one place, used by services, selectors, API and pages."""

from django.core.exceptions import PermissionDenied

from kmgov.core.models import OrgUnit, Role
from kmgov.core.scope import has_role, user_assignments

from .models import DEPARTMENT_ROLES, DESK_ROLES  # noqa: E402  (declared with the steps)


class HotlinePermissionError(PermissionDenied):
    """The caller's roles do not allow this action at the desk."""


def is_operator(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and has_role(user, *DESK_ROLES)


def department_orgs(user) -> list[OrgUnit]:
    """The departments whose desk the user works (liaison or department staff)."""
    if getattr(user, "is_superuser", False):
        return []
    return [a.org for a in user_assignments(user) if a.role in DEPARTMENT_ROLES]


def works_for(user, org: OrgUnit | None) -> bool:
    if org is None:
        return False
    return any(org.path.startswith(o.path) for o in department_orgs(user))


def require_operator(user) -> None:
    if not is_operator(user):
        raise HotlinePermissionError("只有热线话务员可以进行此操作")


def require_entry_editor(user, org: OrgUnit) -> None:
    """Departments add, change and retire their own entries (116号 三(五)); the desk's
    administrator may edit any."""
    if getattr(user, "is_superuser", False) or has_role(user, Role.ADMINISTRATOR):
        return
    if not works_for(user, org):
        raise HotlinePermissionError(f"只能维护本部门的知识库条目（{org.name} 不是您的部门）")


def require_ticket_handler(user, ticket) -> None:
    """The desk handles every ticket; a department only those transferred to it."""
    if is_operator(user) or works_for(user, ticket.assigned_org):
        return
    raise HotlinePermissionError("该工单未转至您的部门")
