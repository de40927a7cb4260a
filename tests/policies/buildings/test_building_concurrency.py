"""Two at once (SPEC X-6, issue 4): on PostgreSQL with real threads; on SQLite the same refusal
in sequence (its writers are serialised)."""

import threading
import time

import pytest
from django.db import connection
from django_fsm.signals import pre_transition
from policies.recognition_fixtures import BUILDING_INPUTS, HQ_DOCS, HQ_INPUTS, MARCH, attach

from kmgov.core.models import AuditEntry
from kmgov.policies._recognition import AlreadyApplied
from kmgov.policies._recognition_services import application_create
from kmgov.policies.buildings.models import Building, BuildingApplication
from kmgov.policies.buildings.services import building_application_create
from kmgov.policies.headquarters.models import HeadquartersApplication
from kmgov.procedures.errors import StateChanged
from kmgov.procedures.services import case_transition

pytestmark = pytest.mark.django_db(transaction=True)
ON_POSTGRES = connection.vendor == "postgresql"


def run_together(*jobs):
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def runner(i, job):
        try:
            barrier.wait(timeout=10)
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 — the test inspects what each thread got
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def run(*jobs):
    if ON_POSTGRES:
        return run_together(*jobs)
    out = []
    for job in jobs:
        try:
            out.append(job())
        except Exception as exc:  # noqa: BLE001
            out.append(exc)
    return out


BUILDING = {"name": "金马大厦", "property_certificate_no": "昆房权证盘龙字第201000123号"}


def test_two_applications_for_the_same_building_at_once_exactly_one(people):
    def apply(user):
        return lambda: building_application_create(
            actor=user, now=MARCH,
            data={"building": BUILDING, "inputs": BUILDING_INPUTS})

    results = run(apply(people.applicant), apply(people.second_applicant))
    wins = [r for r in results if isinstance(r, BuildingApplication)]
    refusals = [r for r in results if isinstance(r, AlreadyApplied)]
    assert len(wins) == 1 and len(refusals) == 1, results
    # 62号 附件1 第十条(一): the refusal names who holds the building.
    assert wins[0].org.name in refusals[0].message and refusals[0].status == 409
    assert BuildingApplication.objects.count() == 1 and Building.objects.count() == 1
    assert AuditEntry.objects.filter(action="building.create").count() == 1


def test_two_approvals_of_the_same_step_at_once_one_wins(people):
    case = application_create(HeadquartersApplication, actor=people.applicant, now=MARCH,
                              data={"hq_type": "comprehensive", "inputs": HQ_INPUTS})
    for key in HQ_DOCS:
        attach(case, people.applicant, key)
    case = case_transition(case, "submit", actor=people.applicant, now=MARCH)
    case = case_transition(case, "pass_to_meeting", actor=people.office, now=MARCH)
    case = case_transition(case, "meeting_pass", actor=people.secretary, now=MARCH,
                           meeting_date="2026-03-10", meeting_members=["区商务局"])
    seen_1 = HeadquartersApplication.objects.get(pk=case.pk)
    seen_2 = HeadquartersApplication.objects.get(pk=case.pk)

    def slow(sender, **kwargs):
        time.sleep(0.3)  # hold the row lock so that the other queues behind it

    pre_transition.connect(slow, sender=HeadquartersApplication, dispatch_uid="slow-hq")
    try:
        results = run(
            lambda: case_transition(seen_1, "approve", actor=people.government, now=MARCH),
            lambda: case_transition(seen_2, "approve", actor=people.government2, now=MARCH))
    finally:
        pre_transition.disconnect(sender=HeadquartersApplication, dispatch_uid="slow-hq")
    wins = [r for r in results if isinstance(r, HeadquartersApplication)]
    refusals = [r for r in results if isinstance(r, StateChanged)]
    assert len(wins) == 1 and len(refusals) == 1, results
    assert "状态已变更为“县级政府已批准，待市级备案”" in refusals[0].message
    assert AuditEntry.objects.filter(action="hq.approve").count() == 1
