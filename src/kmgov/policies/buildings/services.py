"""Services of 商务楼宇奖励扶持认定: the building (by its property certificate) and the draft."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kmgov.core.scope import can_change_org
from kmgov.policies._recognition_services import application_create, enterprise_of

from .models import Building, BuildingApplication


def building_get_or_create(data, *, county) -> Building:
    if not isinstance(data, dict):
        raise ValidationError({"building": "商务楼宇（building）须为对象：{name, property_certificate_no, address}"})
    cert = data.get("property_certificate_no")
    name = data.get("name")
    if not isinstance(cert, str) or not cert.strip() or len(cert) > 100:
        raise ValidationError({"building.property_certificate_no": "产权证号（building.property_certificate_no）须填写，不超过100字"})
    cert = cert.strip()
    found = Building.objects.filter(property_certificate_no=cert).first()
    if found:
        return found
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise ValidationError({"building.name": "楼宇名称（building.name）须填写，不超过200字"})
    address = data.get("address", "")
    if not isinstance(address, str) or len(address) > 300:
        raise ValidationError({"building.address": "地址（building.address）不超过300字"})
    try:
        with transaction.atomic():
            return Building.objects.create(name=name.strip(), property_certificate_no=cert,
                                           address=address.strip(), county=county)
    except IntegrityError:  # registered at the same moment by another applicant
        return Building.objects.get(property_certificate_no=cert)


@transaction.atomic
def building_application_create(*, actor, org=None, data: dict, now=None) -> BuildingApplication:
    """The building (registered on first application) and the draft, in one transaction: a
    refused application leaves no building behind."""
    data = dict(data)
    org = org or enterprise_of(actor)
    building_data = data.pop("building", None)
    if org is None or org.county_level() is None or not can_change_org(actor, org):
        # application_create gives the message for these
        return application_create(BuildingApplication, actor=actor, org=org, data=data, now=now)
    building = building_get_or_create(building_data, county=org.county_level())
    return application_create(BuildingApplication, actor=actor, org=org, data=data, now=now,
                              building=building)
