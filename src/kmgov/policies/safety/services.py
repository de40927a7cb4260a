"""Writes of the safety module: each one transaction with its audit entry (the kernel's steps
write theirs). Views, API and CLI parse, call these, render."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kmgov.core.audit import audit_record
from kmgov.core.calendar import local
from kmgov.core.models import OrgUnit, Role
from kmgov.core.scope import has_role, subtree_q, user_assignments
from kmgov.procedures.errors import ConditionUnmet, TransitionDenied
from kmgov.procedures.filing_services import filing_start
from kmgov.procedures.inputs import validate_input
from kmgov.procedures.models import Deadline, FilingSlot
from kmgov.procedures.services import case_create, case_step
from kmgov.rules import parameter_value

from .inputs import GROUND_FIELDS, AccidentInput, WarningDraftInput
from .models import (
    CITY_SAFETY,
    D6,
    LARGER_OR_ABOVE,
    ZERO_REPORTS,
    ZR_OBLIGATIONS,
    Accident,
    AccidentGrade,
    Action,
    SafetyEnterprise,
    Warning,
    industry,
    obligation_code,
)

#: The kind of the filing unit → its level of the route (107号 四(二)).
LEVEL_OF_KIND = {"enterprise": "ent", "township": "town", "subdistrict": "town",
                 "department": "dept", "county": "county", "zone": "county"}
REGISTRAR_ROLES = (Role.COUNTY_OFFICE, Role.COUNTY_DEPARTMENT, Role.COUNTY_GOVERNMENT,
                   Role.CITY_OFFICE)


#: The module's own account (like the 96128 desk's): it opens warning cases for a unit the
#: issuer does not contain (市安委办 at city-safety warning a county) and the proposals the
#: zero-report sweep makes; the drafting official is the case's applicant and is audited.
SYSTEM_USERNAME = "safety-warning-desk"


def system_user():
    from django.contrib.auth import get_user_model

    from kmgov.core.models import RoleAssignment

    user, made = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"first_name": "安全生产警示（系统）"})
    if made:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        RoleAssignment.objects.get_or_create(user=user, role=Role.CITY_OFFICE,
                                             org=OrgUnit.objects.get(parent__isnull=True, kind="city"))
    return user


def _unit(code: str, field: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise ConditionUnmet(f"没有代码为“{code}”的单位", field=field)
    return unit


def _reaches(actor, unit: OrgUnit, roles) -> bool:
    """A role held at the unit or above it, or at the city's safety office (市安委办: all)."""
    if has_role(actor, *roles, within=unit):
        return True
    return any(a.role == Role.CITY_OFFICE and a.org.code == CITY_SAFETY
               for a in user_assignments(actor)) and Role.CITY_OFFICE in roles


# ---------------------------------------------------------------- enterprises in scope

@transaction.atomic
def enterprise_register(*, actor, org: OrgUnit, industry_code: str, employees: int | None = None,
                        in_scope_from: dt.date | None = None) -> SafetyEnterprise:
    """Put an enterprise on 零申报's list (三(二)): its industry says where it files."""
    if org.kind != "enterprise":
        raise ConditionUnmet(f"“{org}”不是企业，不能登记为零申报范围内企业", field="org")
    if not _reaches(actor, org, REGISTRAR_ROLES):
        raise TransitionDenied(f"您的职责范围不包括“{org}”", field="org")
    if industry(industry_code) is None:
        raise ConditionUnmet(f"行业“{industry_code}”不在107号 三(二)的申报范围内", field="industry")
    day = in_scope_from or local(timezone.now()).date()
    profile, _ = SafetyEnterprise.objects.update_or_create(
        org=org, defaults=dict(industry=industry_code, employees=employees, in_scope_from=day,
                               registered_by=actor if actor.is_authenticated else None))
    audit_record(actor=actor, action="safety.enterprise_register", obj=profile, org=org,
                 reason=f"登记零申报范围内企业：{profile}",
                 extra={"industry": industry_code, "citation": "昆政办〔2010〕107号 附件 三(二)"})
    return profile


# ---------------------------------------------------------------- zero reports

def zr_level(org: OrgUnit) -> str:
    level = LEVEL_OF_KIND.get(org.kind)
    if level is None:
        raise ConditionUnmet(f"“{org}”不是零申报的申报单位（企业、乡镇街道、县级部门或县（市）区）",
                             field="org")
    return level


def zr_start(n: int, period: str, *, org: OrgUnit, actor, now=None):
    """Open `org`'s 表n for `period` (the kernel's filing_start checks it owes it)."""
    if n not in ZERO_REPORTS:
        raise ConditionUnmet(f"零申报只有表一至表九，没有表{n}", field="form")
    return filing_start(obligation_code(n, zr_level(org)), period, org=org, actor=actor, now=now)


def zr_file(case, data: dict, *, actor, now=None):
    """File the form (the kernel's step `submit`: input validated, slot marked filed)."""
    return case_step(case, "submit", actor=actor, data=data, now=now,
                     expected_state=case.state)


# ---------------------------------------------------------------- accidents

ACCIDENT_RECORDERS = (Role.COUNTY_OFFICE, Role.COUNTY_GOVERNMENT, Role.COUNTY_DEPARTMENT,
                      Role.CITY_OFFICE)


@transaction.atomic
def accident_record(*, actor, data: dict, now=None) -> Accident:
    x = validate_input(AccidentInput, data, step_label="事故登记")
    unit = _unit(x.org, "org")
    if not _reaches(actor, unit, ACCIDENT_RECORDERS):
        raise TransitionDenied(f"您的职责范围不包括“{unit}”", field="org")
    if x.grade not in AccidentGrade.values:
        raise ConditionUnmet("事故等级应为一般、较大、重大或特别重大事故", field="grade")
    moment = now or timezone.now()
    if x.occurred_on > local(moment).date():
        raise ConditionUnmet("事故日期不能晚于今天", field="occurred_on")
    acc = Accident.objects.create(org=unit, occurred_on=x.occurred_on, grade=x.grade,
                                  deaths=x.deaths, summary=x.summary, recorded_at=moment,
                                  recorded_by=actor if actor.is_authenticated else None)
    audit_record(actor=actor, action="safety.accident_record", obj=acc, org=unit,
                 reason=f"登记{AccidentGrade(x.grade).label}：{x.summary}",
                 extra={"occurred_on": x.occurred_on.isoformat(), "deaths": x.deaths})
    return acc


# ---------------------------------------------------------------- warnings

def _month_later(day: dt.date) -> dt.date:
    y, m = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


def general_accidents_in_one_month(accidents: list[dt.date]) -> int:
    """The most general accidents within one month (第六条(二) “1个月内”: from a day to the same
    day of the next month, excluded — 以内 counts the accidents inside the month)."""
    days = sorted(accidents)
    best = 0
    for i, start in enumerate(days):
        end = _month_later(start)
        best = max(best, sum(1 for d in days[i:] if d < end))
    return best


def ladder_facts(case: Warning, *, on: dt.date) -> dict:
    """The ladder's inputs: the grounds chosen, the counts read from the registers."""
    lookback = int(parameter_value("safety.ladder_lookback_days", on))
    since = on - dt.timedelta(days=lookback)
    unit = case.org
    accidents = Accident.objects.filter(subtree_q(unit.path, "org"), occurred_on__gt=since,
                                        occurred_on__lte=on)
    larger = accidents.filter(grade__in=LARGER_OR_ABOVE).count()
    general = general_accidents_in_one_month(
        list(accidents.filter(grade=AccidentGrade.GENERAL).values_list("occurred_on", flat=True)))
    earlier = Warning.objects.filter(org=unit, issued_on__isnull=False, issued_on__lte=on).exclude(
        pk=case.pk)
    year_ago = on - dt.timedelta(days=365)
    criticisms = earlier.filter(level=Action.DISCLOSURE, issued_on__gt=year_ago).count()
    admonished = earlier.filter(level=Action.ADMONITION).exists()
    facts = {g: g in (case.grounds or []) for g in GROUND_FIELDS}
    facts.update(larger_accidents=larger, general_accidents_within_month=general,
                 criticisms_within_year=criticisms, admonished_before=admonished)
    if overdue_admonitions(unit).exists():  # 第八条(一): 经告诫后仍未采取有效措施
        facts["no_effective_measures_after_all_warnings"] = True
    return facts


def overdue_admonitions(unit: OrgUnit):
    """Admonitions to `unit` whose answer period ran out unanswered (escalated by the sweep)."""
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Warning)
    fired = Deadline.objects.filter(content_type=ct, kind="escalation", fired_at__isnull=False)
    return Warning.objects.filter(org=unit, level=Action.ADMONITION,
                                  pk__in=fired.values("object_id"))


def _issuer_of(actor, recipient: OrgUnit) -> tuple[OrgUnit, str]:
    """106号 第三条: a county government or its office warns units of its county (not itself);
    the city's office (市安委办) warns counties, departments and any unit below them."""
    for a in user_assignments(actor):
        if a.role in (Role.COUNTY_OFFICE, Role.COUNTY_GOVERNMENT):
            county = a.org.county_level()
            if county and recipient.path.startswith(county.path) and recipient.pk != county.pk:
                return county, a.role
    for a in user_assignments(actor):
        if a.role == Role.CITY_OFFICE and a.org.code == CITY_SAFETY and recipient.parent_id:
            return a.org, a.role
    raise TransitionDenied(
        f"警示由上级人民政府、管委会或其安全生产委员会办公室发出（{D6} 附件 第三条）；"
        f"您不能对“{recipient}”发出警示", field="recipient")


@transaction.atomic
def warning_draft(*, actor, data: dict, now=None, source: str = "") -> Warning:
    x = validate_input(WarningDraftInput, data, step_label="拟发警示")
    if x.level not in Action.values:
        raise ConditionUnmet("警示措施应为提示、告知、告诫、公开（通报）或专报", field="level")
    bad = [g for g in x.grounds if g not in GROUND_FIELDS]
    if bad:
        raise ConditionUnmet(f"警示事由“{bad[0]}”不是106号 第四条至第八条所列的情形", field="grounds")
    recipient = _unit(x.recipient, "recipient")
    issuer_org, issuer_role = _issuer_of(actor, recipient)
    case = case_create(Warning, actor=system_user(), applicant=actor, org=recipient, now=now,
                       title=f"{Action(x.level).label}：{recipient.name}"[:200],
                       level=x.level, grounds=list(x.grounds), notice_text=x.notice_text,
                       issuer_org=issuer_org, issuer_role=issuer_role, source=source)
    audit_record(actor=actor, action="safety-warning.draft", obj=case, org=recipient,
                 reason=f"拟发{Action(x.level).label}", extra={"grounds": list(x.grounds)})
    return case


def warning_issue(case: Warning, *, actor, now=None) -> Warning:
    step = "admonish" if case.level == Action.ADMONITION else "issue"
    return case_step(case, step, actor=actor, now=now, expected_state=case.state)


# ---------------------------------------------------------------- proposals (107号 → 106号)

def zero_report_proposals(*, now=None) -> int:
    """After a window closed, each unit that has not filed a form (the kernel escalated its
    slot), or filed one whose answers the checks contradict (申报“落实”而核查不符), gets a
    proposed 告知 (106号 第五条(四): “零申报”制度执行不到位), or 公开 once admonished
    (第七条(五): 不及时、不全或者不符合事实), as a draft warning in the inbox of the office that
    receives its filings — once per unit and period. Run by `kmgov safety sweep`."""
    moment = now or timezone.now()
    made = 0
    late = (FilingSlot.objects.filter(obligation__in=list(ZR_OBLIGATIONS), filed_at__isnull=True,
                                      escalated_at__isnull=False)
            .select_related("org").order_by("org_id", "period"))
    found: dict[str, tuple] = {}
    for s in late:
        found.setdefault(f"zero-report:{s.org.code}:{s.period}", (s, "late"))
    for model in ZERO_REPORTS.values():
        for case in model.objects.filter(contradictions__gt=0).select_related("org"):
            slot = FilingSlot.objects.filter(obligation=case.obligation, period=case.period,
                                             org_id=case.org_id, due_at__lte=moment).first()
            if slot is not None:
                found.setdefault(f"zero-report:{case.org.code}:{case.period}", (slot, "untrue"))
    for key, (slot, why) in sorted(found.items()):
        with transaction.atomic():
            if Warning.objects.filter(source=key).exists():
                continue
            made += _propose(slot, key, moment, why)
    return made


def _propose(slot, key: str, moment, why: str = "late") -> int:
    unit = slot.org
    county = unit.county_level()
    if county is not None and county.pk != unit.pk:
        issuer_org, issuer_role = county, Role.COUNTY_OFFICE
    else:
        issuer_org, issuer_role = OrgUnit.objects.get(code=CITY_SAFETY), Role.CITY_OFFICE
    admonished = Warning.objects.filter(org=unit, level=Action.ADMONITION,
                                        issued_on__isnull=False).exists()
    level = Action.DISCLOSURE if admonished else Action.NOTICE
    ground = ("zero_report_late_incomplete_or_untrue" if admonished else "zero_report_inadequate")
    from .models import period_label

    fact = (f"未在申报期内报送{period_label(slot.period)}安全生产零申报（昆政办〔2010〕107号 四(一)）"
            if why == "late" else
            f"{period_label(slot.period)}零申报申报“落实”的事项经核查不符（昆政办〔2010〕107号 五、六(一)）")
    text = (f"{unit.name}{fact}，建议{Action(level).label}"
            f"（{D6} 附件 {'第七条(五)' if admonished else '第五条(四)'}）")
    case = case_create(Warning, actor=system_user(), org=unit, now=moment,
                       title=f"{Action(level).label}（建议）：{unit.name}"[:200], level=level,
                       grounds=[ground], notice_text=text, issuer_org=issuer_org,
                       issuer_role=issuer_role, source=key)
    audit_record(actor=None, action="safety-warning.propose", obj=case, org=unit, reason=text,
                 extra={"slot": slot.pk, "period": slot.period, "level": level, "why": why})
    return 1


def warnings_visible_q(user) -> Q | None:
    from kmgov.procedures.selectors import visibility_q

    return visibility_q(Warning, user)
