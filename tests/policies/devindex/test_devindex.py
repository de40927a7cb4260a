"""The development index of 62号 附件2 through its services, API and pages.

The hand-worked example of the whole stack: three counties with every indicator equal to 1
(盘龙), 2 (五华) and 3 (官渡) in 2010. Min-max with goalposts fixed from 2010 (low 1, high 3)
puts every indicator at 0, 50 and 100, so every domain, subsystem and the index too:
盘龙 0, 五华 50, 官渡 100. In 2011 盘龙 has 2 everywhere → 50 under the 2010 goalposts (with
bounds from 2011's own data it would be 0), 官渡 4 → clipped to 100.
"""

import io
import re

import pytest
from django.test import Client

from kmgov.core.models import Role
from kmgov.core.services import org_tree_load, user_create
from kmgov.policies.buildings.devindex import services
from kmgov.policies.buildings.devindex.models import IndexRun, IndexSpec, Indicator, IndicatorValue

N = 47


class Folk:
    pass


@pytest.fixture
def folk(db):
    org_tree_load()
    services.indicators_sync()
    f = Folk()
    f.city = user_create(username="shi-swj", roles=[(Role.CITY_DEPARTMENT, "city-commerce")])
    f.panlong = user_create(username="panlong-swj", roles=[(Role.COUNTY_DEPARTMENT, "panlong-commerce")])
    f.wuhua = user_create(username="wuhua-ban", roles=[(Role.COUNTY_OFFICE, "wuhua")])
    f.auditor = user_create(username="shenji", roles=[(Role.AUDITOR, "kunming")])
    from kmgov.core.models import OrgUnit

    OrgUnit(code="ent-idx", name="示例楼宇企业", kind="enterprise", parent=OrgUnit.objects.get(code="panlong")).save()
    f.enterprise = user_create(username="qiye-idx", roles=[(Role.ENTERPRISE, "ent-idx")])
    return f


def visible(html: str) -> str:
    """The text a reader sees: no tags, no attributes (option values are not shown)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def fill(user, year, per_county: dict[str, float]):
    for code, v in per_county.items():
        services.values_set(actor=user, org_code=code, year=year, values={str(n): v for n in range(1, N + 1)})


def by_unit(run, key="index"):
    return dict(zip(run.result["units"], run.result[key]))


def test_the_47_indicators_come_from_the_gazette_table(folk):
    inds = list(Indicator.objects.all())
    assert len(inds) == 47  # 附件2 一(二)：共47个评价指标
    counts = {}
    for i in inds:
        counts[i.subsystem] = counts.get(i.subsystem, 0) + 1
    # the table lists 11 under 发展基础 although 一(二)1 says 12 (SPEC §13); 14, 11, 11 as stated
    assert counts == {"发展基础": 11, "发展环境": 14, "发展规模": 11, "发展效益": 11}
    assert len({i.domain for i in inds}) == 14  # 14个方面
    housing = Indicator.objects.get(number=11)
    assert housing.name == "人均住房使用面积"
    assert (housing.unit_printed, housing.unit) == ("人/平方米", "平方米/人")  # the unit typo, interpreted
    assert all(i.citation == "昆政发〔2010〕62号 附件2 一(二)" and i.direction == 1 and i.source for i in inds)
    assert services.indicators_sync() == 0  # idempotent


def test_hand_worked_run_with_goalposts_fixed_across_years(folk):
    fill(folk.city, 2010, {"panlong": 1, "wuhua": 2, "guandu": 3})
    run = services.index_compute(actor=folk.city, year=2010, workers=1)
    assert by_unit(run) == pytest.approx({"panlong": 0, "wuhua": 50, "guandu": 100})
    assert by_unit(run, "rank") == {"panlong": 3, "wuhua": 2, "guandu": 1}
    # every subsystem too (levels[1]), e.g. 发展基础
    assert dict(zip(run.result["units"], run.result["levels"][1]["发展基础"])) == pytest.approx(
        {"panlong": 0, "wuhua": 50, "guandu": 100})
    spec = IndexSpec.objects.get(pk=run.spec_id)
    assert spec.version == 1 and spec.spec["goalposts"]["i01"]["low"] == 1 and spec.spec["goalposts"]["i01"]["high"] == 3
    fill(folk.city, 2011, {"panlong": 2, "wuhua": 2, "guandu": 4})
    run11 = services.index_compute(actor=folk.city, year=2011, workers=1)
    assert run11.spec_id == run.spec_id  # the same goalposts: years compare
    # 盘龙 (2−1)/(3−1) = 50; 官渡 (4−1)/2 = 150 % → clipped to 100
    assert by_unit(run11) == pytest.approx({"panlong": 50, "wuhua": 50, "guandu": 100})


def test_same_inputs_and_spec_same_index(folk):
    fill(folk.city, 2010, {"panlong": 1, "wuhua": 2.5, "guandu": 3, "xishan": 7})
    IndicatorValue.objects.filter(org__code="xishan", indicator__number=5).update(value=0.5)
    a = services.index_compute(actor=folk.city, year=2010, workers=1, draws=1000)
    b = services.index_compute(actor=folk.city, year=2010, workers=2, draws=1000)
    assert a.pk != b.pk and a.fingerprint == b.fingerprint
    assert a.result == b.result
    # the seeded weight draws give the same median rank and 5–95 % interval, in one process or two
    assert a.sensitivity["weights"] == b.sensitivity["weights"]
    assert a.sensitivity["weights"]["params"]["draws"] == 1000
    s = a.sensitivity["weights"]["summary"]
    assert set(s) >= {"median", "p05", "p95"} and len(s["median"]) == 4
    # the run keeps what it used
    assert a.inputs["units"] == a.result["units"] and len(a.inputs["values"][0]) == 47
    assert a.framework["level_names"] == ["领域", "子系统", "指数"]


def test_discrepancies_of_the_annex_are_in_the_result(folk):
    fill(folk.city, 2010, {"panlong": 1, "wuhua": 2})
    run = services.index_compute(actor=folk.city, year=2010, sensitivity=False)
    kinds = {d["kind"]: d for d in run.discrepancies}
    assert kinds["indicator_count"]["printed"] == 12 and kinds["indicator_count"]["recomputed"] == 11
    assert kinds["unit"]["printed"] == "人/平方米" and kinds["unit"]["recomputed"] == "平方米/人"
    assert "说明称12项，表中只列11项" in kinds["indicator_count"]["text"]


def test_new_spec_version_leaves_old_runs_alone(folk):
    fill(folk.city, 2010, {"panlong": 1, "wuhua": 2, "guandu": 3})
    first = services.index_compute(actor=folk.city, year=2010, sensitivity=False)
    data = dict(first.spec_data, aggregation=["arithmetic", "arithmetic", "copeland"], weights={"发展基础": 2})
    c = client_for(folk.city)
    r = c.post("/api/v1/buildings-index/specs", {"spec": data, "reason": "专家权数（示例）"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["version"] == 2
    second = services.index_compute(actor=folk.city, year=2010, sensitivity=False)
    assert second.spec.version == 2 and first.spec.version == 1
    first.refresh_from_db()
    assert first.spec_data["aggregation"][-1] == "arithmetic"
    # Copeland at the top: 官渡 beats both on all four subsystems → +2 → 100; 盘龙 −2 → 0
    assert by_unit(second) == pytest.approx({"panlong": 0, "wuhua": 50, "guandu": 100})


def test_spec_refusals(folk):
    c = client_for(folk.city)
    bad = {"aggregation": ["arithmetic"], "normalisation": "minmax"}
    r = c.post("/api/v1/buildings-index/specs", {"spec": bad, "reason": "x"}, content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "aggregation"
    r = c.post("/api/v1/buildings-index/specs", {"spec": {"normalisation": "cubic"}, "reason": "x"},
               content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "normalisation"
    # a county official reads but may not change the specification
    r = client_for(folk.panlong).post("/api/v1/buildings-index/specs",
                                      {"spec": {"aggregation": ["arithmetic"] * 3}, "reason": "x"},
                                      content_type="application/json")
    assert r.status_code == 403
    assert IndexSpec.objects.count() == 0


def test_county_sees_and_enters_only_its_own_values(folk):
    fill(folk.city, 2010, {"panlong": 1, "wuhua": 2})
    c = client_for(folk.panlong)
    r = c.get("/api/v1/buildings-index/values?year=2010")
    assert r.status_code == 200 and {v["org"] for v in r.json()} == {"panlong"} and len(r.json()) == 47
    r = c.put("/api/v1/buildings-index/values", {"org": "wuhua", "year": 2010, "values": {"1": 9}},
              content_type="application/json")
    assert r.status_code == 403
    assert IndicatorValue.objects.get(org__code="wuhua", year=2010, indicator__number=1).value == 2
    r = c.put("/api/v1/buildings-index/values", {"org": "panlong", "year": 2010, "values": {"1": 9}},
              content_type="application/json")
    assert r.status_code == 200
    # the page of another county's data is not shown either
    assert c.get("/buildings-index/data/?org=wuhua&year=2010").status_code == 404
    page = c.get("/buildings-index/data/?year=2010")
    assert page.context["org"].code == "panlong" and [u.code for u in page.context["units"]] == ["panlong"]
    # the city sees all
    assert {v["org"] for v in client_for(folk.city).get("/api/v1/buildings-index/values?year=2010").json()} == {"panlong", "wuhua"}


def test_bad_values_are_refused_whole(folk):
    c = client_for(folk.wuhua)
    r = c.put("/api/v1/buildings-index/values", {"org": "wuhua", "year": 2010, "values": {"1": 5, "99": 1}},
              content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "v99"
    assert not IndicatorValue.objects.exists()  # 序号1 was not written either
    page = c.post("/buildings-index/data/", {"org": "wuhua", "year": "2010", "v1": "5", "v2": "很多"})
    body = page.content.decode()
    assert page.status_code == 400 and "2. 人均GDP（常住）：数值须为数字" in body
    assert 'aria-invalid="true"' in body
    assert not IndicatorValue.objects.exists()
    page = c.post("/buildings-index/data/", {"org": "wuhua", "year": "2010", "v1": "5", "v2": "6"})
    assert page.status_code == 302 and IndicatorValue.objects.filter(org__code="wuhua").count() == 2


def _xlsx(rows):
    return services.values_xlsx(rows)


def test_xlsx_import_all_or_nothing(folk):
    c = client_for(folk.city)
    good = _xlsx([("盘龙区", 2010, 1, "", "", 12.5, ""), ("五华", 2010, 2, "", "", 3, "统计年鉴")])
    r = c.post("/buildings-index/data/import/", {"file": io.BytesIO(good)})
    assert r.status_code == 302 and IndicatorValue.objects.count() == 2
    assert IndicatorValue.objects.get(org__code="wuhua", indicator__number=2).note == "统计年鉴"
    bad = _xlsx([("盘龙区", 2010, 3, "", "", 1, ""), ("盘龙区", 2010, 4, "", "", "abc", "")])
    r = c.post("/buildings-index/data/import/", {"file": io.BytesIO(bad)}, follow=True)
    assert "第3行：数值“abc”不是数字" in r.content.decode()
    assert IndicatorValue.objects.count() == 2  # row 2 of the bad file was not written
    # a county may not import another county's values
    r = client_for(folk.panlong).post("/buildings-index/data/import/",
                                      {"file": io.BytesIO(_xlsx([("五华区", 2010, 1, "", "", 1, "")]))}, follow=True)
    assert "无权填报五华区" in r.content.decode()
    # the export is a workbook the import reads back
    exp = c.get("/buildings-index/data/export.xlsx?year=2010")
    assert exp.status_code == 200 and exp.content[:2] == b"PK"
    assert services.values_import_xlsx(actor=folk.city, data=exp.content) == 2


def test_pages_render_without_internal_names(folk):
    fill(folk.city, 2010, {"panlong": 1, "wuhua": 2, "guandu": 3})
    run = services.index_compute(actor=folk.city, year=2010, workers=1)
    for user in (folk.city, folk.panlong, folk.auditor):  # officials read
        c = client_for(user)
        r = c.get("/buildings-index/")
        body = visible(r.content.decode())
        assert r.status_code == 200 and "官渡区" in body and "排名中位数" in body
        assert "说明称12项，表中只列11项" in body and "人/平方米" in body
        for internal in ("arithmetic", "minmax", "copeland", "True", "None", "guandu", "i01", "{'"):
            assert internal not in body, internal
    c = client_for(folk.city)
    svg = c.get(f"/buildings-index/runs/{run.pk}/weights.svg")
    assert svg.status_code == 200 and svg["Content-Type"].startswith("image/svg+xml") and b"<svg" in svg.content
    assert "官渡区".encode() in svg.content
    pdf = c.get(f"/buildings-index/runs/{run.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and len(pdf.content) > 20000
    for path in ("/buildings-index/spec/", "/buildings-index/data/?org=wuhua&year=2010"):
        r = c.get(path)
        assert r.status_code == 200, path
        text = visible(r.content.decode())
        for internal in ("minmax", "arithmetic", "True", "None", "i01", "wuhua"):
            assert internal not in text, (path, internal)
    # no page for the public or an enterprise; anonymous readers go to the login page
    assert client_for(folk.enterprise).get("/buildings-index/").status_code == 403
    assert Client().get("/buildings-index/").status_code == 302
    assert client_for(folk.enterprise).get(f"/api/v1/buildings-index/runs/{run.pk}").status_code == 403
    # a county reads the published ranks but not the other counties' inputs
    assert "inputs" not in client_for(folk.panlong).get(f"/api/v1/buildings-index/runs/{run.pk}").json()
    assert "inputs" in c.get(f"/api/v1/buildings-index/runs/{run.pk}").json()


def test_only_the_city_computes(folk):
    fill(folk.city, 2010, {"panlong": 1, "wuhua": 2})
    r = client_for(folk.panlong).post("/api/v1/buildings-index/runs", {"year": 2010}, content_type="application/json")
    assert r.status_code == 403
    r = client_for(folk.city).post("/api/v1/buildings-index/runs", {"year": 2009}, content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "year"
    r = client_for(folk.city).post("/buildings-index/compute/", {"year": "2010"})
    assert r.status_code == 302 and IndexRun.objects.count() == 1


def test_demo_data_for_all_counties(folk):
    from kmgov.core.demo_accounts import ensure_account
    from kmgov.policies.buildings.devindex import demo

    ensure_account("demo-shi-shangwu", "市商务局", Role.CITY_DEPARTMENT, "city-commerce")
    out = io.StringIO()
    demo.contribute(out)
    units = set(services.index_units().values_list("code", flat=True))
    assert len(units) == 17  # 14 counties and districts + 3 development zones
    for year in demo.YEARS:
        run = IndexRun.objects.get(year=year)
        assert set(run.result["units"]) == units
        assert IndicatorValue.objects.filter(year=year).count() == 17 * 47
        assert run.sensitivity["weights"]["params"]["draws"] >= 1000
    demo.contribute(out)  # idempotent
    assert IndexRun.objects.count() == 2 and "示例已存在" in out.getvalue()


def test_cli(folk, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "values.xlsx"
    path.write_bytes(_xlsx([(name, 2010, n, "", "", v, "") for name, v in (("盘龙区", 1), ("五华区", 2), ("官渡区", 3))
                            for n in range(1, N + 1)]))
    out = io.StringIO()
    call_command("devindex", "import", str(path), "--as", "shi-swj", stdout=out)
    assert "已导入141个数值" in out.getvalue()  # 3 × 47
    call_command("devindex", "compute", "--year", "2010", "--as", "shi-swj", "--workers", "1", stdout=out)
    # the hand-worked example: 官渡 100, 五华 50, 盘龙 0
    assert "1  官渡区  100.00" in out.getvalue() and "3  盘龙区  0.00" in out.getvalue()
    with pytest.raises(CommandError) as exc:
        call_command("devindex", "compute", "--year", "2010", "--as", "panlong-swj", stdout=out)
    assert "可计算指数" in str(exc.value)
    pdf = tmp_path / "r.pdf"
    call_command("devindex", "report", "--run", str(IndexRun.objects.get().pk), "--as", "panlong-swj",
                 "--out", str(pdf), stdout=out)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_spec_page_saves_a_version_and_a_method_that_cannot_run_is_refused_in_chinese(folk):
    fill(folk.city, 2010, {"panlong": 1, "wuhua": 2, "guandu": 3})
    services.index_compute(actor=folk.city, year=2010, sensitivity=False)  # version 1, with goalposts
    form = {"imputation": "none", "normalisation": "minmax", "agg0": "geometric", "agg1": "arithmetic",
            "agg2": "arithmetic", "w:发展基础": "2", "reason": "试用几何平均"}
    # a county official may read the page but not save
    r = client_for(folk.panlong).post("/buildings-index/spec/", form, follow=True)
    assert "可修订指数规格" in visible(r.content.decode()) and IndexSpec.objects.count() == 1
    r = client_for(folk.city).post("/buildings-index/spec/", dict(form, reason=""), follow=True)
    assert "请填写修订理由" in visible(r.content.decode()) and IndexSpec.objects.count() == 1
    r = client_for(folk.city).post("/buildings-index/spec/", form, follow=True)
    assert "已保存第2版规格" in visible(r.content.decode())
    v2 = IndexSpec.objects.get(version=2)
    assert v2.spec["aggregation"] == ["geometric", "arithmetic", "arithmetic"] and v2.spec["weights"] == {"发展基础": 2.0}
    assert v2.spec["goalposts"] == IndexSpec.objects.get(version=1).spec["goalposts"]  # kept across versions
    # min-max puts 盘龙 at 0: a geometric mean of its indicators cannot be taken — said in Chinese
    r = client_for(folk.city).post("/buildings-index/compute/", {"year": "2010"}, follow=True)
    assert "几何平均要求" in visible(r.content.decode())
    assert IndexRun.objects.filter(spec=v2).count() == 0


def test_spec_form_refusal_keeps_the_weights_typed_and_names_each_beside_its_field(folk):
    # issue 13 item 3: a weight that is not a number and a missing reason are named beside
    # their fields at once; the other weights typed and the methods chosen come back; nothing saved
    import re

    from kmgov.policies.buildings.devindex.models import IndexSpec

    c = client_for(folk.city)
    page = c.get("/buildings-index/spec/").content.decode()
    names = re.findall(r'name="(w:[^"]+)"', page)
    assert len(names) > 3
    before = IndexSpec.objects.count()
    r = c.post("/buildings-index/spec/", {"imputation": "mean", "normalisation": "zscore",
                                          names[0]: "两倍", names[1]: "2.5", "reason": ""})
    html = r.content.decode()
    assert r.status_code == 400 and IndexSpec.objects.count() == before
    assert re.search(r'<p class="govuk-error-message" id="spec-ws1-error"[^>]*>权重须为数字', html)
    assert 'value="两倍"' in html and 'value="2.5"' in html
    assert '<option value="zscore" selected>' in html
    # with the weights numbers, the missing reason is named beside its field
    r = c.post("/buildings-index/spec/", {names[0]: "2", "reason": ""})
    html = r.content.decode()
    assert r.status_code == 400
    assert re.search(r'<p class="govuk-error-message" id="spec-reason-error"[^>]*>请填写修订理由</p>',
                     html)
    assert '<a href="#spec-reason">请填写修订理由</a>' in html


def _beside(page: str, fid: str) -> str:
    """The design system's message beside the control `fid` (empty when there is none)."""
    m = re.search(rf'<p class="govuk-error-message" id="{fid}-error" role="alert">(.*?)</p>', page, re.S)
    return m.group(1) if m else ""


def test_compute_refusal_beside_the_year_with_the_year_kept_nothing_stored(folk):
    # issue 13 item 4: 附件2 ranks counties against each other, so a year with one county's
    # data cannot be ranked; the refusal is shown beside the year, the year typed is kept
    fill(folk.city, 2010, {"panlong": 1})
    r = client_for(folk.city).post("/buildings-index/compute/", {"year": "2010"})
    assert r.status_code == 400
    page = r.content.decode()
    assert "2010年有数据的县（市）区不足两个，无法排序" in _beside(page, "idx-compute-year")
    assert re.search(r'<input id="idx-compute-year"[^>]*value="2010"', page)
    assert 'aria-describedby="idx-compute-year-error"' in page and 'href="#idx-compute-year"' in page
    assert IndexRun.objects.count() == 0
    # a county may not compute: refused as such (403), no form error, nothing stored
    r = client_for(folk.panlong).post("/buildings-index/compute/", {"year": "2010"})
    assert r.status_code == 403 and IndexRun.objects.count() == 0


def test_xlsx_import_refusal_beside_the_file_nothing_written(folk):
    bad = _xlsx([("盘龙区", 2010, 3, "", "", 1, ""), ("盘龙区", 2010, 4, "", "", "abc", "")])
    upload = io.BytesIO(bad)
    upload.name = "盘龙2010.xlsx"
    r = client_for(folk.city).post("/buildings-index/data/import/", {"file": upload})
    assert r.status_code == 400
    page = r.content.decode()
    error = _beside(page, "idx-file")
    assert "第3行：数值“abc”不是数字" in error and "盘龙2010.xlsx" in error
    assert 'aria-describedby="idx-file-error"' in page and 'href="#idx-file"' in page
    assert IndicatorValue.objects.count() == 0  # its row 2 (序号3) was not written either
    r = client_for(folk.city).post("/buildings-index/data/import/", {})
    assert r.status_code == 400 and "请选择 xlsx 文件" in _beside(r.content.decode(), "idx-file")
