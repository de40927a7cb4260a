"""The JSON API of scheduled filings (on the procedures router): the obligations, who has and
has not filed a period (scoped by the caller), and starting one's own filing case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Query, Schema, Status

from kmgov.core.api_auth import LOGIN_REQUIRED
from kmgov.core.calendar import local
from kmgov.core.models import OrgUnit

from . import filing_selectors as fsel
from . import filing_services
from .api import CaseOut, ErrorOut, case_out, router
from .errors import CaseNotFound, ConditionUnmet
from .filings import Obligation, Period, PeriodKeyInvalid, obligation, obligations
from .paging import offset_param


class ObligationOut(Schema):
    code: str
    name: str
    form: str
    period_kind: str
    filers: str
    receiver_role: str
    rollup_of: str | None
    citation: str


class FilingListOut(Schema):
    obligation: str
    name: str
    period: str
    period_label: str
    window_opens: str
    window_closes: str
    summary: dict[str, int]
    items: list[dict[str, Any]]


class StartIn(Schema):
    org: str


def obligation_out(ob: Obligation) -> dict:
    return dict(code=ob.code, name=ob.name, form=ob.form, period_kind=ob.period.value,
                filers=ob.filers.describe(), receiver_role=ob.receiver.role,
                rollup_of=ob.rollup_of or None, citation=ob.citation)


def latest_period(ob: Obligation, today: dt.date | None = None) -> Period:
    """The most recent period whose window has opened (what a list shows by default)."""
    today = today or local(timezone.now()).date()
    p = Period.containing(today, ob.period)
    for _ in range(30):
        if ob.has_window(p) and ob.window_dates(p)[0] <= today:
            return p
        p = p.shift(-1)
    return p


def parse_period(ob: Obligation, key: str | None) -> Period:
    if not key:
        return latest_period(ob)
    try:
        return ob.checked_period(key)
    except PeriodKeyInvalid as exc:
        raise ConditionUnmet(str(exc), field="period") from None


def filing_list(user, code: str, period: str | None, *, under: str | None = None,
                status: str | None = None, limit: int | None = None, offset: int = 0) -> dict:
    ob = obligation(code)
    p = parse_period(ob, period)
    unit = None
    if under:
        unit = OrgUnit.objects.filter(code=under).first()
        if unit is None:
            raise CaseNotFound(f"没有代码为“{under}”的单位", field="under")
    if status and status not in fsel.STATUSES:
        raise ConditionUnmet(f"status须为其中之一：{'、'.join(fsel.STATUSES)}", field="status")
    qs = fsel.slots_visible(user, obligation_code=ob.code, period=p.key, under=unit,
                            status=status)
    rows = qs[offset:offset + limit] if limit else qs
    opens, closes = ob.window_dates(p)
    return dict(obligation=ob.code, name=ob.name, period=p.key, period_label=p.label(),
                window_opens=opens.isoformat(), window_closes=closes.isoformat(),
                summary=fsel.filing_summary(user, ob.code, p.key, under=unit),
                items=[fsel.slot_out(s) for s in rows])


@router.get("/filings", response=list[ObligationOut], auth=LOGIN_REQUIRED,
            summary="定期报送事项（报送单位、期间、申报期、接收单位）")
def filings_index(request):
    return [obligation_out(ob) for ob in sorted(obligations().values(), key=lambda o: o.code)]


@router.get("/filings/{code}", response={200: FilingListOut, 400: ErrorOut, 404: ErrorOut},
            auth=LOGIN_REQUIRED, summary="某一期间谁已报送、谁未报送（按权限范围）")
def filings_status(request, code: str, period: str | None = None, under: str | None = None,
                   status: str | None = None,
                   limit: int = Query(500, ge=1, le=5000, description="最多返回条数"),
                   offset: int = offset_param()):
    """`period`: e.g. 2011, 2011H1, 2011Q3, 2011-07 (default: the latest whose window has
    opened); `under`: an org code (the filers below it); `status`: filed, late, not_filed,
    overdue."""
    return filing_list(request.user, code, period, under=under, status=status, limit=limit,
                       offset=offset)


@router.post("/filings/{code}/{period}/start",
             response={201: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                       409: ErrorOut},
             auth=LOGIN_REQUIRED, summary="开始本单位某一期间的报送（创建报送事项）")
def filings_start(request, code: str, period: str, body: StartIn):
    org = OrgUnit.objects.filter(code=body.org).first()
    if org is None:
        raise CaseNotFound(f"没有代码为“{body.org}”的单位", field="org")
    case = filing_services.filing_start(code, period, org=org, actor=request.user)
    return Status(201, case_out(case, request.user))
