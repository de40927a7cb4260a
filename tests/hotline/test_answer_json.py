"""The desk's answers endpoint writes answers without a computed result straight to JSON
(`hotline.api.FAST_ANSWERS`), not through ninja's validation of `AnswersOut`: byte for byte
the response the schema's way gives, for every question of the team's set (answers with and
without a computed result, gazette nodes, every limit)."""

import importlib.util
import json
import urllib.parse
from pathlib import Path

import pytest
from django.test import Client

from kmgov.hotline import api, kb

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "kb_quality.py"


def _questions():
    spec = importlib.util.spec_from_file_location("kb_quality", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return [q for q, _ in mod.QUESTIONS]


@pytest.mark.django_db
def test_answers_written_directly_are_what_the_schema_writes(desk, seed_path, monkeypatch):
    from kmgov.gazette.services import issue_ingest

    issue_ingest(data=seed_path.read_bytes(), source_name=seed_path.name)
    monkeypatch.setattr(kb, "CACHE_SECONDS", 0)
    c = Client()
    computed = plain = 0
    questions = [*_questions(), "碳汇造林的资金怎么管理", "流转了1500亩地，政府奖励多少",
                 "火星移民签证"]
    for q in questions:
        for extra in ("", "&nodes=false", "&limit=2", "&limit=50&nodes=true"):
            url = "/api/v1/hotline/answers?q=" + urllib.parse.quote(q) + extra
            monkeypatch.setattr(api, "FAST_ANSWERS", True)
            fast = c.get(url)
            monkeypatch.setattr(api, "FAST_ANSWERS", False)
            schema = c.get(url)
            assert fast.status_code == schema.status_code == 200
            assert fast["Content-Type"] == schema["Content-Type"]
            assert fast.content == schema.content, (q, extra)
            answers = json.loads(fast.content)["answers"]
            computed += sum(bool(a["computed"]) for a in answers)
            plain += sum(not a["computed"] for a in answers)
    # both kinds of answer were compared, many times over
    assert computed >= len(_questions()) and plain >= 4 * len(_questions())
