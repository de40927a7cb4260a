"""One rule for refused HTML forms (docs/architecture.md → "Refusals"; issue 13 item 3): a
module's form posted with an error comes back as the same form, status 400, with what the
person typed still in it and the message beside the field; a refusal of who may act is a
403 (`kmgov.core.errors.form_status`). Before, the same kind of mistake answered 200, 400 or
422 depending on the module.

One invalid post to each module's main form, on the demo data (its accounts hold the roles
each form needs). The typed value is looked for in the control it was typed into."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path, monkeypatch, seed_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("KMGOV_DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("demo", "--no-migrate", stdout=io.StringIO())
    from kmgov.gazette.services import issue_ingest

    issue_ingest(data=seed_path.read_bytes(), source_name=seed_path.name)


def _as(username: str | None) -> Client:
    from django.contrib.auth import get_user_model

    c = Client()
    if username:
        c.force_login(get_user_model().objects.get(username=username))
    return c


def _kept(page: str, name: str, typed: str) -> bool:
    """The control `name` carries `typed` again (an input's value, a textarea's text)."""
    for m in re.finditer(r"<(input|textarea)\b[^>]*>", page):
        tag = m.group(0)
        if re.search(rf'\bname="{re.escape(name)}"', tag):
            if m.group(1) == "input" and f'value="{typed}"' in tag:
                return True
            if m.group(1) == "textarea" and page[m.end():].split("</textarea>", 1)[0].strip() == typed:
                return True
    return False


def _mediation_record():
    from django.contrib.auth import get_user_model

    from kmgov.policies.mediation import selectors

    return selectors.records_visible(get_user_model().objects.get(username="demo-shi-sfj")).first().id


#: module → (account, path, posted form, (control, typed value that must come back)).
FORMS = {
    # 63号 附件 第五条(四): 下属分支企业数 is a whole number; "很多" is refused
    "headquarters": ("demo-qiye", "/headquarters/new/",
                     {"subsidiaries": "很多", "capital_or_net_assets_yuan": "15000",
                      "capital_or_net_assets_yuan__unit": "wan"},
                     ("capital_or_net_assets_yuan", "15000")),
    # 62号 附件2: each indicator's value is a number
    "buildings-index": ("demo-shi-shangwu", "/buildings-index/data/",
                        {"org": "wuhua", "year": "2010", "v1": "5", "v2": "很多"}, ("v2", "很多")),
    # 60号 三(一): a donation is an amount of money
    "carbon": ("demo-shi-thb", "/carbon/accounts/",
               {"form": "donation", "account": "TH-0001", "amount_yuan": "五千"}, ("amount_yuan", "五千")),
    # 60号 三(一)1: the city's appropriation is an amount of money (the document number stays)
    "carbon-fund": ("demo-shi-thb", "/carbon/fund/appropriations/",
                    {"year": "2011", "amount_yuan": "一千万", "allocated_on": "2011-03-01",
                     "document_no": "昆财农〔2011〕12号"}, ("document_no", "昆财农〔2011〕12号")),
    # 111号: a project needs its code and start date (the name typed stays)
    "construction": ("demo-wuhua-zjj", "/construction/",
                     {"action": "project", "org": "wuhua", "code": "", "name": "五华新校区工程"},
                     ("name", "五华新校区工程")),
    # 109号 二(四): the register's latitude is a number
    "geohazards": ("demo-panlong-gtj", "/geohazards/points/new/",
                   {"code": "PL-0999", "name": "测试隐患点", "latitude": "北纬二十五度"}, ("name", "测试隐患点")),
    # 106号 附件 第六条: an accident needs its date and summary (the deaths typed stay)
    "safety": ("demo-panlong-ajj", "/safety/accidents/",
               {"org": "panlong", "occurred_on": "", "grade": "general", "deaths": "2", "summary": ""},
               ("deaths", "2")),
    # 116号: a request needs its text; the phone typed stays
    "hotline": (None, "/hotline/", {"request_type": "consultation", "text": "", "phone": "13800000000"},
                ("phone", "13800000000")),
    # 59号 四(五): the area transferred is a number
    "rules": (None, "/rules/agriculture.land_transfer_reward/", {"area_mu": "两千五"}, ("area_mu", "两千五")),
}


def test_every_module_form_refused_is_400_with_what_was_typed(demo):
    failures = []
    for module, (user, path, data, (name, typed)) in FORMS.items():
        r = _as(user).post(path, data)
        page = r.content.decode()
        if r.status_code != 400:
            failures.append(f"{module}: {path} answered {r.status_code}")
        elif not _kept(page, name, typed):
            failures.append(f"{module}: {path} lost “{typed}” typed into {name}")
        elif "govuk-error-message" not in page and 'class="error"' not in page:
            failures.append(f"{module}: {path} shows no message")
    # 108号 附件 三(二): 认定虚报 needs a reason (the row's form)
    record = _mediation_record()
    r = _as("demo-shi-sfj").post("/mediation/records/", {"record": record, "reason": "   "})
    if r.status_code != 400 or f'id="flag-{record}-reason-error"' not in r.content.decode():
        failures.append(f"mediation: /mediation/records/ answered {r.status_code}")
    # who may not act is refused as such (403), not shown a form error: only the city's
    # office, commerce and statistics bureaus revise the index specification (62号 附件2)
    r = _as("demo-wuhua-zjj").post("/buildings-index/spec/", {"imputation": "mean", "reason": "试"})
    if r.status_code != 403:
        failures.append(f"buildings-index: a county's spec revision answered {r.status_code}")
    assert not failures, "\n".join(failures)
