"""An administrator's interpretation override changes what a *procedure* does, not only what
a rule decides: parameters are read at the time of use through `kmgov.rules.parameter_value`."""

import datetime as dt

import pytest
from policies.recognition_fixtures import client_for, step
from test_hq_paths import MEETING, detail, submitted

from kmgov.rules import invalidate_overrides, parameter_at, parameter_value
from kmgov.rules.services import parameter_override_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(django_user_model):
    user = django_user_model.objects.create_superuser("root", "r@example.org", "pw-123456")
    yield user
    invalidate_overrides()


def override(admin, name, value, on):
    o = parameter_override_create(parameter=name, value=value, effective_from=on, note="领导小组解释", actor=admin)
    invalidate_overrides()  # the service invalidates on commit; a test runs inside one transaction
    return o


def test_parameter_value_reads_the_override_from_its_date(admin):
    name = "headquarters.green_card_validity_months"
    # 63号 附件 第十四条 gives no validity; the interpretation is 12 months (年度认定).
    assert parameter_value(name, dt.date(2026, 1, 1)) == 12
    o = override(admin, name, 24, dt.date(2026, 1, 1))
    assert parameter_value(name, dt.date(2025, 12, 31)) == 12
    at = parameter_at(name, dt.date(2026, 3, 10))
    assert (at.value, at.start, at.source) == (24, dt.date(2026, 1, 1), f"override:{o.pk}")
    assert at.citation.path == "附件 第十四条"


def filed_hq(people):
    ref = submitted(people)
    step(client_for(people.office), "hq", ref, "pass_to_meeting")
    step(client_for(people.secretary), "hq", ref, "meeting_pass", data=MEETING)
    step(client_for(people.government), "hq", ref, "approve")
    r = step(client_for(people.city_office), "hq", ref, "file")
    assert r.status_code == 200, r.json()
    return ref


def test_override_changes_the_filing_window_and_the_card(people, march, admin):
    from kmgov.procedures.filing_services import slots_open
    from kmgov.procedures.models import FilingSlot

    # 第十九条 (interpretation headquarters.statistics_window) as overridden: January only.
    override(admin, "headquarters.statistics_window", ["1-01", "1-31"], dt.date(2026, 1, 1))
    override(admin, "headquarters.green_card_validity_months", 24, dt.date(2026, 1, 1))
    ref = filed_hq(people)
    slots_open("hq-statistics", "2026")
    slot = FilingSlot.objects.get(obligation="hq-statistics", period="2026")
    assert (slot.window_opens, slot.window_closes) == (dt.date(2027, 1, 1), dt.date(2027, 1, 31))
    # 第十四条 card as overridden: 24 months from 2026-03-10 → until 2028-03-09
    assert detail(client_for(people.city_office), ref)["card"]["valid_until"] == "2028-03-09"


def test_override_before_its_date_changes_nothing(people, march, admin):
    from kmgov.procedures.filing_services import slots_open
    from kmgov.procedures.models import FilingSlot

    override(admin, "headquarters.statistics_window", ["1-01", "1-31"], dt.date(2028, 1, 1))
    filed_hq(people)
    slots_open("hq-statistics", "2026")
    slot = FilingSlot.objects.get(obligation="hq-statistics", period="2026")
    # the interpretation in force for 2026: 1 January to 31 March of the next year
    assert slot.window_closes == dt.date(2027, 3, 31)


def test_the_window_is_read_on_the_day_it_is_checked():
    from kmgov.policies.headquarters.models import HeadquartersApplication

    window = HeadquartersApplication.procedure.window
    # 63号 附件 第十一条: 每年3月1日至31日 — a parameter name, not dates fixed at import
    assert window.names == ("headquarters.application_window",)
    assert window.is_open(dt.date(2026, 3, 1)) and window.is_open(dt.date(2026, 3, 31))
    assert not window.is_open(dt.date(2026, 4, 1))
    assert window.describe(dt.date(2026, 1, 1)) == "申报期为每年3月1日至31日"
