"""The admin pages other packages register (django-axes's login attempts, which an
administrator deletes to unlock an account) are wrapped so that their changes are audited
like ours (core.admin.AuditedAdmin). The site app loads last, after every other admin."""

from django.contrib import admin

from kmgov.core.admin import AuditedAdmin, ReadOnlyAdmin

for _model, _model_admin in list(admin.site._registry.items()):
    if isinstance(_model_admin, (AuditedAdmin, ReadOnlyAdmin)):
        continue
    _base = type(_model_admin)
    admin.site.unregister(_model)
    admin.site.register(_model, type(f"Audited{_base.__name__}", (AuditedAdmin, _base), {}))
