"""Forms from the gazette's tables: 昆政办〔2010〕107号 附件 表一 (安全生产“一岗双责”不落实零申报表,
gazette lines 1128–1145) generated as a form, filled, validated and printed back."""

import datetime as dt

import pytest
from procedures.pdftext import pdf_text

from kmgov.gazette.services import issue_ingest
from kmgov.procedures.errors import StepInputInvalid
from kmgov.procedures.inputs import form_fields, validate_input
from kmgov.procedures.tableforms import (
    CJKFontMissing,
    TableFormError,
    cjk_font_path,
    render_pdf,
    table_form,
)

pytestmark = pytest.mark.django_db

DOC = "昆政办〔2010〕107号"


@pytest.fixture
def form(seed_path):
    issue_ingest(data=seed_path.read_bytes(), source_name=seed_path.name)
    return table_form(DOC, "附件 表一")


FILLED = {
    "unit_name": "盘龙区安全生产监督管理局", "report_date": "2011-01-08", "period": "2010",
    "principal": "张三", "leader_in_charge": "李四", "filled_by": "王五", "reviewed_by": "赵六",
    "phone": "0871-65000000",
    "item_1": "落实", "item_2": "落实", "item_3": "落实", "item_4": "不落实",
    "item_4_note": "分管领导第三季度例会未召开，已于10月补开",
}


def test_the_form_is_the_table(form):
    # L1128 title; L1132 header fields; L1133–L1135 columns 序号/申报内容/申报情况(落实, 不落实);
    # L1136–L1139 four items; L1140 申报说明; L1142–L1146 填表人/审核人/联系电话.
    assert form.title == "安全生产“一岗双责”不落实零申报表"
    assert [r.number for r in form.rows] == ["1", "2", "3", "4"]
    assert form.rows[2].text == "企业主要负责人与副职签订安全生产目标责任书100%；副职与分管部门签订安全生产目标责任书100%。"
    assert form.answers == ("落实", "不落实") and form.answer_group == "申报情况"
    assert [lbl for lbl, _, _ in form.header_names()] == [
        "申报单位", "申报时间", "申报单位主要负责人", "申报单位分管领导", "填表人", "审核人", "联系电话"]
    model = form.input_model()
    assert model is form.input_model()  # one class per form
    fields = {f.name: f for f in form_fields(model)}
    assert fields["item_1"].kind == "choice"
    assert fields["item_1"].choices == [("落实", "落实"), ("不落实", "不落实")]
    assert fields["item_1"].label.startswith("第1项：各级政府、管委会主要领导与副职签订")
    assert fields["report_date"].kind == "date" and not fields["item_1_note"].required
    schema = model.model_json_schema()
    assert schema["additionalProperties"] is False and "item_4" in schema["required"]


def test_filled_validated_and_bad_answers_refused_naming_the_row(form):
    model = form.input_model()
    data = validate_input(model, FILLED, step_label="零申报")
    assert data.item_4 == "不落实" and data.report_date == dt.date(2011, 1, 8)
    # 不落实 without an explanation: refused, the message names the row (第4项 and its text).
    bad = {**FILLED, "item_4_note": "  "}
    with pytest.raises(StepInputInvalid) as exc:
        validate_input(model, bad, step_label="零申报")
    [err] = exc.value.errors
    assert err["field"] == "item_4_note"
    assert "第4项" in err["message"] and "各级政府、管委会每年至少召开常务会" in err["message"]
    assert "选择“不落实”的，须填写说明" in err["message"]
    # An answer that is not a column of the table, a missing item, an unknown field.
    with pytest.raises(StepInputInvalid) as exc:
        validate_input(model, {**FILLED, "item_1": "部分落实", "item_9": "落实"},
                       step_label="零申报")
    messages = {e["field"]: e["message"] for e in exc.value.errors}
    assert "应为以下之一" in messages["item_1"] and "不接受" in messages["item_9"]
    missing = dict(FILLED)
    del missing["item_2"]
    with pytest.raises(StepInputInvalid) as exc:
        validate_input(model, missing, step_label="零申报")
    assert exc.value.errors[0]["message"].startswith("第2项：部门主要领导与副职签订") and \
        exc.value.errors[0]["message"].endswith("必填")


def test_printed_back_as_the_same_table(form):
    data = validate_input(form.input_model(), FILLED, step_label="零申报")
    pdf = render_pdf(form, data)
    assert pdf.startswith(b"%PDF") and b"NotoSansCJK" in pdf  # the Noto CJK subset is embedded
    text = pdf_text(pdf)
    for row in form.rows:  # each row's label, as printed (wrapped lines joined)
        assert row.text in text, row.number
    for word in ("安全生产“一岗双责”不落实零申报表", "序号", "申报内容", "申报情况", "落实",
                 "不落实", "申报说明", "盘龙区安全生产监督管理局", "2011年1月8日",
                 "第4项：分管领导第三季度例会未召开，已于10月补开", "填表人：王五", "联系电话：0871-65000000"):
        assert word in text, word
    assert text.count("√") == 4


def test_missing_font_and_non_form_tables_refused(form, monkeypatch):
    import kmgov.procedures.tableforms as tf

    assert cjk_font_path().name.startswith("Noto")
    monkeypatch.setattr(tf, "FONT_DIRS", (tf.Path("/nonexistent"),))
    with pytest.raises(CJKFontMissing, match="fonts-noto-cjk"):
        cjk_font_path()
    from django.http import Http404

    with pytest.raises((TableFormError, Http404)):
        table_form(DOC, "附件 表十")


def test_two_forms_printed_in_one_process_both_keep_their_characters(form):
    """Each font subset is embedded under its own name: a second PDF with other characters
    (表一 then a notice) is not drawn with the first subset's glyphs (blank characters)."""
    import io

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from kmgov.procedures.tableforms import register_cjk_font

    first = pdf_text(render_pdf(form, validate_input(form.input_model(), FILLED, step_label="零申报")))
    assert "一岗双责" in "".join(first.split())
    text = "警示通知书：告诫整改期满顺延"
    buf = io.BytesIO()
    SimpleDocTemplate(buf).build([Paragraph(text, ParagraphStyle(
        "b", fontName=register_cjk_font(text), fontSize=11))])
    assert "".join(pdf_text(buf.getvalue()).split()) == text
