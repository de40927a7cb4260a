"""The parser against the seed issue (昆明市人民政府公报 2010年第15号).

Every expected value was read off the gazette by hand; the comment next to it gives the line
of `kunming-gazette-2010-no15.txt` it comes from ("L68" = line 68).
"""

import hashlib
import time
from datetime import date

import pytest

from kmgov.gazette.parsed import GazetteParseError
from kmgov.gazette.parser import parse_bytes, parse_issue


@pytest.fixture(scope="module")
def issue(seed_text):
    return parse_issue(seed_text)


@pytest.fixture(scope="module")
def docs(issue):
    return {d.docno: d for d in issue.documents}


def node(doc, path):
    found = [n for n in doc.walk() if n.path == path]
    assert len(found) == 1, f"{doc.docno}: {path!r} found {len(found)} times"
    return found[0]


# --------------------------------------------------------------------------------------------
# Masthead (L3–L9) and English masthead (L35–L38)
# --------------------------------------------------------------------------------------------


def test_masthead(issue, seed_text):
    assert issue.city == "昆明市"                                   # L3 "昆 明 市 人 民 政 府 公 报"
    assert issue.title == "昆明市人民政府公报"                         # L3
    assert issue.editor == "昆明市人民政府办公厅编"                     # L5
    assert issue.issue_date == date(2010, 8, 10)                    # L7 "2010 年 8 月 10 日 第 15 号"
    assert (issue.year, issue.number) == (2010, 15)                 # L7
    assert issue.serial == 142                                      # L9 "(总号: 142)"
    assert issue.title_en == "GAZETTE OF KUNMING MUNICIPAL PEOPLE'S GOVERNMENT"   # L35
    assert issue.sha256 == hashlib.sha256(seed_text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------
# Tables of contents (L11–L33 Chinese, L40–L62 English)
# --------------------------------------------------------------------------------------------

ZH_SECTIONS = ["市政府文件"] * 5 + ["市政府办公厅文件"] * 6 + ["人事任免"]   # L13, L21, L31
PAGES = [1, 7, 11, 16, 32, 43, 46, 60, 63, 67, 72, 76]                  # L15–L33
DOCNOS = [
    "昆政发〔2010〕59号", "昆政发〔2010〕60号", "昆政发〔2010〕61号", "昆政发〔2010〕62号",
    "昆政发〔2010〕63号", "昆政办〔2010〕106号", "昆政办〔2010〕107号", "昆政办〔2010〕108号",
    "昆政办〔2010〕109号", "昆政办〔2010〕111号", "昆政办〔2010〕116号", "昆政任〔2010〕1-8号",
]


def test_chinese_toc(issue):
    zh = [e for e in issue.toc if e.lang == "zh"]
    assert [e.section for e in zh] == ZH_SECTIONS
    assert [e.page for e in zh] == PAGES              # "·····(1)", "····· (11)", "·· (46)"
    assert [e.order for e in zh] == list(range(1, 13))
    assert [e.docno for e in zh] == DOCNOS
    # L15: the "- " prefix and the dot leaders are not part of the title.
    assert zh[0].title == "昆明市人民政府关于滇池流域农业产业结构调整的实施意见"
    # L28–L29: the 116号 entry wraps over two lines; the page is on the second.
    assert zh[10].title == "昆明市人民政府办公厅关于昆明市政务信息查询96128专线服务“三个延伸”建设的实施意见"
    # L26: 109号 as the TOC prints it (a 市人民政府 notice).
    assert zh[8].title == "昆明市人民政府关于切实做好2010年度地质灾害防治工作的通知"
    assert zh[11].title == "昆政任〔2010〕1—8号"   # L33 "- 昆政任〔2010〕1—8 号····· (76)"


def test_english_toc(issue):
    en = [e for e in issue.toc if e.lang == "en"]
    assert len(en) == 12                              # the "-------\t------" rule (L62) is no entry
    assert [e.page for e in en] == PAGES              # L44–L61 "\t(1)" …
    assert [e.section for e in en] == (["Documents of Kunming Municipality"] * 5     # L42
                                      + ["Documents of the General Office of Kunming Municipality"] * 6
                                      + ["Appointment and Removal"])                 # L59
    assert [e.docno for e in en] == DOCNOS           # mapped by order within the section
    # L44 "…in Dianchi Valley. ...\t(1)": the leader " ..." is dropped.
    assert en[0].title == ("Implementing Opinions on the Structural Adjustment of Agricultural "
                           "Industries in Dianchi Valley.")
    assert en[8].title == "Circular on Doing Well the Prevention and Control of Geological Disasters in 2010."
    assert en[11].title == ""                        # L61 ".....\t(76)" has no title


# --------------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------------

SIGNED = [  # the signing date lines
    date(2010, 6, 22),   # L185 二〇一〇年六月二十二日
    date(2010, 6, 22),   # L310
    date(2010, 6, 22),   # L392
    date(2010, 6, 23),   # L481 二〇一〇年六月二十三日
    date(2010, 6, 18),   # L800 二〇一〇年六月十八日
    date(2010, 4, 29),   # L922
    date(2010, 4, 29),   # L992
    date(2010, 5, 4),    # L1290 二〇一〇年五月四日
    date(2010, 5, 10),   # L1410
    date(2010, 5, 12),   # L1420
    date(2010, 5, 24),   # L1631 二〇一〇年五月二十四日
    None,                # 昆政任 has no signing date
]


def test_twelve_documents_in_order(issue):
    assert [d.docno for d in issue.documents] == DOCNOS
    assert [d.signed_on for d in issue.documents] == SIGNED
    assert [d.order for d in issue.documents] == list(range(1, 13))
    assert [d.page for d in issue.documents] == PAGES
    assert [d.section for d in issue.documents] == ZH_SECTIONS
    assert [d.issuer for d in issue.documents] == (["昆明市人民政府"] * 5
                                                  + ["昆明市人民政府办公厅"] * 6 + ["人事任免"])


def test_document_header_fields(docs):
    d = docs["昆政发〔2010〕59号"]
    assert (d.series, d.year, d.number) == ("昆政发", 2010, "59")          # L68
    assert d.title == "关于滇池流域农业产业结构调整的实施意见"                  # L66
    assert d.addressees == "各县（市）、区人民政府，市政府各委办局、各直属机构"    # L70
    assert (d.line_start, d.line_end) == (64, 223)                       # L64 issuer … L223 note
    assert d.toc_title == "昆明市人民政府关于滇池流域农业产业结构调整的实施意见"
    # L702: 63号 prints its addressees without the leading 各; kept as printed.
    assert docs["昆政发〔2010〕63号"].addressees == "县（市）、区人民政府，市政府各委办局、各直属机构"
    # L1286: 108号 is addressed to 有关 委办局.
    assert docs["昆政办〔2010〕108号"].addressees == "各县（市）、区人民政府，市政府有关委办局、各直属机构"


def test_titles_joined_and_normalised(docs):
    # L914 "关于印发昆明市安全生产警示管理 办法（试行）的通知": stray space removed.
    assert docs["昆政办〔2010〕106号"].title == "关于印发昆明市安全生产警示管理办法（试行）的通知"
    # L1282: issuer and title on ONE line.
    d108 = docs["昆政办〔2010〕108号"]
    assert d108.issuer == "昆明市人民政府办公厅"
    assert d108.title == "关于印发昆明市人民调解“以奖代补”试行方案的通知"
    assert d108.line_start == 1282
    # L1543: spaces around "96128" and before the quote removed.
    assert docs["昆政办〔2010〕116号"].title == "关于昆明市政务信息查询96128专线服务“三个延伸”建设的实施意见"
    assert docs["昆政办〔2010〕111号"].title == "关于印发昆明市建设工程质检全覆盖工作实施方案的通知"  # L1412


def test_109_toc_differs_from_body(issue, docs):
    d = docs["昆政办〔2010〕109号"]
    assert d.docno_printed == "昆政办〔2010〕109 号"                         # L1352
    assert d.issuer == "昆明市人民政府办公厅"                                # L1348
    assert d.title == "关于做好2010年度地质灾害防治工作的通知"                   # L1350
    assert d.toc_title == "昆明市人民政府关于切实做好2010年度地质灾害防治工作的通知"  # L26
    note = [n for n in issue.notes if "109号" in n]
    assert note and "切实做好" in note[0] and "昆明市人民政府办公厅" in note[0]


def test_appointment_document(docs):
    d = docs["昆政任〔2010〕1-8号"]                                         # L1633–L1635
    assert d.signed_on is None
    assert (d.issuer, d.series, d.number, d.year) == ("人事任免", "昆政任", "1-8", 2010)
    assert d.docno_printed == "昆政任〔2010〕1-8号"
    assert d.addressees == ""                  # "任命：" is a heading, not addressees
    assert [n.path for n in d.nodes] == ["任命", "免去"]                      # L1637, L1703
    assert [n.line for n in d.nodes] == [1637, 1703]


# --------------------------------------------------------------------------------------------
# Body structure and paths (GZ-2)
# --------------------------------------------------------------------------------------------


def test_outline_paths_of_59(docs):
    d = docs["昆政发〔2010〕59号"]
    pre = node(d, "序言")                                                   # L72
    assert pre.kind == "preamble" and pre.line == 72
    assert pre.text.startswith("“十一五”期间")
    one = node(d, "一")                                                    # L74
    assert (one.kind, one.label, one.line) == ("section", "一、", 74)
    assert one.heading == "调整滇池流域农业产业结构的必要性和紧迫性"
    assert node(d, "二(二)").heading == "目标任务"                            # L84 "（二）目标任务"
    sub = node(d, "三(一)")                                                 # L100 "(一) …" half-width
    assert sub.label == "(一)" and sub.heading == "农业产业结构调整重点"
    veg = node(d, "三(一)1")                                                # L104 "1. 蔬菜产业。滇池流域…"
    assert veg.heading == "蔬菜产业" and veg.text.startswith("滇池流域五华")
    assert veg.label == "1."
    assert node(d, "四(五)").heading == "土地流转补助政策"                     # L152
    assert [c.path for c in node(d, "二(二)").children] == [
        "二(二)1", "二(二)2", "二(二)3", "二(二)4"]                             # L90–L96


def test_outline_levels_down_to_4(docs):
    d107 = docs["昆政办〔2010〕107号"]
    # L1104 （九） / L1106 1. / L1110 （2）
    n = node(d107, "附件 五(九)1(2)")
    assert n.kind == "section" and n.label == "（2）" and n.line == 1110
    assert node(d107, "附件 五(九)2(1)").label == "(1)"                      # L1116 half-width
    d108 = docs["昆政办〔2010〕108号"]
    assert "一次性奖励100元" in node(d108, "附件 三(二)3(1)").text              # L1322
    d111 = docs["昆政办〔2010〕111号"]
    assert node(d111, "附件 四(一)2(3)").heading == "施工单位"                  # L1505
    # L1463 "三、工程质量安全监管“全覆盖”" is a heading even though it ends in a quote.
    assert node(d111, "附件 三").heading == "工程质量安全监管“全覆盖”"


def test_chapters_articles_items(docs):
    d63 = docs["昆政发〔2010〕63号"]
    item = node(d63, "附件 第七条(二)")                                       # L839
    assert item.kind == "item" and item.label == "(二)" and item.line == 839
    assert "现代服务业职能型总部" in item.text
    art = node(d63, "附件 第七条")                                           # L833
    assert art.kind == "article" and art.text.startswith("本办法所称职能型总部")
    assert [c.path for c in art.children] == [f"附件 第七条({n})" for n in "一二三四"]
    chapter = node(d63, "附件 第二章")                                       # L814
    assert chapter.kind == "chapter" and chapter.heading == "总部企业申请及认定标准"
    assert "附件 第七条" in [c.path for c in chapter.children]
    assert node(d63, "附件 第一章").heading == "总则"                         # L804 "第一章 总 则"
    # L818 "- （一）注册地…": the conversion's "- " is not part of the label.
    assert node(d63, "附件 第五条(一)").label == "（一）"
    d62 = docs["昆政发〔2010〕62号"]
    second = node(d62, "附件1 第二条")                                        # L489
    assert second.kind == "article" and "总建筑面积" in second.text
    assert node(d62, "附件1 第二十四条").line == 556                           # L556
    d106 = docs["昆政办〔2010〕106号"]
    assert node(d106, "附件 第四条(五)").text == "其他需要提示的情况。"          # L939


def test_annexes(docs):
    def annexes(docno):
        return [(n.label, n.heading) for n in docs[docno].nodes if n.kind == "annex"]

    assert annexes("昆政发〔2010〕59号") == [                                    # L187, L208
        ("附件1", "滇池流域各县区耕地面积及年度调整计划表"), ("附件2", "经费测算表")]
    assert annexes("昆政发〔2010〕62号") == [                                    # L483, L558
        ("附件1", "昆明市楼宇企业认定管理办法"), ("附件2", "昆明市楼宇经济发展指数评价体系")]
    assert annexes("昆政发〔2010〕63号") == [("附件", "昆明市总部企业认定管理办法")]   # L802
    assert annexes("昆政办〔2010〕106号") == [("附件", "昆明市安全生产警示管理办法（试行）")]  # L924
    assert annexes("昆政办〔2010〕107号") == [                                   # L994
        ("附件", "昆明市安全生产监管“市域全覆盖”零申报工作实施方案")]
    assert annexes("昆政办〔2010〕108号") == [("附件", "昆明市人民调解“以奖代补”试行方案")]  # L1292
    assert annexes("昆政办〔2010〕111号") == [("附件", "昆明市建设工程质检“全覆盖”工作实施方案")]
    for docno in ("昆政发〔2010〕60号", "昆政发〔2010〕61号", "昆政办〔2010〕109号",
                  "昆政办〔2010〕116号"):
        assert annexes(docno) == []
    # 106号's cover text (L920) is the preamble, the measures are the annex.
    assert node(docs["昆政办〔2010〕106号"], "序言").text.startswith("《昆明市安全生产警示管理办法")
    # 62号's own list of annexes (L478–L479).
    listing = node(docs["昆政发〔2010〕62号"], "附件目录")
    assert listing.text == "1. 昆明市楼宇企业认定管理办法\n2. 昆明市楼宇经济发展指数评价体系"
    # Text before the first heading of an annex is the annex's own text (107号 L996).
    assert node(docs["昆政办〔2010〕107号"], "附件").text.startswith("为完善安全生产监管体系")


def test_page_breaks_are_joined(docs):
    # L86 "…（包括城市" + blank + L88 "建设规划用地减少的耕地面积)…"
    assert "（包括城市建设规划用地减少的耕地面积)" in node(docs["昆政发〔2010〕59号"], "二(二)").text
    # L247 "…活立木蓄积量超过4000" + blank + L249 "万立方米…"
    assert "活立木蓄积量超过4000万立方米" in node(docs["昆政发〔2010〕60号"], "一(三)").text
    # L829 "…地方分成部分 2500" + blank + L831 "万元以上。" (inside an item)
    assert node(docs["昆政发〔2010〕63号"], "附件 第六条(三)").text.endswith("2500万元以上。")
    # L332 "（二）基本原则。…大力扶持" + L334 "的格局；…" (text on the heading's line)
    assert "各级各部门大力扶持的格局" in node(docs["昆政发〔2010〕61号"], "二(二)").text
    # L1384 "…应进入临灾应急期，" + L1386 "要立即启动…"
    assert "应进入临灾应急期，要立即启动" in node(docs["昆政办〔2010〕109号"], "三(三)").text
    # L1336 "…书面报告" + L1338 "请于 2010 年 12 月 31 日前报市司法局。"
    assert "书面报告请于 2010 年" in node(docs["昆政办〔2010〕108号"], "附件 三(三)2").text


def test_separate_lines_are_not_joined(docs):
    # L1434–L1441: the leading group of 111号 is one person per line.
    text = node(docs["昆政办〔2010〕111号"], "附件 二").text
    assert "组 长：杨勇明（市政府副秘书长）\n副组长：王桂泽（高新区管委会副主任）\n孟光寿" in text
    # L122–L124 joined, then L126 is a new heading.
    d59 = docs["昆政发〔2010〕59号"]
    assert "2011 年培训转移劳动力 8.2 万人" in node(d59, "三(四)").text
    assert node(d59, "三(五)").line == 126


def test_paths_unique_and_lines_point_at_labels(issue, seed_text):
    lines = seed_text.split("\n")
    for doc in issue.documents:
        paths = [n.path for n in doc.walk()]
        assert len(paths) == len(set(paths)), doc.docno
        assert not any("#" in p for p in paths)
        for n in doc.walk():
            assert n.line > 0
            if n.kind in ("section", "article", "chapter", "item"):
                assert n.label.rstrip("、.．") in lines[n.line - 1].replace(" ", ""), (doc.docno, n.path)


def test_node_kinds(issue):
    kinds = {n.kind for d in issue.documents for n in d.walk()}
    assert kinds == {"preamble", "section", "chapter", "article", "item", "annex", "table",
                     "form", "paragraph"}


# --------------------------------------------------------------------------------------------
# Tables (GZ-3)
# --------------------------------------------------------------------------------------------


def test_59_annex1_table(docs):
    n = node(docs["昆政发〔2010〕59号"], "附件1 表")
    annex = node(docs["昆政发〔2010〕59号"], "附件1")
    assert n in annex.children and n.kind == "table"
    t = n.table
    assert t.caption == "滇池流域各县区耕地面积及年度调整计划表"                    # L189
    assert t.unit == "亩"                                                   # L191 "单位：亩"
    assert t.header == ["县区", "耕地面积", "2010年调整面积", "2011年调整面积",
                        "2012年调整面积", "2013年调整面积"]                       # L193
    assert [r[0] for r in t.rows] == ["五华", "盘龙", "官渡", "西山", "呈贡", "晋宁",
                                      "度假区", "经开区", "高新区", "合计"]         # L194–L203
    assert t.rows[0] == ["五华", 6337, None, 6337, None, None]                 # L194
    assert t.rows[4][1] == 4579.5 and isinstance(t.rows[4][1], float)         # L198
    # L205–L206: the note wraps onto a second line; joined, spacing as printed.
    assert t.note == "此表依据 5 月 21 日各县区农业局, 经开区、高新区、度假区上报情况统计。"
    total = t.rows[-1]
    assert total == ["合计", 342473.6, 18579.5, 82237, 165028.1, 76629]         # L203
    districts = t.rows[:-1]
    for col in range(1, 6):
        assert sum(r[col] or 0 for r in districts) == pytest.approx(total[col])
    assert sum(total[2:]) == pytest.approx(total[1])   # the four years add up to the area


def test_59_annex2_table(docs):
    t = node(docs["昆政发〔2010〕59号"], "附件2 表").table
    assert t.caption == "经费测算表" and t.unit == "万元/万亩"                     # L210, L212
    assert t.header == ["年份", "调整面积", "结构调整补助资金", "劳动力培训转移资金", "合计"]
    assert t.rows[0] == [2010, 1.9, 1900, 800, 2700]                          # L215
    assert t.rows[-1] == ["合计", 34.3, 34300, 8000, 42300]                    # L219
    assert t.note.split("\n")[0] == "1. 滇池流域农业结构调整按 1000 元/亩补助。"    # L221
    assert t.note.split("\n")[1].startswith("2. 技能培训经费")                    # L223


def test_62_indicator_table(issue, docs):
    d = docs["昆政发〔2010〕62号"]
    n = node(d, "附件2 表")
    assert n in node(d, "附件2").children
    t = n.table
    assert t.caption == "昆明楼宇经济发展指数评价指标体系"                         # L580
    assert t.header == ["子系统", "领域", "序号", "指标名称", "单位"]                # L583
    assert len(t.rows) == 47
    assert [r[2] for r in t.rows] == list(range(1, 48))
    assert t.rows[0] == ["发展基础", "经济基础", 1, "地区生产总值", "亿元"]          # L584
    assert t.rows[1][:3] == ["发展基础", "经济基础", 2]                          # L585 filled down
    assert t.rows[10] == ["发展基础", "社会基础", 11, "人均住房使用面积", "人/平方米"]  # L594
    assert t.rows[25][:3] == ["发展规模", "楼宇规模", 26]      # L609: no subsystem printed
    assert t.rows[35][:3] == ["发展规模", "总部规模", 36]                         # L621
    # L632 "47\t\t高新技术产业增加值占 GDP 比重\t%" is realigned.
    assert t.rows[46] == ["发展效益", "社会带动", 47, "高新技术产业增加值占GDP比重", "%"]
    sizes = {}
    for r in t.rows:
        sizes[r[0]] = sizes.get(r[0], 0) + 1
    assert sizes == {"发展基础": 11, "发展环境": 14, "发展规模": 11, "发展效益": 11}
    assert len({r[1] for r in t.rows}) == 14          # L578 "4个子系统14个方面共47个评价指标"
    notes = [x for x in issue.notes if "62号" in x]
    assert any("发展规模" in x for x in notes)
    assert any("12" in x and "11" in x and "发展基础" in x for x in notes)      # L638 "共 12 项"
    assert any("人/平方米" in x for x in notes)


FORM_ITEMS = {  # numbered items of each 零申报表 (107号附件)
    "表一": 4,   # L1135–L1138
    "表二": 3,   # L1156–L1158
    "表三": 3,   # L1172–L1178 (with sub-items)
    "表四": 4,   # L1196–L1199
    "表五": 4,   # L1211–L1214
    "表六": 3,   # L1228–L1230
    "表七": 1,   # L1242
    "表八": 1,   # L1258
    "表九": 4,   # L1270–L1273
}


def test_107_forms(docs):
    d = docs["昆政办〔2010〕107号"]
    forms = [n for n in d.walk() if n.kind == "form"]
    assert [f.label for f in forms] == list(FORM_ITEMS)
    assert [f.path for f in forms] == [f"附件 {x}" for x in FORM_ITEMS]
    assert all(f in node(d, "附件").children for f in forms)
    for f in forms:
        t = f.table
        assert t.kind == "form"
        assert t.header == ["序号", "申报内容", "落实", "不落实"]
        assert sum(isinstance(r[0], int) for r in t.rows) == FORM_ITEMS[f.label], f.label
        assert [r[0] for r in t.rows if isinstance(r[0], int)] == list(range(1, FORM_ITEMS[f.label] + 1))
        assert t.meta["header_fields"] == ["申报单位主要负责人", "申报单位分管领导"]
        assert t.meta["footer_fields"] == ["填表人", "审核人", "联系电话"]   # L1141–L1145, L1161
        assert t.meta["top_fields"] == ["申报单位", "申报时间"]               # L1130
        assert t.meta["column_groups"] == {"申报情况": ["落实", "不落实"]}      # L1133–L1134
        assert t.meta["remarks_label"] == "申报说明"                          # L1139
        assert t.meta["title"] == f.heading == t.caption
        assert all(r[2] is None and r[3] is None for r in t.rows)
    assert forms[0].heading == "安全生产“一岗双责”不落实零申报表"                    # L1128
    assert forms[0].line == 1128
    assert forms[1].heading == "目标责任状不落实零申报表"                            # L1149
    assert forms[1].line == 1147           # starts at "…零申报表二" (L1147)
    assert forms[1].table.meta["number_printed"] == "安全生产监管“市域全覆盖”零申报表二"
    assert forms[4].heading == "重大隐患整改不落实零申报表"                          # L1204, no 表五 line
    t3 = forms[2].table
    assert [r[0] for r in t3.rows] == [1, "1.2", "1.3", "1.4", 2, 3, "3.2"]      # L1172–L1178
    assert t3.rows[1][1].startswith("市、县负有安全生产监管职责的部门")               # L1173
    assert forms[0].table.rows[0][1].startswith("各级政府、管委会主要领导与副职")      # L1135


# --------------------------------------------------------------------------------------------
# Cross-references (GZ-4)
# --------------------------------------------------------------------------------------------


def refs(doc):
    return [(c.docno, c.node_path) for c in doc.crossrefs]


def test_crossrefs(docs):
    r59 = docs["昆政发〔2010〕59号"].crossrefs                                # L154
    assert [(c.docno, c.raw, c.node_path) for c in r59] == [("昆政发〔2010〕8号", "昆政发〔2010〕8 号", "四(五)")]
    assert r59[0].title == "昆明市人民政府关于印发推进城乡一体化工作系列文件的通知"
    assert refs(docs["昆政发〔2010〕61号"]) == [("云政发〔2010〕54号", "序言")]    # L320
    assert docs["昆政发〔2010〕61号"].crossrefs[0].title == "关于加快推进中低产林改造的意见"
    assert refs(docs["昆政发〔2010〕63号"]) == [("财税〔2005〕2号", "附件 第八条(四)")]  # L855
    assert refs(docs["昆政办〔2010〕107号"]) == [
        ("昆政发〔2010〕31号", "序言"),                 # L990
        ("昆政发〔2010〕31号", "附件"),                 # L996
        ("昆政办〔2009〕117号", "附件 五(三)3"),         # L1062 "117 号"
        ("国务院令第493号", "附件 五(七)"),             # L1098 "国务院令 第 493 号"
        ("国办发〔2009〕59号", "附件 五(九)2(1)"),       # L1116 "59 号"
        ("昆政办〔2009〕117号", "附件 表三"),           # L1177
        ("国务院令第493号", "附件 表七"),               # L1242 "国务院令 493号"
        ("国办发〔2009〕59号", "附件 表九"),            # L1272
    ]
    order = next(c for c in docs["昆政办〔2010〕107号"].crossrefs if c.docno == "国务院令第493号")
    assert order.raw == "国务院令 第 493 号" and order.title == "安全生产事故报告和调查处理条例"
    assert refs(docs["昆政办〔2010〕116号"]) == [("云府明电〔2010〕50号", "序言"),  # L1549
                                                ("昆政办〔2010〕98号", "序言")]
    for docno in ("昆政发〔2010〕60号", "昆政发〔2010〕62号", "昆政办〔2010〕106号",
                  "昆政办〔2010〕108号", "昆政办〔2010〕109号", "昆政办〔2010〕111号",
                  "昆政任〔2010〕1-8号"):
        assert refs(docs[docno]) == [], docno


def test_no_document_cites_itself(issue):
    for doc in issue.documents:
        assert doc.docno not in [c.docno for c in doc.crossrefs]


# --------------------------------------------------------------------------------------------
# Appointments (GZ-5), L1637–L1716
# --------------------------------------------------------------------------------------------
# Counted by hand: 40 lines under 任命 (L1639–L1701), of which
#   L1645 王汉 (副董事长、总经理) +1, L1647 杨勇明 (two orgs) +1, L1651 杨志华 (+2 removals),
#   L1653 柳伟 (+2 removals), L1692 杨柱 (任…兼…) +1  → 47 records;
# 12 lines under 免去 (L1705–L1716) → 12 records.  Total 59.


@pytest.fixture(scope="module")
def appointments(docs):
    return docs["昆政任〔2010〕1-8号"].appointments


def test_appointment_counts(appointments):
    assert len(appointments) == 59
    actions = [a.action for a in appointments]
    assert actions.count("remove") == 12 + 4
    assert actions.count("appoint_concurrent") == 13
    assert actions.count("appoint") == 30
    assert [a.order for a in appointments] == list(range(1, 60))
    assert all(" " not in a.person for a in appointments)


def posts_of(appointments, person):
    return [(a.action, a.org, a.post) for a in appointments if a.person == person]


def test_appointment_spot_checks(appointments):
    # L1651
    assert posts_of(appointments, "杨志华") == [
        ("appoint_concurrent", "昆明发展投资集团有限公司", "副董事长"),           # L1643
        ("appoint", "昆明空港经济区管委会", "主任"),
        ("remove", "昆明市人民政府", "副秘书长"),
        ("remove", "昆明市人民政府金融办公室", "主任"),
    ]
    # L1641 "陈 勇同志兼任昆明建设管理中心（昆明建设管理公司）主任（董事长）；"
    assert posts_of(appointments, "陈勇") == [
        ("appoint_concurrent", "昆明建设管理中心（昆明建设管理公司）", "主任（董事长）")]
    # L1645 two posts, same org
    assert posts_of(appointments, "王汉") == [
        ("appoint_concurrent", "昆明发展投资集团有限公司", "副董事长"),
        ("appoint_concurrent", "昆明发展投资集团有限公司", "总经理")]
    # L1647 two posts, two orgs
    assert posts_of(appointments, "杨勇明") == [
        ("appoint_concurrent", "昆明市土地储备中心", "主任"),
        ("appoint_concurrent", "昆明市土地开发投资经营有限责任公司", "董事长")]
    # L1653
    assert posts_of(appointments, "柳伟") == [
        ("appoint", "昆明市园林绿化局", "副局长"),
        ("remove", "昆明滇池投资有限公司", "董事长"),
        ("remove", "昆明市滇池北岸水环境综合治理工程管理局", "副局长")]
    # L1671 aliases kept in org and post
    assert posts_of(appointments, "姜兴林") == [
        ("appoint", "昆明市滇池管理局（市滇保办）", "副局长（副主任）")]
    # L1692 "任A局副局长兼B局局长"
    assert posts_of(appointments, "杨柱") == [
        ("appoint", "昆明市卫生局", "副局长"),
        ("appoint_concurrent", "昆明市食品药品监督管理局", "局长")]
    # L1714 常务副主任 is one post title
    assert posts_of(appointments, "张斌") == [("remove", "昆明空港经济区管委会", "常务副主任")]


def test_appointment_qualifiers(appointments):
    by = {(a.person, a.action): a for a in appointments}
    meng = by["孟光寿", "appoint"]                         # L1661 "（正县级，试用期一年）"
    assert meng.qualifiers == ["正县级", "试用期一年"]
    assert (meng.rank, meng.probation_years, meng.secondment_years) == ("正县级", 1, None)
    assert (meng.org, meng.post) == ("昆明经济技术开发区管委会", "副主任")
    liu = by["刘德钦", "appoint"]                          # L1698 "（挂职二年）"
    assert liu.secondment_years == 2 and liu.qualifiers == ["挂职二年"] and liu.post == "副局长"
    chen = by["陈跃明", "appoint"]                         # L1683 "（挂职一年）"
    assert chen.secondment_years == 1
    li = by["李光勇", "remove"]                            # L1712 removal with 挂职二年
    assert (li.org, li.post, li.qualifiers, li.secondment_years) == (
        "昆明市发展和改革委员会", "副主任", ["挂职二年"], 2)
    zhang = by["张立涛", "appoint"]                        # L1681 "（试用期一年）"
    assert zhang.probation_years == 1 and zhang.rank == ""
    assert by["马为麟", "appoint"].rank == "正县级"         # L1655
    assert by["黄云波", "appoint_concurrent"].source == "黄云波同志兼任昆明发展投资集团有限公司董事长；"


# --------------------------------------------------------------------------------------------
# Notes
# --------------------------------------------------------------------------------------------


def test_notes_record_interpretations(issue):
    text = "\n".join(issue.notes)
    assert "109号" in text                                 # TOC vs body
    assert "表一、表五、表七、表八、表九" in text              # forms without a number line
    assert "106号" in text and "唯一附件" in text             # 印发 notices: the annex rule
    assert "表三中未印序号的行（1.2、1.3、1.4、3.2）" in text  # 107号 L1173–L1178
    assert "Appointment and Removal" in text                 # L61: English entry without title
    assert all(isinstance(n, str) and n for n in issue.notes)


# --------------------------------------------------------------------------------------------
# Refusals, determinism, speed
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n \t\n"])
def test_refuses_empty(text):
    with pytest.raises(GazetteParseError, match="文件为空"):
        parse_issue(text)


def test_refuses_binary(seed_text):
    with pytest.raises(GazetteParseError, match="不是UTF-8文本"):
        parse_issue(seed_text[:500] + "\x00\x01" + seed_text[500:])
    with pytest.raises(GazetteParseError, match="不是UTF-8文本"):
        parse_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(GazetteParseError, match="不是UTF-8文本"):
        parse_bytes(seed_text.encode("gb18030"))
    with pytest.raises(GazetteParseError, match="文件为空"):
        parse_bytes(b"")


def test_parse_bytes_reads_utf8(seed_text, issue):
    again = parse_bytes(seed_text.encode("utf-8"))
    assert again == issue


def test_refuses_text_without_masthead(seed_text):
    body = "\n".join(seed_text.split("\n")[63:])          # from the first document on (L64)
    with pytest.raises(GazetteParseError, match="未找到公报报头"):
        parse_issue(body)
    with pytest.raises(GazetteParseError, match="未找到公报报头"):
        parse_issue("这是一段普通的文字。\n没有报头。\n")


def test_refuses_truncated_issue(seed_text):
    first_900 = "\n".join(seed_text.split("\n")[:900])    # ends inside 63号's annex (L900)
    with pytest.raises(GazetteParseError) as err:
        parse_issue(first_900)
    message = str(err.value)
    assert message.startswith("目录列出12篇文件，正文只找到5篇：缺少")
    assert "昆明市人民政府关于切实做好2010年度地质灾害防治工作的通知" in message
    assert "昆政任〔2010〕1—8号" in message


@pytest.mark.parametrize("docno_line", ["昆政发〔2010〕59号", "昆政发〔2010〕60号",
                                        "昆政办〔2010〕108号",
                                        "昆政办〔2010〕109 号", "昆政任〔2010〕1-8号"])
def test_refuses_document_without_docno(seed_text, docno_line):
    text = seed_text.replace(docno_line + "\n", "")
    with pytest.raises(GazetteParseError, match="没有文号"):
        parse_issue(text)


def test_deterministic_and_fast(seed_text, issue):
    start = time.perf_counter()
    again = parse_issue(seed_text)
    assert time.perf_counter() - start < 0.5
    assert again == issue


def test_crlf_and_bom_read_the_same(seed_text, issue):
    again = parse_issue("\ufeff" + seed_text.replace("\n", "\r\n"))
    assert [d.docno for d in again.documents] == [d.docno for d in issue.documents]
    assert [n.path for d in again.documents for n in d.walk()] == \
        [n.path for d in issue.documents for n in d.walk()]
