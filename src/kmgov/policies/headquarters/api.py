"""总部企业认定 JSON API under /api/v1/headquarters/ (steps: /api/v1/cases/hq/…)."""

from kmgov.policies._recognition_api import make_router
from kmgov.policies._recognition_services import application_create

from .models import HeadquartersApplication


def _create(user, org, data):
    return application_create(HeadquartersApplication, actor=user, org=org, data=data)


router = make_router(HeadquartersApplication, tags=["总部企业认定 headquarters"], create=_create)
