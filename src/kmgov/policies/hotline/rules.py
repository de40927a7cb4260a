"""昆政办〔2010〕116号 关于昆明市政务信息查询96128专线服务“三个延伸”建设的实施意见 —
routing of a request (三(四)), service hours (三(二)), access-platform type (三(一))."""

from __future__ import annotations

import enum

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_
from pydantic import Field

from kmgov.rules import Ctx, RuleInput, rule

DOC = "昆政办〔2010〕116号"


class RequestType(str, enum.Enum):
    query = "query"
    approval = "approval"
    complaint = "complaint"
    report = "report"
    suggestion = "suggestion"
    consultation = "consultation"
    other = "other"


class RouteInput(RuleInput):
    ALIASES = {"request_type": {"查询": "query", "行政审批": "approval", "投诉": "complaint", "举报": "report",
                                "建议": "suggestion", N_("咨询"): "consultation", "其他": "other"}}
    request_type: RequestType = Field(description=N_("query 查询 / approval 行政审批 / complaint 投诉 / report 举报 / suggestion 建议 / consultation 专业咨询 / other"))
    faq_authorised: bool = Field(default=False, description=N_("有部门授权、在授权期内的FAQ答案"))
    public_utility: bool = Field(default=False, description=N_("供水、供电、煤气、公交、医保、社保、公积金、路况、违章等公共服务信息"))
    working_hours: bool = Field(default=True, description=N_("法定工作时间内"))


#: Where a call goes, in the caller's terms (三(四)1—4).
ROUTE_WORDS = {
    "answer_directly": N_("属于授权的查询服务，由96128平台直接答复（%(doc)s 三(四)1）"),
    "government_service_bureau": N_("涉及行政审批，由96128平台直接转接至市各级政务服务管理局受理办理和答复（%(doc)s 三(四)2）"),
    "mayors_hotline_12345": N_("涉及投诉、举报或建议，由96128平台直接转至12345平台，由市长热线办办理（%(doc)s 三(四)3）"),
    "access_platform_or_liaison": N_("属于未授权的查询或专业性较强的咨询，转至相应的接入平台或联络员受理、办理和答复（%(doc)s 三(四)4）"),
}


def _route_plain(decision, result, focus) -> None:
    words = ROUTE_WORDS.get(decision.get("destination") or "")
    if not words:
        return
    s = gettext(words) % {"doc": DOC}
    if decision.get("handled_now") is False:
        s += gettext("；来电在非法定工作时间，由话务平台录音答录，工作时间内及时整理办理（%(doc)s 三(二)）") % {"doc": DOC}
    result["sentence"] = gettext("%(o)s。") % {"o": s}


@rule(
    "hotline.route",
    title="96128来电的去向",
    inputs=RouteInput,
    outputs=("destination", "target", "provision", "handled_now"),
    plain=_route_plain,
    cite=[(DOC, "三(四)1", "授权专线平台解答的查询服务"), (DOC, "三(四)2", "涉及行政审批的事项，由96128和12345平台直接转接至市各级政务服务管理局"),
          (DOC, "三(四)3", "涉及投诉、举报和建议的事项，由96128平台直接转至12345平台"),
          (DOC, "三(四)4", "其他未授权的查询服务和专业性较强的咨询服务等……转至相应的接入平台或者联络员"),
          (DOC, "三(二)", "夜间、节假日等非法定工作时间由话务平台录音答录，工作时间内及时整理")],
)
def route(c: Ctx):
    """三(四)：授权的查询（含公共服务信息）由平台直接答复；行政审批转政务服务管理局；投诉、举报、建议转12345；
    其他（含未授权的查询和专业性较强的咨询 consultation）转接入平台或联络员。三(二)：非工作时间录音，工作时间内处理。
    承办单位（target）取自解释性参数 hotline.destination_org.*，96128 工单的分流只按本规则。"""
    x = c.x
    direct = c.all(x.request_type == "query", c.any(x.faq_authorised, x.public_utility))
    dest = c.where(direct, "answer_directly",
                   c.where(x.request_type == "approval", "government_service_bureau",
                           c.where(c.isin(x.request_type, ["complaint", "report", "suggestion"]), "mayors_hotline_12345",
                                   "access_platform_or_liaison")))
    c.step("去向", dest, values={"request_type": x.request_type, "faq_authorised": x.faq_authorised, "public_utility": x.public_utility},
           cite=(DOC, "三(四)", "延伸服务方式"))
    # Who takes it: the units each destination goes to are interpretation parameters an
    # administrator may change (an org code, or "lead_department": the lead department of the
    # request's topic). The desk transfers to `target`; "" means the desk answers itself.
    target = c.where(direct, "",
                     c.where(x.request_type == "approval", c.p("destination_org.government_service_bureau"),
                             c.where(c.isin(x.request_type, ["complaint", "report", "suggestion"]),
                                     c.p("destination_org.mayors_hotline_12345"),
                                     c.p("destination_org.access_platform_or_liaison"))))
    provision = c.where(direct, "三(四)1",
                        c.where(x.request_type == "approval", "三(四)2",
                                c.where(c.isin(x.request_type, ["complaint", "report", "suggestion"]), "三(四)3", "三(四)4")))
    c.step("承办单位", target, values={"destination": dest}, cite=(DOC, "三(四)", "延伸服务方式"))
    c.p("service_hours")
    c.step("7×24：工作时间人工接听；非工作时间录音，下一工作时间处理", x.working_hours, values={"working_hours": x.working_hours})
    return {"destination": dest, "target": target, "provision": provision, "handled_now": x.working_hours}


class PlatformInput(RuleInput):
    has_123_line: bool = Field(description=N_("有123开头电话"))
    has_unified_service: bool = Field(description=N_("已建立统一服务电话或中心（窗口）"))


PLATFORM_WORDS = {
    "type1": N_("有123开头电话，属第一类平台：96128和12345专线的受理力求与123开头电话在同一地点、由同一批人接听处理"),
    "type2": N_("没有123开头电话但已建立统一服务电话或中心（窗口），属第二类平台：96128专线接入口设在统一服务电话或中心（窗口）"),
    "type3": N_("既没有123开头电话，又没有统一服务电话或中心（窗口），属第三类平台：坚持现有热线网络联动机制和联络员制度"),
}


def _platform_plain(decision, result, focus) -> None:
    words = PLATFORM_WORDS.get(decision.get("platform_type") or "")
    if words:
        result["sentence"] = gettext("%(w)s；各类平台均须坚持联络员制度（%(doc)s 三(一)）。") % {
            "w": gettext(words), "doc": DOC}


@rule(
    "hotline.platform_type",
    title="部门接入平台类型",
    inputs=PlatformInput,
    outputs=("platform_type", "liaison_required"),
    plain=_platform_plain,
    cite=[(DOC, "三(一)", "第一类平台：有123开头电话的……第二类平台：没有123开头电话，但已建立统一服务电话或中心（窗口）的……第三类平台：既没有123开头电话，又没有统一服务电话或中心（窗口）的，要坚持现有热线网络联动机制和联络员制度")],  # noqa: E501 (the gazette quoted whole)
)
def platform_type(c: Ctx):
    """三(一)：有123电话为一类；无123电话但有统一服务电话或中心为二类；都没有为三类；三类均须联络员。"""
    x = c.x
    t = c.where(x.has_123_line, "type1", c.where(x.has_unified_service, "type2", "type3"))
    c.step("平台类型", t, values={"has_123_line": x.has_123_line, "has_unified_service": x.has_unified_service})
    c.step("对于第一类、第二类平台，依然要坚持并严格联络员制度", True, cite=(DOC, "三(一)", "对于第一类、第二类平台，依然要坚持并严格联络员制度"))
    return {"platform_type": t, "liaison_required": c.full(True)}
