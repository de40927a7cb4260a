from django.http import Http404
from ninja import Query, Router, Schema

from . import selectors

router = Router(tags=["组织 orgs"])


class OrgOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    parent: str | None
    path: str


class StaffOut(Schema):
    username: str
    display_name: str
    role: str
    org: str
    title: str


class AuditOut(Schema):
    at: str
    actor: str | None
    action: str
    object_type: str
    object_id: str
    org: str | None
    from_state: str
    to_state: str
    reason: str


def _org_out(o) -> dict:
    return dict(code=o.code, name=o.name, short_name=o.short_name, kind=o.kind,
                parent=o.parent.code if o.parent_id else None, path=o.path)


@router.get("/orgs", response=list[OrgOut], summary="组织机构树（公开）")
def list_orgs(request, kind: str | None = None):
    qs = selectors.org_tree_public()
    if kind:
        qs = qs.filter(kind=kind)
    return [_org_out(o) for o in qs]


@router.get("/orgs/{code}", response=OrgOut, summary="一个组织")
def get_org(request, code: str):
    org = selectors.org_get(code)
    if org.kind == "enterprise":
        # Enterprises are not in the public tree: only those whose roles reach them see them.
        selectors.org_staff(user=request.user, code=code)
    return _org_out(org)


@router.get("/orgs/{code}/staff", response=list[StaffOut], summary="组织人员与角色（按权限范围）")
def org_staff(request, code: str):
    _, rows = selectors.org_staff(user=request.user, code=code)
    return [
        dict(username=r.user.username, display_name=r.user.first_name, role=r.role,
             org=r.org.code, title=r.title)
        for r in rows
    ]


@router.get("/audit", response=list[AuditOut], summary="审计记录（按权限范围）")
def audit(request, org: str | None = None,
          limit: int = Query(100, ge=1, le=1000, description="最多返回条数")):
    if not request.user.is_authenticated:
        raise Http404("请先登录")
    return [
        dict(at=e.at.isoformat(), actor=e.actor.username if e.actor else None, action=e.action,
             object_type=e.object_type, object_id=e.object_id,
             org=e.org.code if e.org else None, from_state=e.from_state, to_state=e.to_state,
             reason=e.reason)
        for e in selectors.audit_entries(user=request.user, org_code=org, limit=limit)
    ]
