"""Demo accounts for `kmgov demo` contributors (`<app>.demo.contribute(stdout)`).

An account is created once with its role; its password is that of the demo command's own
accounts (copied from `demo-shenji` when present, so one password opens every demo account),
else unusable until an administrator sets one.
"""

from django.contrib.auth import get_user_model

from .services import user_create


def ensure_account(username: str, display: str, role: str, org: str, title: str = ""):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(username=username, roles=[(role, org, title)], display_name=display)
        template = User.objects.filter(username="demo-shenji").first()
        if template is not None:
            user.password = template.password
            user.save(update_fields=["password"])
    return user
