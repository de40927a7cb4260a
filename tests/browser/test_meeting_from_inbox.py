"""The joint review meeting (联审会议, 昆政发〔2010〕62号 附件1 第十条) recorded in a real browser
from the page the inbox links to: the kernel's case page renders the step's declared input
as a form (a date input, the attendees one per line, the proposed reward as an amount); a
refused entry comes back with what was typed and a message naming the field."""

from pathlib import Path

import pytest
from policies.buildings.test_building_paths import submitted, to_meeting
from policies.recognition_fixtures import MARCH, march, people  # noqa: F401

from kmgov.policies.buildings.models import BuildingApplication

pytestmark = pytest.mark.django_db(transaction=True)


def test_secretary_records_the_meeting_from_the_inbox(live_server, people, march, browser,  # noqa: F811
                                                      tmp_path):
    ref = submitted(people)
    to_meeting(people, ref)
    people.secretary.set_password("pw-123456")
    people.secretary.save()
    site = live_server.url
    # On a phone first (look only), then on a desktop (record the meeting).
    for viewport in ({"width": 390, "height": 844}, {"width": 1366, "height": 900}):
        ctx = browser.new_context(locale="zh-CN", viewport=viewport)
        page = ctx.new_page()
        page.goto(f"{site}/accounts/login/?next=/inbox/")
        page.fill("#id_username", people.secretary.username)
        page.fill("#id_password", "pw-123456")
        page.get_by_role("button", name="登录").last.click()
        page.wait_for_url(f"{site}/inbox/")
        page.get_by_role("link", name=ref).click()
        page.wait_for_url(f"{site}/cases/building/{ref}/")
        form = page.locator("#step-meeting_pass")
        assert form.locator("input[type=date][name=meeting_date]").count() == 1
        assert "参会单位及人员" in form.inner_text() and "联审会议拟奖励" in form.inner_text()
        # the amount's unit is chosen beside it: 元 first (the field keeps yuan), or 万元
        unit = form.locator("select[name=proposed_reward_yuan__unit]")
        assert unit.input_value() == "yuan" and unit.get_attribute("aria-label") == "联审会议拟奖励的单位"
        assert unit.locator("option").all_inner_texts() == ["元", "万元"]
        # 未通过 asks for a confirmation box, labelled, beside its warning button
        fail = page.locator("#step-meeting_fail")
        box = fail.locator("input[type=checkbox][name=confirm]")
        assert box.count() == 1 and box.is_visible()
        assert "我已核对，确认" in fail.locator(f"label[for={box.get_attribute('id')}]").inner_text()
        shots = Path(__file__).resolve().parents[2] / "var" / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        for where in (tmp_path, shots):
            page.screenshot(path=str(where / f"meeting-{viewport['width']}.png"), full_page=True)
        if viewport["width"] < 1000:
            # On a phone the form fits the screen: no sideways scrolling.
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"] + 1, width
            ctx.close()
            continue
        # A meeting after today is refused (the date field named), the typed values kept.
        form.locator("[name=meeting_date]").fill("2026-03-11")
        form.locator("[name=meeting_members]").fill("区发改局\n区商务局\n区财政局")
        form.locator("[name=proposed_reward_yuan]").fill("30")  # 30万元 = 300,000元
        form.locator("[name=proposed_reward_yuan__unit]").select_option("wan")
        form.locator("[name=reason]").fill("材料齐全，同意")
        form.get_by_role("button", name="记录联审会议：通过").click()
        page.wait_for_selector("#step-meeting_pass .error")
        form = page.locator("#step-meeting_pass")
        assert "不能晚于今天" in form.inner_text()
        assert form.locator("[name=meeting_members]").input_value() == "区发改局\n区商务局\n区财政局"
        assert form.locator("[name=reason]").input_value() == "材料齐全，同意"
        # the amount comes back as typed, in the unit chosen
        assert form.locator("[name=proposed_reward_yuan]").input_value() == "30"
        assert form.locator("[name=proposed_reward_yuan__unit]").input_value() == "wan"
        assert BuildingApplication.objects.get(reference=ref).state == "at_meeting"
        # MARCH is 2026-03-10: the meeting that day is accepted.
        form.locator("[name=meeting_date]").fill(MARCH.date().isoformat())
        form.get_by_role("button", name="记录联审会议：通过").click()
        page.wait_for_selector("text=联审通过，待县级政府审批")
        ctx.close()
    case = BuildingApplication.objects.get(reference=ref)
    assert case.state == "meeting_passed"
    assert case.meeting_members == ["区发改局", "区商务局", "区财政局"]
    assert str(case.meeting_date) == "2026-03-10"
    assert case.proposed_reward_yuan == 300000  # typed as 30万元
