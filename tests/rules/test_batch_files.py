"""`kmgov rules batch` on files: Parquet and xlsx as well as CSV, identifier columns carried
through, tables streamed in chunks (errors name the row of the whole file, nothing half
written), and the same batch through Dask on two local workers equal to the in-process one.

Hand-worked values: 昆政发〔2010〕59号 四(五) (依昆政发〔2010〕8号) — 1000—2000亩 100元/亩,
2000—3000亩 150元/亩, 3000亩以上 200元/亩; the shared boundary goes to the higher tier and
less than 1000亩 gets 0 (interpretations, docs/interpretations.md). So 500亩 → 0 元,
1000亩 → 100,000 元, 2000亩 → 2000 × 150 = 300,000 元, 3000亩 → 3000 × 200 = 600,000 元.
"""

import csv
import io
import json

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

LAND = "agriculture.land_transfer_reward"
HQ = "headquarters.certification"


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("rules", "batch", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def land_table():
    return pa.table({"parcel": ["P-1", "P-2", "P-3", "P-4"], "village_code": [11, 12, 13, 14],
                     "area_mu": [500.0, 1000.0, 2000.0, 3000.0]})


def test_parquet_to_parquet_carries_the_id_columns(tmp_path):
    src, dst = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pq.write_table(land_table(), src)
    out, _ = run(LAND, "--input", str(src), "--output", str(dst), "--id", "parcel", "--id", "village_code",
                 "--at", "2011-01-01", "--json")
    summary = json.loads(out)
    assert summary["rows"] == 4 and summary["outcomes"] == {"eligible": 3, "ineligible": 1}
    t = pq.read_table(dst)
    assert t.column_names[:2] == ["parcel", "village_code"]  # identifiers first, in the order given
    assert t.column("parcel").to_pylist() == ["P-1", "P-2", "P-3", "P-4"]
    assert t.column("village_code").to_pylist() == [11, 12, 13, 14] and t.schema.field("village_code").type == pa.int64()
    # 59号 四(五): 500亩 below the lowest tier, then 100, 150, 200 元/亩
    assert t.column("amount_yuan").to_pylist() == [0, 100_000, 300_000, 600_000]
    assert t.column("tier").to_pylist() == [0, 1, 2, 3]
    assert t.column("outcome").to_pylist() == ["ineligible", "eligible", "eligible", "eligible"]
    assert pa.types.is_dictionary(t.schema.field("outcome").type)  # labels stay codes + categories


def test_unknown_columns_refused_unless_carried(tmp_path):
    src = tmp_path / "in.parquet"
    pq.write_table(land_table(), src)
    with pytest.raises(CommandError) as e:
        run(LAND, "--input", str(src), "--output", str(tmp_path / "o.parquet"), "--json")
    assert e.value.returncode == 2 and "parcel" in str(e.value) and "village_code" in str(e.value)
    assert not (tmp_path / "o.parquet").exists()
    with pytest.raises(CommandError) as e:
        run(LAND, "--input", str(src), "--output", str(tmp_path / "o.parquet"), "--id", "no_such", "--json")
    assert "no_such" in str(e.value)
    run(LAND, "--input", str(src), "--output", str(tmp_path / "o.parquet"), "--keep-columns", "--at", "2011-01-01", "--json")
    t = pq.read_table(tmp_path / "o.parquet")
    assert t.column_names[:2] == ["parcel", "village_code"] and t.column("amount_yuan").to_pylist()[3] == 600_000


def test_chunks_give_the_same_rows_and_errors_name_the_row_of_the_file(tmp_path):
    areas = [500, 1000, 2000, 3000, 999, 1999, 2999, 5000, 0]
    src = tmp_path / "in.csv"
    src.write_text("id,area_mu\n" + "".join(f"R{i},{a}\n" for i, a in enumerate(areas)), encoding="utf-8")
    whole, chunked = tmp_path / "whole.csv", tmp_path / "chunked.csv"
    run(LAND, "--input", str(src), "--output", str(whole), "--at", "2011-01-01", "--json")
    out, _ = run(LAND, "--input", str(src), "--output", str(chunked), "--at", "2011-01-01", "--json", "--chunk-rows", "2")
    assert json.loads(out)["rows"] == 9
    assert chunked.read_text(encoding="utf-8") == whole.read_text(encoding="utf-8")
    rows = list(csv.DictReader(chunked.open(encoding="utf-8")))
    # 1999亩 → 1999 × 100; 2999亩 → 2999 × 150; 5000亩 → 5000 × 200 (59号 四(五))
    assert [float(r["amount_yuan"]) for r in rows] == [0, 100_000, 300_000, 600_000, 0, 199_900, 449_850, 1_000_000, 0]
    # Parquet in row groups of 2, read 2 rows at a time: the same answers
    pq.write_table(pa.table({"id": [f"R{i}" for i in range(len(areas))], "area_mu": [float(a) for a in areas]}),
                   tmp_path / "in.parquet", row_group_size=2)
    run(LAND, "--input", str(tmp_path / "in.parquet"), "--output", str(tmp_path / "o.parquet"), "--at", "2011-01-01",
        "--json", "--chunk-rows", "2")
    assert pq.read_table(tmp_path / "o.parquet").column("amount_yuan").to_pylist() == [float(r["amount_yuan"]) for r in rows]
    # a bad value in the 8th row (the 4th chunk): refused naming the field and that row; the
    # output written before is left as it was (the new one goes to a temporary file first)
    src.write_text("id,area_mu\n" + "".join(f"R{i},{a}\n" for i, a in enumerate(areas[:7] + [-5])), encoding="utf-8")
    with pytest.raises(CommandError) as e:
        run(LAND, "--input", str(src), "--output", str(chunked), "--at", "2011-01-01", "--json", "--chunk-rows", "2")
    assert e.value.returncode == 2 and "area_mu" in str(e.value) and "第8行" in str(e.value)
    assert chunked.read_text(encoding="utf-8") == whole.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".part")) == []


def test_headquarters_parquet_wide_form_and_csv_agree(tmp_path):
    # 63号 附件 第六条: capital 1亿, revenue 5亿, last year's local share 2500万 → comprehensive;
    # 第七条(一) 4000万 / 2亿 / 1000万 → functional.general too; the second row has 2 subsidiaries
    # (第五条(四) 不少于3个) and so qualifies for nothing.
    header = ["enterprise", "registered_in_kunming", "pays_tax_in_kunming", "fits_industrial_policy", "clean_record",
              "revenue_share_from_subsidiaries", "subsidiaries", "capital_or_net_assets_yuan", "revenue_last_year_yuan",
              "local_tax_share_by_year_yuan.2010", "local_tax_share_by_year_yuan.2009", "years_operating_in_kunming", "as_of"]
    rows = [["E1", "true", "true", "true", "true", "0.3", "3", "100000000", "500000000", "25000000", "", "5", "2011-03-15"],
            ["E2", "true", "true", "true", "true", "0.3", "2", "100000000", "500000000", "25000000", "", "5", "2011-03-15"]]
    src = tmp_path / "hq.csv"
    src.write_text(",".join(header) + "\n" + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    run(HQ, "--input", str(src), "--output", str(tmp_path / "hq_out.csv"), "--id", "enterprise", "--json")
    import datetime as dt

    table = pa.table({
        "enterprise": ["E1", "E2"], "registered_in_kunming": [True, True], "pays_tax_in_kunming": [True, True],
        "fits_industrial_policy": [True, True], "clean_record": [True, True], "revenue_share_from_subsidiaries": [0.3, 0.3],
        "subsidiaries": pa.array([3, 2], type=pa.int32()), "capital_or_net_assets_yuan": [1e8, 1e8],
        "revenue_last_year_yuan": [5e8, 5e8], "local_tax_share_by_year_yuan.2010": [2.5e7, 2.5e7],
        "local_tax_share_by_year_yuan.2009": pa.array([None, None], type=pa.float64()),
        "years_operating_in_kunming": [5.0, 5.0], "as_of": pa.array([dt.date(2011, 3, 15)] * 2, type=pa.date32())})
    pq.write_table(table, tmp_path / "hq.parquet")
    run(HQ, "--input", str(tmp_path / "hq.parquet"), "--output", str(tmp_path / "hq_out.parquet"), "--id", "enterprise", "--json")
    t = pq.read_table(tmp_path / "hq_out.parquet")
    csv_rows = list(csv.DictReader((tmp_path / "hq_out.csv").open(encoding="utf-8")))
    assert [r["qualifies_for"] for r in csv_rows] == ["comprehensive;functional.general", ""]
    assert t.column("qualifies_for").to_pylist() == ["comprehensive;functional.general", ""]
    assert t.column("qualifies_for.comprehensive").to_pylist() == [True, False]
    assert t.column("outcome").to_pylist() == [r["outcome"] for r in csv_rows] == ["eligible", "ineligible"]
    assert t.column("enterprise").to_pylist() == [r["enterprise"] for r in csv_rows] == ["E1", "E2"]


def test_xlsx_in_and_out(tmp_path):
    from openpyxl import Workbook, load_workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["parcel", "area_mu"])
    for p, a in [("P-1", 500), ("P-2", 1000), ("P-3", 2000.0), ("P-4", 3000)]:
        ws.append([p, a])
    wb.save(tmp_path / "in.xlsx")
    run(LAND, "--input", str(tmp_path / "in.xlsx"), "--output", str(tmp_path / "out.xlsx"), "--id", "parcel",
        "--at", "2011-01-01", "--json")
    rows = list(load_workbook(tmp_path / "out.xlsx").worksheets[0].iter_rows(values_only=True))
    head = list(rows[0])
    assert head[:2] == ["parcel", "outcome"]
    assert [(r[0], r[head.index("amount_yuan")]) for r in rows[1:]] == [("P-1", 0), ("P-2", 100_000), ("P-3", 300_000),
                                                                         ("P-4", 600_000)]


def _hq_dataset(path, n=6000, files=3, seed=7):
    """Generated headquarters cases, a share of them exactly on the thresholds of 63号."""
    rng = np.random.default_rng(seed)
    on = np.array([1e7, 2e7, 2.5e7, 4e7, 5e7, 1e8, 2e8, 5e8, 1e9, 1.5e6, 2.5e6, 3e6, 4e6])

    def money(lo, hi):
        x = np.round(np.exp(rng.uniform(np.log(lo), np.log(hi), n)))
        m = rng.random(n) < 0.2
        x[m] = rng.choice(on, m.sum())
        return x

    base = np.minimum(money(5e5, 5e7), 5e7)
    t3 = np.round(base * rng.choice([1.1, 1.2, 1.21, 1.5], n))
    t2 = np.round(t3 * rng.choice([1.1, 1.2, 1.21, 1.5], n))
    t1 = np.round(t2 * rng.choice([1.1, 1.2, 1.21, 1.5], n))
    cols = {"case_id": np.arange(n), "county": rng.choice(["五华区", "盘龙区", "晋宁县"], n)}
    for b in ("registered_in_kunming", "pays_tax_in_kunming", "fits_industrial_policy", "clean_record"):
        cols[b] = rng.random(n) < 0.95
    for b in ("modern_services_field", "main_business_trade_circulation", "mofcom_recognised_investment_company",
              "financial_institution", "high_tech_certified", "key_logistics_enterprise",
              "qualified_cultural_enterprise", "traditional_advantage_industry"):
        cols[b] = rng.random(n) < 0.3
    cols.update({
        "revenue_share_from_subsidiaries": rng.choice([0.1, 0.29, 0.3, 0.31, 0.9], n),
        "subsidiaries": rng.integers(0, 6, n), "capital_or_net_assets_yuan": money(1e6, 5e8),
        "revenue_last_year_yuan": money(1e7, 3e9), "high_tech_output_yuan": money(1e6, 2e8),
        "years_operating_in_kunming": rng.choice([1.0, 2.9, 3.0, 12.0], n),
        "local_tax_share_by_year_yuan.2010": t1, "local_tax_share_by_year_yuan.2009": t2,
        "local_tax_share_by_year_yuan.2008": t3, "local_tax_share_by_year_yuan.2007": base,
    })
    path.mkdir()
    table = pa.table(cols)
    step = n // files
    for i in range(files):
        pq.write_table(table.slice(i * step, step if i < files - 1 else n - i * step), path / f"part-{i}.parquet")
    return table


def test_dask_on_two_local_workers_equals_the_in_process_batch(tmp_path):
    _hq_dataset(tmp_path / "cases")
    run(HQ, "--input", str(tmp_path / "cases"), "--output", str(tmp_path / "here.parquet"),
        "--id", "case_id", "--keep-columns", "--at", "2011-03-15", "--json")
    out, _ = run(HQ, "--input", str(tmp_path / "cases"), "--output", str(tmp_path / "dask_out"),
                 "--id", "case_id", "--keep-columns", "--at", "2011-03-15", "--json", "--dask")
    summary = json.loads(out)
    assert summary["workers"] == 2 and summary["rows"] == 6000 and summary["partitions"] == 3
    here = pq.read_table(tmp_path / "here.parquet")
    there = pq.read_table(tmp_path / "dask_out").sort_by("case_id")
    assert there.column_names == here.column_names
    assert here.column("case_id").to_pylist() == list(range(6000))
    for name in here.column_names:  # row for row, every column (labels compared as text)
        a, b = here.column(name), there.column(name)
        if pa.types.is_dictionary(a.type):
            a = a.cast(pa.string())
        if pa.types.is_dictionary(b.type):
            b = b.cast(pa.string())
        assert a.to_pylist() == b.to_pylist(), name
    # a second run into the same directory is refused (it would mix two data sets' files)
    with pytest.raises(CommandError) as e:
        run(HQ, "--input", str(tmp_path / "cases"), "--output", str(tmp_path / "dask_out"),
            "--id", "case_id", "--keep-columns", "--at", "2011-03-15", "--json", "--dask")
    assert e.value.returncode == 2 and "output" in str(e.value)
    # not a vacuous comparison: the generated cases reach both outcomes and several categories
    outcomes = here.column("outcome").cast(pa.string()).to_pylist()
    assert {"eligible", "ineligible"} <= set(outcomes)
    assert sum(bool(v) for v in here.column("qualifies_for").cast(pa.string()).to_pylist()) == outcomes.count("eligible")
