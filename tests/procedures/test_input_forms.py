"""A step's form is generated from its input model (kmgov.procedures.inputs): each kind of
field gets its widget, and the posted form parses back into what the API would send, so the
same validation judges both."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import models
from django.http import QueryDict
from django.template.loader import render_to_string
from pydantic import Field

from kmgov.procedures.errors import StepInputInvalid
from kmgov.procedures.inputs import (
    Line,
    Money,
    StepInput,
    form_data,
    form_fields,
    form_parse,
    validate_input,
)


class Grade(models.TextChoices):
    GENERAL = "general", "一般"
    MAJOR = "major", "较大"


class ReportInput(StepInput):
    happened_on: dt.date = Field(title="发生日期")
    grade: Grade = Field(title="事故等级")
    deaths: int = Field(0, title="死亡人数", ge=0)
    paid_yuan: Money = Field(title="已拨付金额")
    tax_by_year: dict[int, Money] = Field(default_factory=dict, title="历年纳税额",
                                          json_schema_extra={"key_label": "年度",
                                                             "value_label": "纳税额（元）"})
    members: list[Line] = Field(title="参会人员", min_length=1)
    public: bool = Field(False, title="向社会公开")
    note: str = Field("", title="说明", max_length=2000)


def post(**values) -> QueryDict:
    q = QueryDict(mutable=True)
    for k, v in values.items():
        if isinstance(v, list):
            q.setlist(k, v)
        else:
            q[k] = v
    return q


def test_each_kind_of_field_gets_its_widget():
    fields = {f.name: f for f in form_fields(ReportInput)}
    assert {n: f.kind for n, f in fields.items()} == {
        "happened_on": "date", "grade": "choice", "deaths": "number", "paid_yuan": "money",
        "tax_by_year": "table", "members": "lines", "public": "bool", "note": "textarea"}
    assert fields["grade"].choices == [("general", "一般"), ("major", "较大")]
    # an amount chooses its unit in a select beside the input, 元 first for a field kept in 元
    assert (fields["paid_yuan"].base_unit, fields["paid_yuan"].money_unit) == ("yuan", "yuan")
    assert fields["happened_on"].required
    html = render_to_string("procedures/_step_form.html", {
        "s": {"spec": type("S", (), {"name": "report", "label": "报告", "help": "",
                                      "citation": "", "reason_required": False})(),
              "fields": list(fields.values()), "reason": "", "error": ""},
        "action": "/x/", "case": type("C", (), {"state": "draft"})()})
    assert 'type="date"' in html and '<option value="major">较大</option>' in html
    assert 'name="tax_by_year__key"' in html and "纳税额（元）" in html
    assert 'name="paid_yuan__unit"' in html and '<option value="wan">万元</option>' in html
    assert '<option value="yuan" selected>元</option>' in html and 'type="checkbox"' in html
    # Labels, not placeholders, name the fields; no field code is shown as text.
    assert '<label class="govuk-label" for="step-report-paid_yuan">已拨付金额 <span' in html
    assert ">paid_yuan<" not in html
    # The design system's markup: a field in error says so above its input, the input names
    # the message in aria-describedby, and the summary at the top links to the field.
    fields["paid_yuan"].error = "已拨付金额（元）：应大于或等于 0"
    html = render_to_string("procedures/_step_form.html", {
        "s": {"spec": type("S", (), {"name": "report", "label": "报告", "help": "",
                                      "citation": "", "reason_required": False})(),
              "fields": list(fields.values()), "reason": "", "error": "请修改标出的内容"},
        "action": "/x/", "case": type("C", (), {"state": "draft"})()})
    message = html.index('id="step-report-paid_yuan-error"')
    field = html.index('id="step-report-paid_yuan"')
    assert message < field
    assert 'aria-describedby="step-report-paid_yuan-error"' in html
    assert '<a href="#step-report-paid_yuan">' in html and "govuk-form-group--error" in html


def test_posted_form_parses_into_the_api_body_and_validates():
    data = form_data(ReportInput, post(
        happened_on="2010-10-08", grade="major", deaths="3", paid_yuan="1500.50",
        tax_by_year__key=["2009", "2010", ""], tax_by_year__value=["120000", "150000.5", ""],
        members="区安监局 张三\n\n区公安局 李四\n", public="on", note=""))
    assert data == {"happened_on": "2010-10-08", "grade": "major", "deaths": "3",
                    "paid_yuan": "1500.50", "tax_by_year": {"2009": "120000", "2010": "150000.5"},
                    "members": ["区安监局 张三", "区公安局 李四"], "public": True}
    value = validate_input(ReportInput, data, step_label="报告")
    assert value.tax_by_year == {2009: Decimal("120000"), 2010: Decimal("150000.5")}
    assert value.happened_on == dt.date(2010, 10, 8) and value.grade == "major"


def test_empty_required_fields_and_bad_values_are_named_in_chinese():
    data = form_data(ReportInput, post(happened_on="", grade="extreme", paid_yuan="-1",
                                       members=""))
    with pytest.raises(StepInputInvalid) as exc:
        validate_input(ReportInput, data, step_label="报告")
    messages = {e["field"]: e["message"] for e in exc.value.errors}
    assert messages["happened_on"] == "发生日期：必填"
    assert messages["grade"].startswith("事故等级：应为以下之一")
    assert messages["paid_yuan"] == "已拨付金额：应不小于0"
    assert messages["members"] == "参会人员：至少1项"
    assert exc.value.status == 422


class WarnInput(StepInput):
    to_org: str = Field(title="警示对象")
    score: int = Field(title="满意度", ge=1, le=5)

    @classmethod
    def form_choices(cls, name):
        from kmgov.procedures.inputs import org_choices

        return org_choices(kinds=("county",)) if name == "to_org" else None


@pytest.mark.django_db
def test_choices_known_at_render_time_and_integer_bounds():
    from kmgov.core.services import org_tree_load

    org_tree_load()
    fields = {f.name: f for f in form_fields(WarnInput)}
    assert fields["to_org"].kind == "choice"
    # 昆明市's county-level units by name, never by code on the page
    assert ("panlong", "盘龙区") in fields["to_org"].choices
    assert all(code != label for code, label in fields["to_org"].choices)
    assert (fields["score"].step, fields["score"].min, fields["score"].max) == ("1", 1, 5)
    # the posted choice parses back like any text field
    assert form_data(WarnInput, post(to_org="panlong", score="4")) == {"to_org": "panlong",
                                                                        "score": "4"}


class StatsInput(StepInput):
    # as headquarters' 第十九条 statistics: kept in 元, typed first in 万元
    revenue_yuan: Money = Field(title="本年度营业收入（元）", json_schema_extra={"form_unit": "万元"})
    # as geohazards' GD-1 register: kept in 万元 (the title says so)
    property_wan: Money = Field(Decimal("0"), title="威胁财产（万元）")


def test_amounts_typed_in_wan_or_yuan_are_converted_exactly():
    fields = {f.name: f for f in form_fields(StatsInput)}
    assert (fields["revenue_yuan"].base_unit, fields["revenue_yuan"].money_unit) == ("yuan", "wan")
    assert (fields["property_wan"].base_unit, fields["property_wan"].money_unit) == ("wan", "wan")
    # the unit is in the select, not repeated in the label
    assert fields["revenue_yuan"].label == "本年度营业收入"
    # 63号 附件 第六条(一): 营业收入 5000万元 — typed in 万元, kept as 50,000,000 元 (×10000)
    data, typed, errors = form_parse(StatsInput, post(revenue_yuan="5000", revenue_yuan__unit="wan",
                                                      property_wan="", property_wan__unit="wan"))
    assert data == {"revenue_yuan": "50000000"} and errors == {}
    assert typed["revenue_yuan"] == "5000" and typed["revenue_yuan__unit"] == "wan"
    # exact, no float: 0.0001 万元 = 1 元; 1,234.56 元 stays 1234.56 in a yuan field
    assert form_parse(StatsInput, post(revenue_yuan="0.0001", revenue_yuan__unit="wan"))[0] == {
        "revenue_yuan": "1"}
    data = form_parse(StatsInput, post(revenue_yuan="1,234.56", revenue_yuan__unit="yuan"))[0]
    assert data["revenue_yuan"] == "1234.56"
    assert validate_input(StatsInput, data, step_label="报送").revenue_yuan == Decimal("1234.56")
    # a field kept in 万元 typed in 元: 12,300 元 = 1.23 万元
    data, _, errors = form_parse(StatsInput, post(revenue_yuan="1", property_wan="12300",
                                                  property_wan__unit="yuan"))
    assert data["property_wan"] == "1.23" and errors == {}
    # 123 元 would be 0.0123 万元, finer than the fen the field keeps: refused by the form
    _, _, errors = form_parse(StatsInput, post(revenue_yuan="1", property_wan="123",
                                               property_wan__unit="yuan"))
    assert errors["property_wan"].startswith("威胁财产：123元折合0.0123万元")
    # 1.2345678 万元 = 12345.678 元: more than two decimals of 元
    _, _, errors = form_parse(StatsInput, post(revenue_yuan="1.2345678", revenue_yuan__unit="wan"))
    assert "12345.678元" in errors["revenue_yuan"]
    # not a number: passed on as typed, for the validation to name in Chinese
    data, typed, _ = form_parse(StatsInput, post(revenue_yuan="五千", revenue_yuan__unit="wan"))
    assert data["revenue_yuan"] == "五千"
    with pytest.raises(StepInputInvalid) as exc:
        validate_input(StatsInput, data, step_label="报送")
    assert exc.value.errors[0]["message"] == "本年度营业收入（元）：应为数字"


def test_a_refused_amount_comes_back_in_the_unit_typed():
    data, typed, _ = form_parse(StatsInput, post(revenue_yuan="2500", revenue_yuan__unit="wan"))
    fields = {f.name: f for f in form_fields(StatsInput, values={**data, **typed},
                                              errors={"revenue_yuan": "有误"})}
    assert (fields["revenue_yuan"].text, fields["revenue_yuan"].money_unit) == ("2500", "wan")
    # a stored amount (yuan) with no unit typed is shown in the form's unit: 2500万元
    fields = {f.name: f for f in form_fields(StatsInput, values={"revenue_yuan": "25000000"})}
    assert (fields["revenue_yuan"].text, fields["revenue_yuan"].money_unit) == ("2500", "wan")
    html = render_to_string("procedures/_money_input.html", {
        "f": fields["revenue_yuan"], "fid": "x-revenue_yuan"})
    assert 'value="2500"' in html and '<option value="wan" selected>万元</option>' in html
    assert 'aria-label="本年度营业收入的单位"' in html
