"""商务楼宇奖励扶持认定 pages: /buildings/ (list, apply, detail with the decision trace, steps)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_

from kmgov.policies._recognition_views import PageSpec, make_pages

from .models import BuildingApplication
from .services import building_application_create


def _create(user, data):
    return building_application_create(actor=user, data=data)


def _policies_from_lines(text: str) -> list[dict]:
    """附件1 第二十一条's other policies for the same project, typed one a line as
    “政策名称｜金额（元）” (an enterprise writes rows, never JSON)."""
    out = []
    for n, line in enumerate(str(text).splitlines(), 1):
        if not line.strip():
            continue
        name, sep, amount = line.strip().replace("|", "｜").rpartition("｜")
        if not sep or not name.strip() or not amount.strip():
            raise ValidationError({"other_policies": gettext(
                "第%(n)s行须写作“政策名称｜金额（元）”，如“非公经济专项资金｜300000”") % {"n": n}})
        out.append({"policy": name.strip(), "amount_yuan": amount.strip()})
    return out


def _to_data(extras, inputs):
    data = {"inputs": inputs,
            "building": {"name": extras.get("building_name", ""),
                         "property_certificate_no": extras.get("property_certificate_no", ""),
                         "address": extras.get("address", "")},
            "new_or_fast_growing": bool(extras.get("new_or_fast_growing"))}
    for f in ("contribution_this_year_yuan", "contribution_last_year_yuan"):
        if f in extras:
            data[f] = extras[f]
    if "other_policies" in extras:
        data["other_policies"] = _policies_from_lines(extras["other_policies"])
    return data


def _from_case(case):
    return {"building_name": case.building.name,
            "property_certificate_no": case.building.property_certificate_no,
            "address": case.building.address,
            "contribution_this_year_yuan": str(case.contribution_this_year_yuan),
            "contribution_last_year_yuan": str(case.contribution_last_year_yuan),
            "new_or_fast_growing": case.new_or_fast_growing,
            "other_policies": "\n".join(f"{o['policy']}｜{o['amount_yuan']}" for o in case.other_policies)}


SPEC = PageSpec(
    model=BuildingApplication, app="buildings", title=N_("商务楼宇奖励扶持认定"),
    extra_fields=[
        ("building_name", N_("楼宇名称"), "text"),
        ("property_certificate_no", N_("产权证号"), "text"),
        ("address", N_("地址"), "text"),
        ("contribution_this_year_yuan", N_("企业当年对县（市）区财力的贡献（元）"), "number"),
        ("contribution_last_year_yuan", N_("企业上年对县（市）区财力的贡献（元）"), "number"),
        ("new_or_fast_growing", N_("新办或成长性好的企业"), "checkbox"),
        ("other_policies", N_("同一项目可享受的其他政策（每行一项：政策名称｜金额（元））"), "textarea"),
    ],
    to_data=_to_data, create=_create, from_case=_from_case,
    templates={"detail": "buildings/detail.html"},
)

pages, get_case = make_pages(SPEC)
