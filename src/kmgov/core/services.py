"""Writes of the core: the organisation tree, accounts and their roles. Each is one transaction."""

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
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
def api_token_create(*, user, label: str = "", actor=None, days: int | None = None,
                     now=None) -> ApiToken:
    """Issue a token for `user`, valid `days` (default settings.KMGOV_API_TOKEN_DAYS; 0: no
    expiry). The returned object carries the token itself as `.key`, this once: only its
    digest is stored."""
    import datetime as dt

    from django.conf import settings
    from django.utils import timezone

    days = settings.KMGOV_API_TOKEN_DAYS if days is None else days
    if days < 0:
        raise ValidationError({"days": "有效天数不能为负数"})
    moment = now or timezone.now()
    key = "km_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, key_hash=ApiToken.digest(key), prefix=key[:10], label=label,
        expires_at=moment + dt.timedelta(days=days) if days else None)
    token.key = key
    audit_record(actor=actor or user, action="api_token.create", obj=token,
                 extra={"user": user.username, "prefix": token.prefix, "label": label,
                        "expires_at": token.expires_at.isoformat() if token.expires_at else None})
    return token


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor, now=None) -> ApiToken:
    from django.utils import timezone

    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token.revoke", obj=token,
                     extra={"user": token.user.username, "prefix": token.prefix})
    return token
