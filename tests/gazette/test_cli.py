"""`kmgov gazette show | search | export` (ingest is covered in test_ingest.py)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command("gazette", *args, stdout=out)
    return out.getvalue()


def test_show_a_document_and_a_node(ingested):
    doc = json.loads(_run("show", "昆政发〔2010〕59号", "--json"))
    assert doc["document"]["signed_on"] == "2010-06-22"
    text = _run("show", "昆政发〔2010〕59号")
    assert "[四(五)]" in text and "土地流转补助政策" in text
    node = json.loads(_run("show", "昆政发〔2010〕59号", "--path", "四(三)", "--json"))
    # 59号 四(三): 连片5亩以上 … 每亩500元/年 … 连续补助3年
    assert "500 元/年" in node["text"] and node["kind"] == "section"


def test_search_prints_ranked_hits(ingested):
    hits = json.loads(_run("search", "零申报", "--json", "--limit", "3"))
    assert len(hits) == 3
    assert all(h["docno"] in ("昆政办〔2010〕107号", "昆政办〔2010〕106号") for h in hits)
    assert hits[0]["score"] >= hits[1]["score"] >= hits[2]["score"]


def test_unknown_document_and_empty_query_exit_2(ingested):
    with pytest.raises(CommandError) as e:
        _run("show", "昆政发〔2010〕1号")
    assert e.value.returncode == 2 and "未收录" in str(e.value)
    with pytest.raises(CommandError) as e:
        _run("search", "   ")
    assert e.value.returncode == 2


def test_export_akn_to_a_file(ingested, tmp_path):
    out = tmp_path / "60.xml"
    _run("export", "昆政发〔2010〕60号", "--format", "akn", "-o", str(out))
    assert out.read_bytes().startswith(b"<?xml") and "碳汇".encode() in out.read_bytes()
