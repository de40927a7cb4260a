"""Separation of duties for every procedure (issue 15): on the demo's cases, the applicant
given the role of a deciding step (review, approval, payment — `declare.Duty`) at the right
unit is refused that step through the API: 403, code `separation_of_duties`, the reason in
Chinese; nothing changes. Every procedure that declares a deciding step must be covered, and
every official's step of every procedure is declared either deciding (`duty=`) or routine
(`routine=`, saying why): a new procedure's step that is neither fails here."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from kmgov.core.calendar import TZ
from kmgov.core.models import OrgUnit, RoleAssignment
from kmgov.procedures.declare import (
    SCOPE_ANY,
    registered,
    resolve_org,
    step_sources,
    steps_of,
)
from kmgov.procedures.selectors import steps_available

pytestmark = pytest.mark.django_db


def _org_for(case, spec):
    if spec.at is not None:
        return resolve_org(case, spec.at)
    if spec.scope == SCOPE_ANY:
        return OrgUnit.objects.get(code="kunming")
    return case.org


def _filings_awaiting_receipt():
    """The demo leaves no filing waiting for its receiver: file a county's mediation summary
    report (108号 四(三)) and a certified headquarters' yearly statistics (63号 附件 第十九条)."""
    from django.contrib.auth import get_user_model

    from kmgov.policies.mediation.services import report_create
    from kmgov.procedures.filing_services import filing_start, slots_open
    from kmgov.procedures.services import attachment_add, case_transition

    county = get_user_model().objects.get(username="demo-panlong-sfj")
    report = report_create(actor=county, county="panlong")
    attachment_add(report, key="report", file=io.BytesIO(b"%PDF-1.4\n%%EOF\n"), name="r.pdf",
                   actor=county)
    case_transition(report, "submit", actor=county)
    assert slots_open("hq-statistics", "2026")["opened"] >= 1
    hq = registered()["hq"].objects.filter(state="filed").select_related("org").first()
    filing = filing_start("hq-statistics", "2026", org=hq.org, actor=hq.applicant)
    case_transition(filing, "submit", actor=hq.applicant,
                    data={"revenue_yuan": "300000000", "local_tax_yuan": "26000000",
                          "employees": 120},
                    now=dt.datetime(2027, 1, 15, 10, tzinfo=TZ))  # inside 2027-01-01…03-31


def _try_deciding_steps(code, model, case, covered):
    """The case's applicant, given each deciding step's role, takes that step through the API:
    refused (403, separation_of_duties), nothing changed."""
    for name, spec in steps_of(model).items():
        if (not spec.decides_from(case.state)
                or not getattr(model, name)._django_fsm.has_transition(case.state)):
            continue
        if (code, name) not in covered.get("superuser", set()):
            # superusers administer, they do not act on cases: refused without a role
            su = Client()
            su.force_login(_superuser())
            r = su.post(f"/api/v1/cases/{code}/{case.reference}/steps/{name}",
                        data=json.dumps({"reason": "管理员代办的尝试", "expected_state": case.state}),
                        content_type="application/json")
            # 403; or 422 where the kernel judges the (empty) input first — either way the
            # step is not among those the superuser may take, and nothing changed
            assert r.status_code in (403, 422), (code, name, "superuser", r.content)
            assert name not in {s.name for s in steps_available(case, _superuser())}
            assert type(case).objects.get(pk=case.pk).state == case.state
            covered.setdefault("superuser", set()).add((code, name))
        user = case.applicant
        RoleAssignment.objects.get_or_create(user=user, role=sorted(spec.roles)[0],
                                             org=_org_for(case, spec))
        c = Client()
        c.force_login(user)
        r = c.post(f"/api/v1/cases/{code}/{case.reference}/steps/{name}",
                   data=json.dumps({"reason": "自行审批的尝试", "expected_state": case.state}),
                   content_type="application/json")
        assert r.status_code == 403, (code, name, r.content)
        body = r.json()
        # the applicant, or, where no one applies (an inspection, a donation), the one who
        # opened the case or in whose name it was registered
        assert body["code"] == "separation_of_duties", body
        assert "申请人" in body["detail"] or "由您创建" in body["detail"], body
        before = case.state
        case.refresh_from_db()
        assert case.state == before
        covered.setdefault(code, []).append(name)


def _superuser():
    from django.contrib.auth import get_user_model

    from kmgov.core.services import user_create

    return (get_user_model().objects.filter(username="sod-root").first()
            or user_create(username="sod-root", is_superuser=True))


def _filing_case(code, model):
    """A filing of a scheduled-filing procedure the demo never files: opened through the
    kernel (filing_start) by an official of its first owing unit."""
    from kmgov.core.services import user_create
    from kmgov.procedures.filing_services import filing_start, slots_open
    from kmgov.procedures.filings import obligations_of_form
    from kmgov.procedures.models import FilingSlot

    suffix = {"month": "-07", "half": "H1", "quarter": "Q3", "year": ""}
    for ob, year in ((ob, y) for ob in obligations_of_form(code) for y in (2010, 2025, 2026)):
        period = ob.parse_period(f"{year}{suffix[ob.period.value]}")
        slots_open(ob.code, period.key)
        slot = FilingSlot.objects.filter(obligation=ob.code, period=period.key,
                                         case_reference="").select_related("org").first()
        if slot is None:
            continue
        filer = user_create(username=f"sod-{ob.code}-{year}"[:150],
                            roles=[(ob.filer_role, slot.org.code)])
        return filing_start(ob.code, period.key, org=slot.org, actor=filer)
    return None


def _ticket_of_a_citizen():
    """The demo's tickets were recorded by the desk (no applicant): a citizen files one on the
    web, logged in (116号 三(一)), which becomes its applicant."""
    from kmgov.core.services import user_create
    from kmgov.hotline.services import ticket_create

    citizen = user_create(username="sod-citizen", display_name="市民")
    return ticket_create(channel="web", request_type="complaint", actor=citizen,
                         text="小区旁林地有人滥伐树木，请林业部门查处", route=False)


def _building_register_report():
    """The demo's building application is still at the joint meeting: recorded as filed on
    2025-03-10 (set directly: the filing's obligation is what is tried here), its holder owes
    the 2025 register (62号 七(三)), opened through the kernel."""
    app = registered()["building"].objects.first()
    registered()["building"].objects.filter(pk=app.pk).update(
        state="filed", filed_at=dt.datetime(2025, 3, 10, 10, tzinfo=TZ))
    return _filing_case("building-register", registered()["building-register"])


CASE_MAKERS = {"hotline": _ticket_of_a_citizen, "building-register": _building_register_report}


def test_every_official_step_is_declared_deciding_or_routine():
    """A step an official takes (not only the applicant) carries a duty or says why it decides
    nothing: the separation of duties cannot be forgotten on a new procedure's step."""
    undeclared = [f"{code}.{name}" for code, model in registered().items()
                  if not model.__module__.startswith("procedures.sample")
                  for name, spec in steps_of(model).items()
                  if spec.roles and not spec.applicant and spec.duty is None
                  and not spec.routine.strip()]
    assert undeclared == []
    # the 96128 desk: only the extension's approval and the 退单's review decide
    hotline = steps_of(registered()["hotline"])
    assert {n for n, s in hotline.items() if s.duty is not None} == {
        "extend", "dispatch", "transfer", "merge", "close"}
    assert hotline["dispatch"].decides_from("returned")
    assert not hotline["dispatch"].decides_from("queued")
    assert hotline["extend"].apart_from == ("extension_request",)


def test_every_procedures_applicant_is_refused_its_deciding_steps(settings, tmp_path,
                                                                   monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("KMGOV_DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("demo", "--no-migrate", stdout=io.StringIO())
    _filings_awaiting_receipt()
    deciding = {code for code, model in registered().items()
                if any(s.duty is not None for s in steps_of(model).values())
                and not model.__module__.startswith("procedures.sample")}  # test-only
    covered = {}
    for code, model in registered().items():
        for case in model.objects.exclude(applicant=None).select_related("org", "applicant"):
            _try_deciding_steps(code, model, case, covered)
    # Procedures the demo leaves short of a deciding step: a case of theirs (the demo's, or a
    # filing opened through the kernel) is put in the state each deciding step starts from —
    # the refusal comes before the step's input and conditions are judged.
    for code in sorted(deciding - set(covered)):
        model = registered()[code]
        case = (model.objects.exclude(applicant=None).first() or _filing_case(code, model)
                or (CASE_MAKERS[code]() if code in CASE_MAKERS else None))
        assert case is not None, f"{code}: no case to try its deciding steps on"
        for name, spec in steps_of(model).items():
            if spec.duty is None:
                continue
            source = (sorted(spec.duty_from) or step_sources(model, name))[0]
            model.objects.filter(pk=case.pk).update(state=source)
            case.refresh_from_db()
            _try_deciding_steps(code, model, case, covered)
    assert deciding <= set(covered), f"no case exercised: {deciding - set(covered)}"
    assert {c for c, _ in covered["superuser"]} == deciding
