"""JSON and Akoma Ntoso exports of a gazette document.

Hand-built fixtures here; the parsed seed issue is exported in test_exports_seed.py.
"""

import json
from datetime import date

import pytest
from django.conf import settings
from lxml import etree

from kmgov.gazette.exports import (
    AKN_NS,
    chinese_date,
    cited_uri,
    cn_number,
    document_from_json,
    document_to_akn,
    document_to_json,
    label_number,
    work_uri,
)
from kmgov.gazette.parsed import (
    ParsedAppointment,
    ParsedCrossRef,
    ParsedDocument,
    ParsedIssue,
    ParsedNode,
    ParsedTable,
)

AKN_DIR = settings.SHARED_DIR / "standards" / "akoma-ntoso"
NS = {"a": AKN_NS}
HIERARCHY = ("chapter", "article", "section", "point", "paragraph", "hcontainer", "attachment")


@pytest.fixture(scope="session")
def akn_schema():
    xsd = AKN_DIR / "akomantoso30.xsd"
    assert xsd.exists(), f"the Akoma Ntoso schema is read from ../shared: {xsd} is missing"
    return etree.XMLSchema(etree.parse(str(xsd)))  # from its path: it imports xml.xsd relatively


def validated(schema, xml: bytes):
    tree = etree.fromstring(xml)
    assert schema.validate(tree), "\n".join(str(e) for e in schema.error_log)
    return tree


# ---------------------------------------------------------------------------- fixtures

ISSUE = ParsedIssue(city="昆明市", title="昆明市人民政府公报", editor="昆明市人民政府办公厅编",
                    issue_date=date(2010, 8, 10), year=2010, number=15, serial=142,
                    title_en="GAZETTE OF KUNMING MUNICIPAL PEOPLE'S GOVERNMENT")

N = ParsedNode


def table_node(path, label="表", kind="table", **table):
    return N(kind, label, path, table=ParsedTable(kind=kind, **table))


def opinion() -> ParsedDocument:
    """59号-like: preamble, sections with items and numbered items, two annexed tables."""
    plan = table_node(
        "附件1 表", caption="滇池流域各县区耕地面积及年度调整计划表",
        header=["县区", "耕地面积", "2010 年 调整面积", "2011 年 调整面积"],
        rows=[["五华", 6337, None, 6337], ["呈贡", 4579.5, 4579.5, None],
              ["合计", 342473.6, 18579.5, 82237]],
        unit="亩", note="此表依据 5 月 21 日各县区农业局上报情况统计。")
    cost = table_node("附件2 表", caption="经费测算表", header=["年份", "合计"],
                      rows=[[2010, 2700], [2011, 10600]], unit="万元/万亩")
    return ParsedDocument(
        docno="昆政发〔2010〕59号", docno_printed="昆政发〔2010〕59号", series="昆政发", year=2010,
        number="59", issuer="昆明市人民政府", title="昆明市人民政府关于滇池流域农业产业结构调整的实施意见",
        addressees="各县（市）、区人民政府，市政府各委办局、各直属机构",
        signed_on=date(2010, 6, 22), section="市政府文件", page=1,
        toc_title="昆明市人民政府关于滇池流域农业产业结构调整的实施意见", order=1,
        nodes=[
            N("preamble", "", "前言", text="“十一五”期间，……特提出如下实施意见。", line=60),
            N("section", "一、", "一", heading="调整滇池流域农业产业结构的必要性和紧迫性",
              text="滇池流域2920平方公里范围内……\n为此，要把调整滇池流域农业产业结构……来抓。"),
            N("section", "二、", "二", heading="指导思想和目标任务", children=[
                N("item", "（一）", "二(一)", heading="指导思想", text="深入贯彻落实科学发展观……"),
                N("item", "（二）", "二(二)", heading="目标任务", text="年度调减计划为：", children=[
                    N("item", "1.", "二(二)1", text="2010 年调整 1.9 万亩。"),
                    N("item", "2.", "二(二)2", text="2011 年调整 8.2 万亩。"),
                ]),
            ]),
            N("section", "四、", "四", heading="扶持政策", children=[
                N("item", "（五）", "四(五)", heading="土地流转补助政策",
                  text="根据《昆明市人民政府关于印发推进城乡一体化工作系列文件的通知》"
                       "（昆政发〔2010〕8 号）有关规定，执行……"),
                N("paragraph", "", "四(五)¶2", text="滇池流域涉及农业设施拆迁的补助，由各县区自行研究制定。"),
            ]),
            N("annex", "附件1", "附件1", heading="滇池流域各县区耕地面积及年度调整计划表",
              children=[plan]),
            N("annex", "附件2", "附件2", heading="经费测算表", children=[cost]),
        ],
        crossrefs=[ParsedCrossRef(docno="昆政发〔2010〕8号", raw="昆政发〔2010〕8 号",
                                  title="昆明市人民政府关于印发推进城乡一体化工作系列文件的通知",
                                  node_path="四(五)")],
    )


def measures() -> ParsedDocument:
    """62号-like: an opinion whose annexes are measures (chapters, articles, items) and an
    index system (sections, a table inside a section)."""
    chapter1 = N("chapter", "第一章", "附件1 第一章", heading="总 则", children=[
        N("article", "第一条", "附件1 第一条", text="为推进……制定本办法。"),
        N("article", "第二条", "附件1 第二条", text="本办法所称商务楼宇是指……"),
    ])
    chapter3 = N("chapter", "第三章", "附件1 第三章", heading="商务楼宇的申报、审核、认定", children=[
        N("article", "第八条", "附件1 第八条", text="商务楼宇、入驻企业申报奖励扶持必须提供以下材料：",
          children=[N("item", "（一）", "附件1 第八条(一)", text="商务楼宇认定申请；"),
                    N("item", "（二）", "附件1 第八条(二)", text="商务楼宇的土地证、产权证复印件；")]),
        N("article", "第二十四条", "附件1 第二十四条", text="本办法由……负责解释。"),
    ])
    index = table_node("附件2 一(二) 表", label="", caption="昆明楼宇经济发展指数评价指标体系",
                       header=["", "领域", "序号", "指标名称", "单位"],
                       rows=[["发展基础", "经济基础", 1, "地区生产总值", "亿元"],
                             [None, None, 3, "服务业增加值占 GDP 比重", "%"]])
    return ParsedDocument(
        docno="昆政发〔2010〕62号", docno_printed="昆政发〔2010〕62号", series="昆政发", year=2010,
        number="62", issuer="昆明市人民政府", title="昆明市人民政府关于促进楼宇经济发展的指导意见",
        signed_on=date(2010, 6, 23), page=16, order=4,
        nodes=[
            N("section", "一、", "一", heading="提高认识", text="……"),
            N("annex", "附件1", "附件1", heading="昆明市楼宇企业认定管理办法",
              children=[chapter1, chapter3]),
            N("annex", "附件2", "附件2", heading="昆明市楼宇经济发展指数评价体系", children=[
                N("preamble", "", "附件2 前言", text="楼宇经济作为城市经济发展中的新型经济形态……"),
                N("section", "一、", "附件2 一", heading="指标体系的构建", children=[
                    N("item", "（二）", "附件2 一(二)", heading="基本框架", text="具体是：",
                      children=[index]),
                ]),
            ]),
        ],
    )


def notice_forms() -> ParsedDocument:
    """107号-like: a one-paragraph notice, a plan annex and two zero-report forms."""
    form = table_node("附件 表一", label="表一", kind="form", caption="安全生产“一岗双责”不落实零申报表",
                      header=["序号", "申报内容", "落实", "不落实"],
                      rows=[[1, "各级政府……签订率 100%", None, None], [2, "部门主要领导……", None, None]],
                      meta={"title": "安全生产“一岗双责”不落实零申报表",
                            "number_printed": "安全生产监管“市域全覆盖”零申报表一",
                            "top_fields": ["申报单位", "申报时间"],
                            "header_fields": ["申报单位主要负责人", "申报单位分管领导"],
                            "column_groups": {"申报情况": ["落实", "不落实"]},
                            "remarks_label": "申报说明",
                            "footer_fields": ["填表人", "审核人", "联系电话"],
                            "printed_with": "（盖章）"})
    form2 = table_node("附件 表二", label="表二", kind="form", caption="目标责任状不落实零申报表",
                       header=["序号", "申报内容"], rows=[])
    return ParsedDocument(
        docno="昆政办〔2010〕107号", docno_printed="昆政办〔2010〕107号", series="昆政办", year=2010,
        number="107", issuer="昆明市人民政府办公厅",
        title="昆明市人民政府办公厅关于印发安全生产监管“市域全覆盖”零申报工作实施方案的通知",
        addressees="各县（市）、区人民政府，市政府各委办局、各直属机构",
        signed_on=date(2010, 4, 29), section="市政府办公厅文件", page=46, order=7,
        nodes=[
            N("preamble", "", "前言", text="《昆明市安全生产监管“市域全覆盖”零申报工作实施方案》已经市政府同意，"
              "现印发给你们，请结合《昆明市人民政府关于建立安全生产监管“市域全覆盖”制度的通知》"
              "（昆政发〔2010〕31号）要求，认真贯彻落实。"),
            N("annex", "", "附件", heading="昆明市安全生产监管“市域全覆盖”零申报工作实施方案",
              text="为完善安全生产监管体系……制定本实施方案。", children=[
                  N("section", "一、", "附件 一", heading="总体要求", text="通过建立……"),
                  N("section", "五、", "附件 五", heading="申报内容", children=[
                      N("item", "（七）", "附件 五(七)", heading="事故报告和调查处理不落实零申报",
                        text="按照《安全生产事故报告和调查处理条例》（国务院令 第 493 号）规定……"),
                  ]),
                  form, form2]),
        ],
        crossrefs=[ParsedCrossRef("昆政发〔2010〕31号", "昆政发〔2010〕31号", node_path="前言"),
                   ParsedCrossRef("国务院令第493号", "国务院令 第 493 号", node_path="附件 五(七)"),
                   ParsedCrossRef("国办发〔2009〕59号", "国办发〔2009〕59 号", node_path="附件 九")],
    )


def notice_measures() -> ParsedDocument:
    """106号-like: the notice's only text is its operative paragraph; the measures are articles
    without chapters; an unsigned copy (issue date instead) with a stray control character."""
    return ParsedDocument(
        docno="昆政办〔2010〕106号", docno_printed="昆政办〔2010〕106 号", series="昆政办", year=2010,
        number="106", issuer="昆明市人民政府办公厅",
        title="昆明市人民政府办公厅关于印发昆明市安全生产警示管理办法（试行）的通知",
        toc_title="昆明市人民政府办公厅关于印发《昆明市安全生产警示管理办法(试行)》的通知",
        nodes=[
            N("preamble", "", "前言", text="《昆明市安全生产警示管理办法（试行）》已经市政府同意，\x0c现印发给你们。"),
            N("annex", "", "附件", heading="昆明市安全生产警示管理办法（试行）", children=[
                N("article", "第一条", "附件 第一条", text="为加强安全生产监督管理工作……"),
                N("article", "第四条", "附件 第四条", text="有下列情况之一的……", children=[
                    N("item", "（一）", "附件 第四条(一)", text="有关领导干部未认真履行……；"),
                    N("item", "（一）", "附件 第四条(一)#2", text="（重复的标号）"),
                ]),
            ]),
        ],
    )


def appointments() -> ParsedDocument:
    return ParsedDocument(
        docno="昆政任〔2010〕1-8号", docno_printed="昆政任〔2010〕1—8 号", series="昆政任", year=2010,
        number="1-8", issuer="人事任免", title="人事任免", section="人事任免", page=76, order=12,
        appointments=[
            ParsedAppointment("黄云波", "appoint_concurrent", "董事长", "昆明发展投资集团有限公司",
                              source="黄云波同志兼任昆明发展投资集团有限公司董事长；", order=1),
            ParsedAppointment("孟光寿", "appoint", "副主任", "昆明经济技术开发区管委会",
                              qualifiers=["正县级", "试用期一年"], rank="正县级", probation_years=1,
                              source="孟光寿同志任昆明经济技术开发区管委会副主任（正县级，试用期一年）；",
                              order=2),
            ParsedAppointment("陈跃明", "appoint", "副局长", "昆明市商务局", qualifiers=["挂职一年"],
                              secondment_years=1, order=3),
            ParsedAppointment("杨志华", "remove", "副秘书长", "昆明市人民政府", order=4),
            ParsedAppointment("田文", "remove", "主任", "昆明市土地储备中心", order=5),
        ],
    )


FIXTURES = {"opinion": opinion, "measures": measures, "notice_forms": notice_forms,
            "notice_measures": notice_measures, "appointments": appointments}


@pytest.fixture(params=sorted(FIXTURES))
def doc(request) -> ParsedDocument:
    return FIXTURES[request.param]()


# ---------------------------------------------------------------------------- every fixture

def test_akn_validates_against_the_oasis_schema(akn_schema, doc):
    tree = validated(akn_schema, document_to_akn(ISSUE, doc))
    assert tree.tag == f"{{{AKN_NS}}}akomaNtoso"
    assert tree.xpath("string(//a:preface//a:docNumber)", namespaces=NS) == doc.docno


def test_every_hierarchy_element_has_a_unique_eid(doc):
    tree = etree.fromstring(document_to_akn(ISSUE, doc))
    eids = tree.xpath("//@eId")
    assert len(eids) == len(set(eids))
    for tag in HIERARCHY:
        for el in tree.iterfind(f".//{{{AKN_NS}}}{tag}"):
            assert el.get("eId"), etree.tostring(el)[:200]


def test_json_round_trips(doc):
    d = document_to_json(ISSUE, doc)
    text = json.dumps(d, ensure_ascii=False)  # everything JSON-serialisable
    assert document_from_json(json.loads(text)) == doc


def test_exports_are_stable(doc):
    assert document_to_akn(ISSUE, doc) == document_to_akn(ISSUE, doc)
    assert document_to_json(ISSUE, doc) == document_to_json(ISSUE, doc)


# ---------------------------------------------------------------------------- content

def x(tree, path):
    return tree.xpath(path, namespaces=NS)


def test_opinion_identification_and_preface(akn_schema):
    tree = validated(akn_schema, document_to_akn(ISSUE, opinion()))
    act = x(tree, "/a:akomaNtoso/a:act")[0]
    assert act.get("name") == "opinion"
    work = "/akn/cn-km/act/2010/kzf-59"
    assert x(act, "string(a:meta//a:FRBRWork/a:FRBRuri/@value)") == work
    assert x(act, "string(a:meta//a:FRBRWork/a:FRBRthis/@value)") == work + "/!main"
    assert x(act, "string(a:meta//a:FRBRExpression/a:FRBRuri/@value)") == work + "/zho@2010-06-22"
    assert x(act, "string(a:meta//a:FRBRWork/a:FRBRdate/@date)") == "2010-06-22"
    author = x(act, "string(a:meta//a:FRBRWork/a:FRBRauthor/@href)")
    assert x(act, f"string(a:meta/a:references/a:TLCOrganization[@eId='{author[1:]}']/@showAs)") \
        == "昆明市人民政府"
    assert x(act, "string(a:preface//a:docTitle/a:docProponent)") == "昆明市人民政府"
    assert x(act, "string(a:preface//a:docTitle)") == opinion().title
    assert x(act, "string(a:preface/a:container[@name='addressees']/a:p)").startswith("各县（市）")
    date_el = x(act, "a:conclusions//a:date")[0]
    assert (date_el.get("date"), date_el.text) == ("2010-06-22", "二〇一〇年六月二十二日")
    assert x(act, "string(a:meta/a:publication/@date)") == "2010-08-10"


def test_opinion_body_structure(akn_schema):
    tree = validated(akn_schema, document_to_akn(ISSUE, opinion()))
    body = x(tree, "//a:act/a:body")[0]
    assert x(tree, "string(//a:act/a:preamble/a:container/a:p)").startswith("“十一五”")
    assert [s.get("eId") for s in x(body, "a:section")] == ["sec_1", "sec_2", "sec_4"]
    point = x(body, "a:section[@eId='sec_2']/a:point[@eId='sec_2__point_2']")[0]
    assert x(point, "string(a:num)") == "（二）" and x(point, "string(a:heading)") == "目标任务"
    assert x(point, "string(a:intro/a:p)") == "年度调减计划为："  # text + children → intro
    assert [p.get("eId") for p in x(point, "a:point")] == ["sec_2__point_2__point_1",
                                                          "sec_2__point_2__point_2"]
    assert x(body, "string(a:section[@eId='sec_1']/a:content/a:p[2])").startswith("为此")
    ref = x(body, ".//a:point[@eId='sec_4__point_5']//a:ref")[0]
    assert ref.get("href") == "/akn/cn-km/act/2010/kzf-8" and ref.text == "昆政发〔2010〕8 号"
    assert x(tree, "string(//a:references/a:TLCReference/@href)") == "/akn/cn-km/act/2010/kzf-8"
    assert x(body, "string(.//a:paragraph[@eId='sec_4__para_1']/@kmgov:path)".replace(
        "kmgov:path", "*[local-name()='path']")) == "四(五)¶2"


def test_opinion_tables_in_attachments(akn_schema):
    tree = validated(akn_schema, document_to_akn(ISSUE, opinion()))
    atts = x(tree, "//a:act/a:attachments/a:attachment")
    assert [a.get("eId") for a in atts] == ["att_1", "att_2"]
    inner = x(atts[0], "a:doc")[0]
    assert inner.get("name") == "annex"
    assert x(inner, "string(a:meta//a:FRBRWork/a:FRBRthis/@value)") == \
        "/akn/cn-km/act/2010/kzf-59/!att_1"
    table = x(inner, ".//a:hcontainer[@name='table']/a:content/a:table")[0]
    assert x(table, "string(a:caption)") == "滇池流域各县区耕地面积及年度调整计划表"
    rows = x(table, "a:tr")
    assert [x(c, "string(a:p)") for c in rows[0]] == ["县区", "耕地面积", "2010 年 调整面积",
                                                   "2011 年 调整面积"]
    assert [x(c, "string(a:p)") for c in rows[2]] == ["呈贡", "4579.5", "4579.5", ""]
    assert rows[2][3].get("class") is None and len(rows[2][3]) == 0  # None → empty <td/>
    assert x(table, "string(a:tr[4]/a:td[2]/a:p)") == "342473.6"
    assert x(inner, "string(.//a:p[@class='unit'])") == "单位：亩"
    assert x(inner, "string(.//a:p[@class='note'])").startswith("此表依据")


def test_measures_annex_is_an_act_with_chapters_and_articles(akn_schema):
    tree = validated(akn_schema, document_to_akn(ISSUE, measures()))
    act = x(tree, "//a:attachment[@eId='att_1']/a:act")[0]
    assert act.get("name") == "measures"
    assert x(act, "string(a:preface//a:docTitle)") == "昆明市楼宇企业认定管理办法"
    assert len(x(act, "a:body/a:chapter")) == 2
    assert len(x(act, "a:body//a:article")) == 4
    art8 = x(act, ".//a:article[@eId='att_1__chp_3__art_8']")[0]
    assert [p.get("eId") for p in x(art8, "a:point")] == ["att_1__chp_3__art_8__point_1",
                                                         "att_1__chp_3__art_8__point_2"]
    assert x(act, "string(.//a:article[a:num='第二十四条']/@eId)") == "att_1__chp_3__art_24"
    # annex 2: preamble container, and a table nested under a point of a section
    doc2 = x(tree, "//a:attachment[@eId='att_2']/a:doc")[0]
    assert x(doc2, "string(a:preamble/a:container/@eId)") == "att_2__preamble_1"
    cell = x(doc2, "string(.//a:point[@eId='att_2__sec_1__point_2']"
                   "/a:hcontainer[@name='table']//a:tr[2]/a:td[4]/a:p)")
    assert cell == "地区生产总值"


def test_forms_and_crossrefs_in_a_notice(akn_schema):
    tree = validated(akn_schema, document_to_akn(ISSUE, notice_forms()))
    act = x(tree, "/a:akomaNtoso/a:act")[0]
    assert act.get("name") == "notice"
    # the notice's only paragraph is its body (bodyType may not be empty)
    body_ref = x(act, "a:body/a:hcontainer[@name='preamble']//a:ref")[0]
    assert body_ref.get("href") == "/akn/cn-km/act/2010/kzf-31"
    att = x(act, "a:attachments/a:attachment")[0]
    assert x(att, "string(a:heading)") == "昆明市安全生产监管“市域全覆盖”零申报工作实施方案"
    inner = x(att, "a:doc")[0]
    assert x(inner, "string(a:mainBody/a:p[1])").startswith("为完善")  # the annex's own text
    forms = x(inner, "a:mainBody/a:hcontainer[@name='form']")
    assert [f.get("eId") for f in forms] == ["att_1__form_1", "att_1__form_2"]
    content = x(forms[0], "a:content")[0]
    assert [p.get("class") for p in x(content, "a:p")] == [
        "formNumber", "formField", "formField", "formField", "formField", "formField", "formMeta"]
    assert x(content, "a:p[@class='formField']/text()")[-3:] == ["填表人：", "审核人：", "联系电话："]
    assert len(x(content, "a:p[@class='formField']/a:fillIn")) == 5
    assert x(content, "string(a:p[@class='formMeta']/a:inline[@name='printed_with'])") == "（盖章）"
    table = x(content, "a:table[@class='form']")[0]
    rows = x(table, "a:tr")
    assert x(rows[0], "a:th/a:p/text()") == ["申报单位主要负责人", "申报单位分管领导"]
    assert [(th.get("colspan"), th.get("rowspan"), x(th, "string(a:p)")) for th in rows[1]] == [
        (None, "2", "序号"), (None, "2", "申报内容"), ("2", None, "申报情况")]
    assert x(rows[2], "a:th/a:p/text()") == ["落实", "不落实"]
    assert x(rows[-1], "string(a:th/a:p)") == "申报说明" and rows[-1][1].get("colspan") == "3"
    assert x(forms[1], "string(a:content/a:table/a:tr/a:th[2]/a:p)") == "申报内容"  # plain header
    decree = x(inner, ".//a:point[@eId='att_1__sec_5__point_7']//a:ref")[0]
    assert decree.text == "国务院令 第 493 号" and decree.get("href") == "/akn/cn/act/gwyl-493"
    cited = x(tree, "//a:references/a:TLCReference/@href")
    assert "/akn/cn/act/2009/gbf-59" in cited  # not printed in any node text: recorded only


def test_unsigned_notice_uses_the_issue_date_and_drops_control_characters(akn_schema):
    xml = document_to_akn(ISSUE, notice_measures())
    tree = validated(akn_schema, xml)
    assert b"\x0c" not in xml
    assert x(tree, "string(//a:FRBRWork/a:FRBRdate/@date)") == "2010-08-10"
    assert x(tree, "string(//a:FRBRWork/a:FRBRdate/@name)") == "publication"
    assert not x(tree, "//a:conclusions")
    assert x(tree, "string(//a:FRBRWork/a:FRBRalias[@name='tocTitle']/@value)").startswith("昆明市")
    measures_act = x(tree, "//a:attachment/a:act")[0]
    assert len(x(measures_act, "a:body/a:article")) == 2
    # a label printed twice under one article still gets its own eId
    assert x(measures_act, ".//a:article[@eId='att_1__art_4']/a:point/@eId") == [
        "att_1__art_4__point_1", "att_1__art_4__point_1_2"]


def test_appointments_are_structured_records(akn_schema):
    tree = validated(akn_schema, document_to_akn(ISSUE, appointments()))
    d = x(tree, "/a:akomaNtoso/a:doc")[0]
    assert d.get("name") == "appointments"
    assert x(d, "string(a:meta//a:FRBRWork/a:FRBRuri/@value)") == "/akn/cn-km/doc/2010/kzr-1-8"
    assert x(d, "string(a:meta//a:FRBRWork/a:FRBRauthor/@href)") == "#kmszf"
    assert x(d, "string(a:meta//a:FRBRWork/a:FRBRdate/@date)") == "2010-08-10"
    assert len(x(d, "a:meta/a:proprietary/*/*[local-name()='appointment']")) == 5
    appoint = x(d, "a:mainBody/a:hcontainer[@name='appoint']//a:item")
    remove = x(d, "a:mainBody/a:hcontainer[@name='remove']//a:item")
    assert (len(appoint), len(remove)) == (3, 2)
    assert x(appoint[0], "string(a:p)") == "黄云波同志兼任昆明发展投资集团有限公司董事长"
    assert x(appoint[1], "string(a:p)") == "孟光寿同志任昆明经济技术开发区管委会副主任（正县级，试用期一年）"
    assert x(remove[1], "string(a:p)") == "田文同志昆明市土地储备中心主任职务"
    assert x(appoint[1], "string(a:p/a:role/@*[local-name()='probationYears'])") == "1"
    assert x(appoint[1], "string(a:p/a:role/@*[local-name()='action'])") == "appoint"
    person = x(appoint[1], "a:p/a:person")[0]
    tlc = x(d, f"a:meta/a:references/a:TLCPerson[@eId='{person.get('refersTo')[1:]}']")[0]
    assert tlc.get("showAs") == "孟光寿"
    role = x(d, f"a:meta/a:references/a:TLCRole[@eId='{person.get('as')[1:]}']/@showAs")
    assert role == ["副主任"]


def test_printed_appointment_lines_are_marked_up_in_place(akn_schema):
    """As the parser gives them: the records' lines are the text of the 任命：/免去： nodes."""
    doc = appointments()
    doc.appointments.append(ParsedAppointment(
        "杨志华", "appoint", "主任", "昆明空港经济区管委会", order=6,
        source="杨志华同志任昆明空港经济区管委会主任，免去昆明市人民政府副秘书长职务；"))
    doc.appointments[3].source = doc.appointments[5].source  # the 免去 half of the same line
    doc.appointments[3].order = 7  # printed after the 任 half
    doc.appointments[4].source = "田 文同志昆明市土地储备中心主任职务；"
    doc.appointments[2].source = "陈跃明同志任昆明市商务局副局长（挂职一年）；"
    doc.nodes = [
        N("section", "任命：", "任命", text="\n".join(a.source for a in doc.appointments[:3])),
        N("section", "", "任命 续", text=doc.appointments[5].source),
        N("section", "免去：", "免去", text=doc.appointments[4].source),
    ]
    tree = validated(akn_schema, document_to_akn(ISSUE, doc))
    body = x(tree, "//a:doc/a:mainBody")[0]
    assert not x(body, "a:hcontainer")  # nothing rendered twice
    lines = x(body, "a:section/a:content/a:p")
    assert [x(p, "string(.)") for p in lines] == [
        a.source for a in doc.appointments[:3]] + [doc.appointments[5].source,
                                                   doc.appointments[4].source]
    both = lines[3]
    assert x(both, "a:person/text()") == ["杨志华"]
    assert x(both, "a:organization/text()") == ["昆明空港经济区管委会", "昆明市人民政府"]
    assert x(both, "a:role/@*[local-name()='action']") == ["appoint", "remove"]
    assert x(lines[4], "a:person/text()") == ["田 文"]  # printed spacing kept
    person = x(lines[4], "string(a:person/@refersTo)")[1:]
    assert x(tree, f"string(//a:TLCPerson[@eId='{person}']/@showAs)") == "田文"


def test_crossref_printed_in_a_form_cell(akn_schema):
    doc = notice_forms()
    form = doc.nodes[1].children[2]
    form.table.rows[0][1] = "按照《国务院办公厅关于加强基层应急队伍建设的意见》（国办发〔2009〕59号）规定"
    doc.crossrefs[2].node_path = form.path
    tree = validated(akn_schema, document_to_akn(ISSUE, doc))
    assert x(tree, "string(//a:hcontainer[@eId='att_1__form_1']//a:td/a:p/a:ref/@href)") == \
        "/akn/cn/act/2009/gbf-59"


def test_json_shape():
    d = document_to_json(ISSUE, opinion())
    assert d["uri"] == work_uri(opinion()) == "/akn/cn-km/act/2010/kzf-59"
    assert d["issue"]["issue_date"] == "2010-08-10" and d["issue"]["serial"] == 142
    meta = d["document"]
    assert (meta["docno"], meta["signed_on"], meta["page"]) == ("昆政发〔2010〕59号", "2010-06-22", 1)
    sec2 = d["nodes"][2]
    assert (sec2["kind"], sec2["label"], sec2["eid"]) == ("section", "二、", "sec_2")
    table = d["nodes"][4]["children"][0]["table"]
    assert table["rows"][1] == ["呈贡", 4579.5, 4579.5, None]
    assert d["crossrefs"][0]["node_path"] == "四(五)"
    assert document_to_json(ISSUE, appointments())["appointments"][1]["qualifiers"] == [
        "正县级", "试用期一年"]


# ---------------------------------------------------------------------------- helpers

@pytest.mark.parametrize("text, n", [("七", 7), ("十", 10), ("十一", 11), ("二十四", 24),
                                     ("一百零三", 103), ("二〇", 20)])
def test_chinese_numerals(text, n):
    assert cn_number(text) == n


@pytest.mark.parametrize("label, n", [("第七条", 7), ("第二十四条", 24), ("（二）", 2), ("(五)", 5),
                                      ("一、", 1), ("1.", 1), ("（1）", 1), ("附件1", 1),
                                      ("表一", 1), ("附件", None), ("", None)])
def test_label_numbers(label, n):
    assert label_number(label) == n


def test_chinese_dates():
    assert chinese_date(date(2010, 6, 22)) == "二〇一〇年六月二十二日"
    assert chinese_date(date(2010, 5, 10)) == "二〇一〇年五月十日"
    assert chinese_date(date(2010, 12, 31)) == "二〇一〇年十二月三十一日"


@pytest.mark.parametrize("docno, uri", [
    ("昆政发〔2010〕59号", "/akn/cn-km/act/2010/kzf-59"),
    ("昆政办〔2009〕117号", "/akn/cn-km/act/2009/kzb-117"),
    ("昆政任〔2010〕1-8号", "/akn/cn-km/doc/2010/kzr-1-8"),
    ("云政发〔2010〕54号", "/akn/cn/act/2010/yzf-54"),
    ("国务院令第493号", "/akn/cn/act/gwyl-493"),
    ("某某发〔2010〕1号", "/akn/cn/act/2010/%E6%9F%90%E6%9F%90%E5%8F%91-1"),
])
def test_cited_uris(docno, uri):
    assert cited_uri(docno) == uri


def test_odd_shapes_still_validate(akn_schema):
    """Kinds AKN has no element for, an empty node, a nested annex, an empty table, no nodes."""
    odd = ParsedDocument(
        docno="昆政办〔2010〕999号", docno_printed="昆政办〔2010〕999号", series="昆政办", year=2010,
        number="999", issuer="", title="",
        nodes=[
            N("list item", "", "x", text="未知类型"),
            N("section", "一、", "一"),
            N("section", "二、", "二", children=[
                N("annex", "附件", "二 附件", text="嵌套附件"),
                table_node("二 表", caption="", header=[], rows=[[]])]),
            N("annex", "附件", "附件"),
        ])
    tree = validated(akn_schema, document_to_akn(ISSUE, odd))
    assert x(tree, "string(//a:body/a:hcontainer[1]/@name)") == "listitem"
    assert x(tree, "string(//a:section[@eId='sec_2']/a:hcontainer[@name='annex']/a:content/a:p)") \
        == "嵌套附件"
    assert x(tree, "string(//a:FRBRWork/a:FRBRauthor/@href)") == "#kmszfbgt"  # by series
    empty = ParsedDocument(docno="昆政发〔2010〕1号", docno_printed="", series="昆政发", year=2010,
                           number="1", issuer="昆明市人民政府", title="无正文")
    validated(akn_schema, document_to_akn(ISSUE, empty))
    assert document_from_json(document_to_json(ISSUE, odd)) == odd
