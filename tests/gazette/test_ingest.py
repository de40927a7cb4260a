"""Ingesting the seed issue (SPEC GZ-1 … GZ-9), checked against what the gazette prints."""

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from kmgov.core.models import AuditEntry
from kmgov.gazette.models import Appointment, Document, Issue, Node, Table

pytestmark = pytest.mark.django_db

# The masthead and each document's number and signing date, as printed in the seed.
EXPECTED_DOCS = [
    ("昆政发〔2010〕59号", date(2010, 6, 22), 1),
    ("昆政发〔2010〕60号", date(2010, 6, 22), 7),
    ("昆政发〔2010〕61号", date(2010, 6, 22), 11),
    ("昆政发〔2010〕62号", date(2010, 6, 23), 16),
    ("昆政发〔2010〕63号", date(2010, 6, 18), 32),
    ("昆政办〔2010〕106号", date(2010, 4, 29), 43),
    ("昆政办〔2010〕107号", date(2010, 4, 29), 46),
    ("昆政办〔2010〕108号", date(2010, 5, 4), 60),
    ("昆政办〔2010〕109号", date(2010, 5, 10), 63),
    ("昆政办〔2010〕111号", date(2010, 5, 12), 67),
    ("昆政办〔2010〕116号", date(2010, 5, 24), 72),
    ("昆政任〔2010〕1-8号", None, 76),
]


def _ingest_cli(path, *extra):
    out = io.StringIO()
    call_command("gazette", "ingest", str(path), "--json", *extra, stdout=out)
    return json.loads(out.getvalue())


def test_cli_ingest_reports_the_issue_and_its_documents(org_tree, seed_path):
    report = _ingest_cli(seed_path)
    assert report["status"] == "created"
    assert report["issue"]["issue_date"] == "2010-08-10"
    assert (report["issue"]["number"], report["issue"]["serial"]) == (15, 142)
    got = [(d["docno"], d["signed_on"], d["page"]) for d in report["documents"]]
    assert got == [(no, signed.isoformat() if signed else None, page)
                   for no, signed, page in EXPECTED_DOCS]


def test_api_returns_the_issue_toc_and_documents(ingested):
    c = Client()
    issues = c.get("/api/v1/gazette/issues").json()
    assert [(i["year"], i["number"], i["serial"], i["issue_date"]) for i in issues] == [
        (2010, 15, 142, "2010-08-10")]
    issue = c.get("/api/v1/gazette/issues/2010/15").json()
    assert [(d["docno"], d["page"]) for d in issue["documents"]] == [
        (no, page) for no, _, page in EXPECTED_DOCS]
    zh = [t for t in issue["toc"] if t["lang"] == "zh"]
    en = [t for t in issue["toc"] if t["lang"] == "en"]
    # Both tables of contents list the eleven documents and the appointments, same pages.
    assert [t["page"] for t in zh] == [p for _, _, p in EXPECTED_DOCS]
    assert [t["page"] for t in en] == [p for _, _, p in EXPECTED_DOCS]
    assert [t["docno"] for t in en] == [no for no, _, _ in EXPECTED_DOCS]
    assert {t["section"] for t in zh} == {"市政府文件", "市政府办公厅文件", "人事任免"}
    doc = c.get("/api/v1/gazette/documents/昆政发〔2010〕60号").json()
    assert doc["document"]["docno"] == "昆政发〔2010〕60号"
    assert doc["document"]["signed_on"] == "2010-06-22"
    assert doc["issue"]["serial"] == 142
    # The docno may be typed with spaces, as 109号 is printed.
    assert c.get("/api/v1/gazette/documents/昆政办〔2010〕109 号").json()["document"]["docno"] == (
        "昆政办〔2010〕109号")
    assert c.get("/api/v1/gazette/documents/昆政发〔2010〕99号").status_code == 404


def test_annex_1_of_59_sums_to_its_printed_totals(ingested):
    # 昆政发〔2010〕59号 附件1: the 合计 row is printed; the district rows must add up to it.
    t = Table.objects.get(node__document__docno="昆政发〔2010〕59号", node__path="附件1 表")
    assert t.unit == "亩"
    body = [r for r in t.rows if r[0] != "合计"]
    total = next(r for r in t.rows if r[0] == "合计")
    assert len(body) == 9
    assert total[1:] == [342473.6, 18579.5, 82237, 165028.1, 76629]
    for col in range(1, 6):
        assert round(sum(r[col] or 0 for r in body), 1) == total[col]


def test_the_47_indicators_of_62_annex_2(ingested):
    t = Table.objects.get(node__document__docno="昆政发〔2010〕62号", node__path__startswith="附件2",
                          node__kind="table")
    assert t.header == ["子系统", "领域", "序号", "指标名称", "单位"]
    assert [r[2] for r in t.rows] == list(range(1, 48))
    by_sub = {}
    for sub, dom, *_ in t.rows:
        by_sub.setdefault(sub, set()).add(dom)
    sizes = {s: sum(1 for r in t.rows if r[0] == s) for s in by_sub}
    # 62号 附件2 一(二): 4 subsystems, 14 domains, 47 indicators (the table lists 11 for 发展基础).
    assert sizes == {"发展基础": 11, "发展环境": 14, "发展规模": 11, "发展效益": 11}
    assert sum(len(d) for d in by_sub.values()) == 14
    row = {r[3]: r for r in t.rows}
    assert row["楼宇入驻率"][:2] == ["发展效益", "发展质量"] and row["楼宇入驻率"][4] == "%"
    assert row["实际利用外资"][4] == "亿美元"
    assert row["高新技术产业增加值占GDP比重"][:3] == ["发展效益", "社会带动", 47]


def test_appointments_one_record_per_post(ingested):
    doc = Document.objects.get(docno="昆政任〔2010〕1-8号")
    recs = list(Appointment.objects.filter(document=doc))
    yang = [(a.action, a.org_name, a.post) for a in recs if a.person == "杨志华"]
    # "杨志华同志兼任昆明发展投资集团有限公司副董事长；" and "杨志华同志任昆明空港经济区管委会主任，
    #  免去昆明市人民政府副秘书长，昆明市人民政府金融办公室主任职务；"
    assert ("appoint_concurrent", "昆明发展投资集团有限公司", "副董事长") in yang
    assert ("appoint", "昆明空港经济区管委会", "主任") in yang
    assert ("remove", "昆明市人民政府", "副秘书长") in yang
    assert ("remove", "昆明市人民政府金融办公室", "主任") in yang
    wang = [(a.org_name, a.post) for a in recs if a.person == "王汉"]
    assert wang == [("昆明发展投资集团有限公司", "副董事长"), ("昆明发展投资集团有限公司", "总经理")]
    meng = next(a for a in recs if a.person == "孟光寿")
    assert meng.rank == "正县级" and meng.probation_years == 1
    assert meng.end_date == date(2011, 8, 10)  # interpretation: from the issue date, one year
    liu = next(a for a in recs if a.person == "刘德钦")
    assert liu.secondment_years == 2 and liu.end_date == date(2012, 8, 10)
    # Counted by hand: the 40 lines under 任命 hold 30 appointments (任), 13 concurrent ones
    # (兼任, 王汉 and 杨勇明 two each, 杨柱's "兼" one) and 4 removals (杨志华, 柳伟 two each);
    # the 12 lines under 免去 hold 12 removals: 30 + 13 + 16 = 59 records.
    assert len(recs) == 59
    assert sum(1 for a in recs if a.action == "remove") == 16
    assert sum(1 for a in recs if a.action == "appoint_concurrent") == 13


def test_who_holds_a_post_and_posts_of_a_person(ingested):
    c = Client()
    r = c.get("/api/v1/gazette/appointments", {"post": "主任", "org": "昆明空港经济区管委会",
                                                "on": "2010-09-01"}).json()
    assert [a["person"] for a in r] == ["杨志华"]
    posts = c.get("/api/v1/gazette/appointments", {"person": "杨 柱"}).json()
    assert {(a["org"], a["post"]) for a in posts} == {
        ("昆明市卫生局", "副局长"), ("昆明市食品药品监督管理局", "局长")}


def test_search_carbon_ranks_60_first_and_a_unique_phrase_finds_its_article(ingested):
    c = Client()
    hits = c.get("/api/v1/gazette/search", {"q": "碳汇"}).json()
    assert hits[0]["docno"] == "昆政发〔2010〕60号"
    # 63号 附件 第十一条 is the only place this sentence stands.
    hits = c.get("/api/v1/gazette/search", {"q": "总部企业认定的申报期限"}).json()
    assert (hits[0]["docno"], hits[0]["path"]) == ("昆政发〔2010〕63号", "附件 第十一条")
    # 62号 附件1 第九条 has the buildings' window.
    hits = c.get("/api/v1/gazette/search", {"q": "商务楼宇奖励扶持的申报期限"}).json()
    assert (hits[0]["docno"], hits[0]["path"]) == ("昆政发〔2010〕62号", "附件1 第九条")


def test_node_addressable_by_path(ingested):
    c = Client()
    n = c.get("/api/v1/gazette/documents/昆政发〔2010〕63号/node", {"path": "附件 第七条(二)"})
    assert n.status_code == 200
    assert "现代服务业职能型总部" in n.json()["text"] + n.json()["heading"]
    assert c.get("/api/v1/gazette/documents/昆政发〔2010〕63号/node",
                 {"path": "附件 第九十九条"}).status_code == 404


def test_reingesting_the_same_file_changes_nothing(ingested, seed_path):
    before = (Issue.objects.get().pk, Node.objects.count(), AuditEntry.objects.count(),
              list(Node.objects.order_by("id").values_list("id", flat=True)[:50]))
    report = _ingest_cli(seed_path)
    assert report["status"] == "unchanged"
    after = (Issue.objects.get().pk, Node.objects.count(), AuditEntry.objects.count(),
             list(Node.objects.order_by("id").values_list("id", flat=True)[:50]))
    assert after == before


def _state():
    return (Issue.objects.count(), Document.objects.count(), Node.objects.count(),
            Appointment.objects.count())


@pytest.mark.parametrize("kind", ["empty", "binary", "not_gazette", "truncated", "latin1"])
def test_bad_files_are_refused_and_leave_the_database_as_it_was(ingested, seed_text, tmp_path,
                                                                kind):
    before = _state()
    path = tmp_path / f"{kind}.txt"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "binary":
        path.write_bytes(bytes(range(256)) * 8)
    elif kind == "not_gazette":
        path.write_text("这是一份会议纪要，不是政府公报。\n" * 20, encoding="utf-8")
    elif kind == "truncated":
        path.write_text("\n".join(seed_text.splitlines()[:900]), encoding="utf-8")
    elif kind == "latin1":
        path.write_bytes("昆明市人民政府公报".encode("gb18030"))
    with pytest.raises(CommandError) as e:
        call_command("gazette", "ingest", str(path), stdout=io.StringIO())
    assert e.value.returncode == 2
    assert "未收录" in str(e.value)
    assert _state() == before


def test_a_missing_file_is_a_clear_error(db):
    with pytest.raises(CommandError) as e:
        call_command("gazette", "ingest", "/nonexistent/gazette.txt")
    assert e.value.returncode == 2 and "找不到文件" in str(e.value)
