"""Writes of the core: the organisation tree, accounts and their roles. Each is one transaction."""

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from .audit import audit_record
from .models import ApiToken, OrgUnit, RoleAssignment
from .orgtree import CITY, UnitSpec, walk


@transaction.atomic
def org_tree_load(*, actor=None, root: UnitSpec = CITY) -> dict:
    """Create or update the tree from `orgtree`. Idempotent: a second run changes nothing."""
    created = updated = 0
    by_code: dict[str, OrgUnit] = {u.code: u for u in OrgUnit.objects.all()}
    for spec, parent_code in walk(root):
        parent = by_code.get(parent_code) if parent_code else None
        unit = by_code.get(spec.code)
        fields = dict(
            name=spec.name, short_name=spec.short_name, kind=spec.kind,
            aliases=list(spec.aliases), parent=parent,
        )
        if unit is None:
            unit = OrgUnit(code=spec.code, **fields)
            unit.full_clean(exclude=["path"])
            unit.save()
            by_code[spec.code] = unit
            created += 1
        elif any(getattr(unit, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(unit, k, v)
            unit.save()
            updated += 1
    if created or updated:
        audit_record(actor=actor, action="org_tree.load", object_type="core.orgunit",
                     object_id="*", extra={"created": created, "updated": updated})
    return {"created": created, "updated": updated, "total": OrgUnit.objects.count()}


@transaction.atomic
def user_create(*, username: str, password: str | None = None, roles=(), actor=None,
                email: str = "", is_superuser: bool = False, display_name: str = ""):
    """Create an account with roles given as (role, org_code[, title]) tuples."""
    User = get_user_model()
    user = User(username=username, email=email, is_superuser=is_superuser,
                is_staff=is_superuser, first_name=display_name[:150])
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    for role_spec in roles:
        role, org_code, *rest = role_spec
        org = OrgUnit.objects.get(code=org_code)
        RoleAssignment.objects.create(user=user, role=role, org=org, title=rest[0] if rest else "")
        audit_record(actor=actor, action="role.grant", obj=user, org=org, extra={"role": role})
    audit_record(actor=actor, action="user.create", obj=user)
    return user


@transaction.atomic
def api_token_create(*, user, label: str = "", actor=None) -> ApiToken:
    token = ApiToken.objects.create(user=user, key=secrets.token_hex(24), label=label)
    audit_record(actor=actor or user, action="api_token.create", obj=token)
    return token
