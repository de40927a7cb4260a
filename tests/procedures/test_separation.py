"""Separation of duties (issue 15 item 1), through the sample procedure: its review steps
(approve, return, reject: the county office, `Duty.REVIEW`) and its filing (the city
department, `Duty.APPROVE`) may not be taken by the applicant, by the case's creator, or by
someone who took the other stage's step on the same case; superusers administer, they act on
cases only through roles assigned to them."""

import json

import pytest
from django.test import Client
from procedures.helpers import at

from kmgov.core.models import AuditEntry, OrgUnit, Role, RoleAssignment
from kmgov.core.services import user_create
from kmgov.procedures.errors import SeparationOfDuties, TransitionDenied
from kmgov.procedures.selectors import steps_available
from kmgov.procedures.services import case_create, case_transition

pytestmark = pytest.mark.django_db
MARCH = at(2026, 3, 10, 10)


def grant(user, role, org_code):
    RoleAssignment.objects.create(user=user, role=role, org=OrgUnit.objects.get(code=org_code))
    user._kmgov_assignments = None  # the role cache of this user object
    return user


def submitted(people, new_case):
    return case_transition(new_case(), "submit", actor=people.applicant, now=MARCH)


def api_step(user, case, name, **body):
    c = Client()
    c.force_login(user)
    return c.post(f"/api/v1/cases/sample/{case.reference}/steps/{name}",
                  data=json.dumps(body), content_type="application/json")


def test_the_applicant_cannot_review_their_own_application(people, new_case):
    case = submitted(people, new_case)
    # the enterprise's clerk also holds the county office's role (a real-world double post)
    grant(people.applicant, Role.COUNTY_OFFICE, "panlong")
    before = AuditEntry.objects.count()
    with pytest.raises(SeparationOfDuties) as exc:
        case_transition(case, "approve", actor=people.applicant, now=MARCH)
    assert "申请人" in exc.value.message and "审核通过" in exc.value.message
    case.refresh_from_db()
    assert case.state == "submitted" and AuditEntry.objects.count() == before
    # the page offers no such form to them; another official of the office may approve
    assert "approve" not in {s.name for s in steps_available(case, people.applicant)}
    assert "approve" in {s.name for s in steps_available(case, people.office)}
    # through the API: 403 with the reason and its code
    r = api_step(people.applicant, case, "approve", expected_state="submitted")
    assert r.status_code == 403, r.content
    assert r.json()["code"] == "separation_of_duties" and "申请人" in r.json()["detail"]
    assert case_transition(case, "approve", actor=people.office, now=MARCH).state == "approved"


def test_the_creator_cannot_review_a_case_they_opened_for_someone_else(people):
    from procedures.sample.models import SampleApplication

    # the county office opens the case on the enterprise's behalf (applicant: the enterprise)
    case = case_create(SampleApplication, actor=people.office, org=people.enterprise_org,
                       applicant=people.applicant, amount="100.00", now=MARCH)
    from procedures.helpers import PDF, attach

    attach(case, people.applicant, "licence", "licence.pdf", PDF)
    case = case_transition(case, "submit", actor=people.applicant, now=MARCH)
    with pytest.raises(SeparationOfDuties) as exc:
        case_transition(case, "reject", actor=people.office, reason="材料不全", now=MARCH)
    assert "创建" in exc.value.message
    assert case_transition(case, "reject", actor=people.office2, reason="材料不全",
                           now=MARCH).state == "rejected"


def test_one_person_does_not_take_two_stages(people, new_case):
    case = case_transition(submitted(people, new_case), "approve", actor=people.office, now=MARCH)
    # the office's reviewer also holds a post at the city department: the filing (another
    # stage) must be someone else's
    grant(people.office, Role.CITY_DEPARTMENT, "city-commerce")
    with pytest.raises(SeparationOfDuties) as exc:
        case_transition(case, "record_filing", actor=people.office, now=MARCH)
    assert "审核通过" in exc.value.message and "备案" in exc.value.message
    assert case_transition(case, "record_filing", actor=people.city_department,
                           now=MARCH).state == "filed"


def test_the_same_stage_may_be_taken_again(people, new_case):
    # the office official who returned the case reviews it again once it is corrected
    case = case_transition(submitted(people, new_case), "return_for_changes", actor=people.office,
                           reason="补充营业执照", now=MARCH)
    case = case_transition(case, "submit", actor=people.applicant, now=MARCH)
    assert case_transition(case, "approve", actor=people.office, now=MARCH).state == "approved"


def test_superusers_administer_and_do_not_act(people, new_case):
    case = submitted(people, new_case)
    root = user_create(username="root-sod", is_superuser=True)
    with pytest.raises(TransitionDenied) as exc:
        case_transition(case, "approve", actor=root, now=MARCH)
    assert "系统管理员" in exc.value.message
    assert steps_available(case, root) == []
    # …but they still read every case, and act through a role assigned to them like anyone
    r = Client()
    r.force_login(root)
    assert r.get(f"/api/v1/cases/sample/{case.reference}").status_code == 200
    grant(root, Role.COUNTY_OFFICE, "panlong")
    assert case_transition(case, "approve", actor=root, now=MARCH).state == "approved"


def test_describe_names_the_duty(people):
    from procedures.sample.models import SampleApplication

    from kmgov.procedures.describe import describe_procedure

    steps = {s["name"]: s for s in describe_procedure(SampleApplication)["steps"]}
    assert steps["approve"]["duty"]["label"] == "审核"
    assert steps["record_filing"]["duty"]["label"] == "审批"
    assert steps["submit"]["duty"] is None and steps["withdraw"]["duty"] is None


def test_an_applicant_step_cannot_carry_a_duty():
    from kmgov.procedures.declare import Duty, step

    with pytest.raises(ValueError):
        step(source="a", target="b", label="x", applicant=True, duty=Duty.REVIEW)
