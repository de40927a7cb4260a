"""The parser is generic: a made-up issue of the same format, and the small helpers."""

from datetime import date

import pytest

from kmgov.gazette.parsed import GazetteParseError
from kmgov.gazette.parser import cn_to_int, parse_issue, split_heading, squeeze

# A tiny issue in the seed's format, with its quirks: spaced masthead, "- " TOC entries with
# varying leaders, a wrapped TOC entry, issuer and title on one line, "3 号" with a space,
# ○ for zero in the date, a page break inside a sentence, and a 印发 notice whose measures
# follow the signing date.
MINI = """

昆 明 市 人 民 政 府 公 报

昆明市人民政府办公厅编

2011 年 3 月 1 日 第 2 号

(总号: 129)

目 录

〔市政府文件〕

- 昆明市人民政府关于做好春季造林工作的通知··· (1)

〔市政府办公厅文件〕

- 昆明市人民政府办公厅关于印发昆明市河道
管理试行办法的通知····· (4)

GAZETTE OF KUNMING MUNICIPAL PEOPLE'S GOVERNMENT

Table of Contents

{ Documents of Kunming Municipality }

Circular on Spring Afforestation.\t(1)

{ Documents of the General Office of Kunming Municipality }

Circular on the Trial Measures for River Management.\t(4)

昆明市人民政府

关于做好春季造林工作的

通知

昆政发〔2011〕12号

各县（市）、区人民政府：

为做好今年春季造林工作，现通知如下：

一、提高认识

春季是造林的关键季节，各地要在 3 月底前完成

造林任务的 60%。

二、落实措施

（一）资金保障。市级财政安排 500 万元。

(二) 技术指导

1. 苗木质量。使用良种壮苗。

二○一一年二月二十八日

昆明市人民政府办公厅 关于印发昆明市河道 管理试行办法的通知

昆政办〔2011〕 3 号

各县（市）、区人民政府，市政府各委办局：

《昆明市河道管理试行办法》已经市政府同意，现印发给你们（详见云政发〔2010〕7号）。

二〇一一年一月十日

昆明市河道管理试行办法

第一章 总 则

第一条 为加强河道管理，制定本办法。

第二条 有下列行为之一的，予以处罚：

（一）向河道倾倒垃圾；

（二）擅自取水。

第二章 附 则

第三条 本办法自发布之日起施行。
"""


@pytest.fixture(scope="module")
def mini():
    return parse_issue(MINI)


def test_mini_masthead_and_toc(mini):
    assert (mini.city, mini.issue_date, mini.number, mini.serial) == (
        "昆明市", date(2011, 3, 1), 2, 129)
    zh = [e for e in mini.toc if e.lang == "zh"]
    assert [(e.section, e.page, e.docno) for e in zh] == [
        ("市政府文件", 1, "昆政发〔2011〕12号"), ("市政府办公厅文件", 4, "昆政办〔2011〕3号")]
    assert zh[1].title == "昆明市人民政府办公厅关于印发昆明市河道管理试行办法的通知"
    assert [e.docno for e in mini.toc if e.lang == "en"] == ["昆政发〔2011〕12号", "昆政办〔2011〕3号"]


def test_mini_documents(mini):
    first, second = mini.documents
    assert first.title == "关于做好春季造林工作的通知"          # title wrapped over two lines
    assert first.signed_on == date(2011, 2, 28)              # ○ for zero
    assert first.addressees == "各县（市）、区人民政府"
    assert second.issuer == "昆明市人民政府办公厅"             # issuer and title on one line
    assert second.title == "关于印发昆明市河道管理试行办法的通知"
    assert (second.docno, second.docno_printed, second.number) == (
        "昆政办〔2011〕3号", "昆政办〔2011〕 3 号", "3")
    assert second.signed_on == date(2011, 1, 10)


def test_mini_outline(mini):
    first, second = mini.documents
    paths = {n.path: n for n in first.walk()}
    assert list(paths) == ["序言", "一", "二", "二(一)", "二(二)", "二(二)1"]
    assert paths["一"].text == "春季是造林的关键季节，各地要在 3 月底前完成造林任务的 60%。"
    assert (paths["二(一)"].heading, paths["二(一)"].text) == ("资金保障", "市级财政安排 500 万元。")
    assert paths["二(二)"].heading == "技术指导"
    annex = second.nodes[-1]
    assert (annex.kind, annex.path, annex.heading) == ("annex", "附件", "昆明市河道管理试行办法")
    paths = [n.path for n in second.walk()]
    assert paths == ["序言", "附件", "附件 第一章", "附件 第一条", "附件 第二条",
                     "附件 第二条(一)", "附件 第二条(二)", "附件 第二章", "附件 第三条"]
    assert [c.docno for c in second.crossrefs] == ["云政发〔2010〕7号"]


def test_mini_truncated_and_missing_docno():
    cut = MINI[:MINI.index("昆明市人民政府办公厅 关于印发")]
    with pytest.raises(GazetteParseError, match="目录列出2篇文件，正文只找到1篇"):
        parse_issue(cut)
    with pytest.raises(GazetteParseError, match="没有文号"):
        parse_issue(MINI.replace("昆政办〔2011〕 3 号\n", ""))


@pytest.mark.parametrize("printed, value", [
    ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十四", 24), ("九十九", 99),
    ("一百", 100), ("一百零五", 105), ("二〇一〇", 2010), ("二○一一", 2011), ("12", 12)])
def test_cn_to_int(printed, value):
    assert cn_to_int(printed) == value


@pytest.mark.parametrize("printed, flat", [
    ("第一章 总 则", "第一章总则"),                                  # L485
    ("关于印发昆明市安全生产警示管理 办法（试行）的通知", "关于印发昆明市安全生产警示管理办法（试行）的通知"),
    ("查询 96128 专线服务 “三个延伸”", "查询96128专线服务“三个延伸”"),
    ("WTO 规则", "WTO规则"),
    ("Medium- and Low -Yield", "Medium- and Low -Yield"),            # Latin text is kept
])
def test_squeeze(printed, flat):
    assert squeeze(printed) == flat


@pytest.mark.parametrize("rest, heading, text", [
    ("指导思想", "指导思想", ""),                                                  # 59号 L80
    ("指导思想。深入贯彻落实科学发展观。", "指导思想", "深入贯彻落实科学发展观。"),      # 61号 L330
    ("蔬菜产业。滇池流域五华…逐年调整。", "蔬菜产业", "滇池流域五华…逐年调整。"),        # 59号 L104
    ("加大招商引资力度，加快土地流转", "加大招商引资力度，加快土地流转", ""),            # 59号 L114
    ("市级财政每年安排资金 1000 万元，从 2010 年起连续安排 3 年。", "",
     "市级财政每年安排资金 1000 万元，从 2010 年起连续安排 3 年。"),                 # 60号 L273
    ("各级政府和政府相关部门每年至少组织 1 次综合性的预案演练；生产经营单位每年至少", "",
     "各级政府和政府相关部门每年至少组织 1 次综合性的预案演练；生产经营单位每年至少"),  # 107号 L1110
    ("工程质量安全监管“全覆盖”", "工程质量安全监管“全覆盖”", ""),                   # 111号 L1463
])
def test_split_heading(rest, heading, text):
    assert split_heading(rest) == (heading, text)


def test_colliding_paths_get_a_suffix():
    # The same label twice at the same level (a misprint) must still give unique paths.
    text = MINI.replace("二、落实措施", "一、落实措施")
    doc = parse_issue(text).documents[0]
    paths = [n.path for n in doc.walk()]
    assert paths == ["序言", "一", "一#2", "一(一)", "一(二)", "一(二)1"]
    assert any("一#2" in note for note in parse_issue(text).notes)


def test_invalid_signing_date_is_refused():
    with pytest.raises(GazetteParseError, match="成文日期无效"):
        parse_issue(MINI.replace("二○一一年二月二十八日", "二○一一年二月三十日"))


def test_missing_signing_date_is_noted():
    issue = parse_issue(MINI.replace("二○一一年二月二十八日\n", ""))
    assert issue.documents[0].signed_on is None
    assert any("昆政发〔2011〕12号：未找到成文日期" in n for n in issue.notes)
