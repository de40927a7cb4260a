"""商务楼宇奖励扶持认定 JSON API under /api/v1/buildings/ (steps: /api/v1/cases/building/…)."""

from kmgov.policies._recognition_api import make_router

from .models import BuildingApplication
from .services import building_application_create


def _create(user, org, data):
    return building_application_create(actor=user, org=org, data=data)


router = make_router(BuildingApplication, tags=["商务楼宇认定 buildings"], create=_create)
