"""Buttons by importance and status tags, decided from what a procedure declares
(kmgov.procedures.templatetags.case_ui): a refusal is a warning button that asks first; sending
back is secondary; the rest primary. Every declared step and state of every procedure is
checked, so a new procedure cannot add a refusal that looks like an approval."""

from kmgov.procedures.templatetags.case_ui import importance, state_tag, step_button


class Spec:
    def __init__(self, name, label):
        self.name, self.label = name, label


def test_refusals_are_warnings_that_ask_first_and_approvals_are_primary():
    fail = str(step_button(Spec("meeting_fail", "记录联审会议：未通过")))
    assert "govuk-button--warning" in fail
    assert 'data-confirm="确定要“记录联审会议：未通过”吗？此操作会记入办理记录。"' in fail
    passed = str(step_button(Spec("meeting_pass", "记录联审会议：通过")))
    assert passed == 'class="govuk-button"'
    assert "govuk-button--secondary" in str(step_button(Spec("county_return", "县政府退回补正")))
    assert "data-confirm" not in str(step_button(Spec("withdraw", "撤回")))


def test_every_declared_refusal_step_is_a_warning():
    from kmgov.procedures.declare import registered, steps_of

    seen = {}
    for code, model in registered().items():
        for name in steps_of(model):
            seen[(code, name)] = importance(name)
    # 不予批准/不予认定/不予报账 (reject), 撤销 (revoke), 作废 (void), 未通过/不合格 (…_fail)
    refusals = {k for k in seen if k[1] in {"reject", "government_reject", "revoke", "void",
                                            "meeting_fail", "spot_check_fail"}}
    assert refusals and all(seen[k] == "warning" for k in refusals)
    assert seen[("hq", "approve")] == "primary" and seen[("hq", "submit")] == "primary"


def test_state_tags_by_meaning():
    assert state_tag("rejected") == "govuk-tag--red"
    assert state_tag("filed") == state_tag("paid") == "govuk-tag--green"
    assert state_tag("returned") == "govuk-tag--yellow"
    assert state_tag("draft") == "govuk-tag--grey"
    assert state_tag("county_review") == "govuk-tag--blue"
