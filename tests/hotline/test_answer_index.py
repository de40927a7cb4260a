"""The desk's answers from each process's memory (issue 14 item 1) and intake without waste
(item 2): the same answers as the database's ranking, a change seen by every process on its
next question, and the queries of one intake bounded."""

import importlib.util
import json
import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from kmgov.hotline import kb, services
from kmgov.hotline.models import KbEntry

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmarks" / "kb_quality.py"


def _questions():
    spec = importlib.util.spec_from_file_location("kb_quality", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return [q for q, _ in mod.QUESTIONS]


def _ranked(monkeypatch, memory: bool, q: str, **kw):
    monkeypatch.setattr(kb, "MEMORY_INDEX", memory)
    kb.cache_clear()
    return [(a.kind, a.entry_id, a.citation, round(a.score, 9))
            for a in kb.answers(q, **kw)]


@pytest.mark.django_db
def test_the_memory_index_answers_exactly_as_the_database_ranking(desk, seed_path, monkeypatch):
    """Every question of the team's set (benchmarks/kb_quality.py) and a few gazette ones, with
    and without gazette nodes: the same answers, in the same order, with the same scores, as
    the database's full-text ranking (the source of truth, kept as the fallback)."""
    from kmgov.gazette.services import issue_ingest

    issue_ingest(data=seed_path.read_bytes(), source_name=seed_path.name)
    monkeypatch.setattr(kb, "CACHE_SECONDS", 0)
    questions = _questions() + ["碳汇造林的资金怎么管理", "商务楼宇入驻率", "零申报怎么报",
                                "地质灾害隐患点群测群防"]
    compared = 0
    for q in questions:
        for kw in ({"limit": 3, "include_nodes": False}, {"limit": 5, "include_nodes": True}):
            db = _ranked(monkeypatch, False, q, **kw)
            mem = _ranked(monkeypatch, True, q, **kw)
            assert mem == db, q
            compared += bool(db)
    assert compared >= 2 * len(_questions())  # every question found something both ways
    # and gazette nodes do come back (a node answer has no entry id, a "docno path" citation)
    assert any(k == "node" and c.startswith("昆政") for k, _, c, _ in
               _ranked(monkeypatch, True, "碳汇造林的资金怎么管理", limit=5))


@pytest.mark.django_db
def test_an_edit_or_withdrawal_is_answered_on_the_next_question(desk, admin_user,
                                                                forestry_official, monkeypatch):
    monkeypatch.setattr(kb, "CACHE_SECONDS", 0)
    entry = KbEntry.objects.get(key="fo-subsidy")
    assert kb.answers("低产林改造一亩补助多少")[0].entry_id == entry.pk
    built = kb.index()
    assert not any(a.entry_id == entry.pk for a in kb.answers("蓝莓基地"))
    # Edited so that it is found by a word no indexed text held: found at once (the index
    # was rebuilt, not only the entry re-read).
    v = services.kb_draft_edit(entry=entry, actor=admin_user,
                               question="改造低产林改种蓝莓基地，政府每亩补助多少钱？")
    # Adapted (KB governance): a change is served once its department approves it.
    assert not any(a.entry_id == entry.pk for a in kb.answers("蓝莓基地"))
    services.kb_version_approve(version=v, actor=forestry_official)
    assert kb.index() is not built
    assert kb.answers("蓝莓基地")[0].entry_id == entry.pk
    services.kb_entry_withdraw(entry=entry, actor=admin_user, reason="政策到期")
    assert all(a.entry_id != entry.pk for a in kb.answers("蓝莓基地"))
    assert all(a.entry_id != entry.pk for a in kb.answers("低产林改造一亩补助多少"))


@pytest.mark.django_db
def test_a_change_made_elsewhere_is_seen_through_the_version(desk, monkeypatch):
    """Another process's change reaches this one only through the database: its version
    bump (no local cache clear here) makes the next question rebuild the index."""
    monkeypatch.setattr(kb, "CACHE_SECONDS", 30)
    first = kb.index()
    assert kb.answers("低产林改造一亩补助多少")
    same = kb.index()
    assert same is first  # nothing changed: the same index, one version query
    entry = KbEntry.objects.get(key="fo-subsidy")
    entry.question = "蓝莓基地每亩补助多少？"
    entry.save()  # as another process would: the row, its indexed text, the version bump
    kb.entries_reindex([entry])
    kb._index = first  # … while this process still holds the index it built before
    assert kb.answers("蓝莓基地")[0].key == "fo-subsidy"
    assert kb.index() is not first


@pytest.mark.django_db
@pytest.mark.parametrize("cache", [0, 30])
def test_a_question_is_one_database_round_trip(desk, monkeypatch, django_assert_num_queries,
                                               cache):
    """With the index built, a question (ranked afresh or kept) costs one query: the hits'
    entries read together with the content versions."""
    monkeypatch.setattr(kb, "CACHE_SECONDS", cache)
    assert kb.answers("低产林改造一亩补助多少")  # builds the index (and keeps the ranking)
    with django_assert_num_queries(1):
        hits = kb.answers("低产林改造一亩补助多少")
    assert hits[0].key == "fo-subsidy"
    with django_assert_num_queries(1):  # nothing among the hits: the versions alone
        assert kb.answers("火星移民签证") == []


# --- two processes ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(tmp_path) -> str:
    """A URL other processes can open for the test's (committed) database: the PostgreSQL
    test database itself, or the in-memory SQLite test database copied to a file."""
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        return f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    dest = sqlite3.connect(path)
    connection.connection.backup(dest)
    dest.close()
    return f"sqlite:///{path}"


def _ask(port: int, q: str) -> list[int | None]:
    url = (f"http://127.0.0.1:{port}/api/v1/hotline/answers?nodes=false&q="
           + urllib.parse.quote(q))
    with urllib.request.urlopen(url, timeout=60) as r:
        return [a["entry_id"] for a in json.loads(r.read())["answers"]]


@pytest.mark.django_db(transaction=True)
def test_every_process_stops_serving_an_edited_or_withdrawn_entry(desk, admin_user,
                                                                  forestry_official, tmp_path):
    """A server (`kmgov serve`, two worker processes, each with the index it built before
    the change) and another process that edits and then withdraws an entry through the
    desk's services: the server's next answers are the changed ones, in every worker."""
    entry = KbEntry.objects.get(key="fo-subsidy")
    env = dict(os.environ, DATABASE_URL=_database_url(tmp_path), KMGOV_DEBUG="0",
               PYTHONPATH=str(ROOT / "src"), KMGOV_HOTLINE_ANSWER_CACHE="30",
               KMGOV_SECRET_KEY=secrets.token_urlsafe(40))
    env.pop("PYTEST_VERSION", None)  # the subprocesses are the application, not the tests
    port = _free_port()
    kmgov = [sys.executable, "-m", "kmgov"]
    server = subprocess.Popen([*kmgov, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                               "--threads", "2"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 240
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.time() < deadline, "the server did not start"
                time.sleep(0.3)
        for _ in range(6):
            assert _ask(port, "低产林改造一亩补助多少")[0] == entry.pk
            assert entry.pk not in _ask(port, "蓝莓基地")

        def other_process(code: str) -> None:
            p = subprocess.run(
                [sys.executable, "-c", "import django; django.setup()\n"
                 "from kmgov.hotline import services\n"
                 "from kmgov.hotline.models import KbEntry\n"
                 "from django.contrib.auth import get_user_model\n"
                 f"admin = get_user_model().objects.get(pk={admin_user.pk})\n"
                 f"entry = KbEntry.objects.get(pk={entry.pk})\n" + code],
                env=dict(env, DJANGO_SETTINGS_MODULE="kmgov.settings"), capture_output=True,
                text=True, timeout=240)
            assert p.returncode == 0, p.stderr

        # Adapted (KB governance): drafted, then approved by the department.
        other_process("v = services.kb_draft_edit(entry=entry, actor=admin, "
                      "question='改造低产林改种蓝莓基地，政府每亩补助多少钱？')\n"
                      "official = get_user_model().objects.get("
                      f"pk={forestry_official.pk})\n"
                      "services.kb_version_approve(version=v, actor=official)")
        for _ in range(6):  # each request may go to either worker: every one must agree
            assert _ask(port, "蓝莓基地")[0] == entry.pk
        other_process("services.kb_entry_withdraw(entry=entry, actor=admin, reason='到期')")
        for _ in range(6):
            assert entry.pk not in _ask(port, "蓝莓基地")
            assert entry.pk not in _ask(port, "低产林改造一亩补助多少")
    finally:
        server.terminate()
        server.wait(timeout=60)


# --- intake -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("text, request_type, status, most", [
    # counted on SQLite and PostgreSQL (the same), after one warm-up ticket; the kernel's
    # create and each step (lock, full validation, audit, inbox, deadlines) are most of them.
    # Before issue 14's perf work 63 / 43 / 65 (72 on PostgreSQL for an answer, measured):
    # one intake is now one transaction without savepoints, its steps on the row it wrote,
    # its audit entries, its events and its inbox items one INSERT each (the items its own
    # steps closed written done), its messages sent from the rows written (one UPDATE), and
    # the answer reads no fired deadlines or supporting units of a ticket just filed. Was
    # 28 / 20 / 28 before session 6.
    ("路灯坏了", "complaint", "transferred", 18),        # 116号 三(四)3: to 12345
    ("林业局办公室周六开门吗", "query", "open", 14),     # no authorised answer: stays at the desk
    # 116号 三(四)1: answered from the KB. 16 alone, with its module and after tests/charts,
    # core, gazette on PostgreSQL (session 8); CI's full PostgreSQL run, beside the SQLite
    # run, counted 17 once. A likely source (session 9): with Django's ContentType cache
    # emptied between the warm-up and the counted intake (a flush empties it), the ticket's
    # content type is read again for its inbox item, one statement more in each case here
    # (answered 16 → 17, open 14 → 15, transferred 18 → 19). The bound stays at the last one
    # that landed (18).
    ("低产林改造一亩补助多少", "query", "answered", 18),
])
def test_one_intake_through_the_api_takes_a_bounded_number_of_queries(
        operator, django_assert_max_num_queries, text, request_type, status, most):
    from kmgov.core.services import api_token_create

    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=operator).key}"}
    c = Client()

    def post(body):
        return c.post("/api/v1/hotline/tickets", data={"channel": "phone",
                      "request_type": request_type, "text": body},
                      content_type="application/json", **auth)

    assert post("预热：" + text).status_code == 201
    with django_assert_max_num_queries(most):
        r = post(text)
    assert r.status_code == 201 and r.json()["status"] == status, r.content


# --- kmgov ask ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_lines_one_question_dictionary_cuts_as_the_full_one(settings, tmp_path):
    """`kmgov ask` reads only the question's entries of jieba's dictionary (core.search
    lookup file): every question of the set, and mixed text, is cut into the same words and
    parts as with the full dictionary (the ranking then cannot differ)."""
    from kmgov.core import search

    settings.JIEBA_CACHE_DIR = tmp_path
    assert search._lean_tokenizer("碳汇") is None  # no file yet: the full dictionary is used
    assert search.lookup_write() is True
    assert search.lookup_write() is False  # up to date: not rewritten
    full = search.tokenizer()
    for q in _questions() + ["96128热线ABC公司的Office写字楼", "种花的地改种苗木有补助吗？？"]:
        lean = search._lean_tokenizer(q)
        assert lean is not None and len(lean.FREQ) < 2000
        assert list(lean.cut(q)) == list(full.cut(q)), q
        for w in full.cut(q):
            w = w.strip().lower()
            assert list(lean.cut_for_search(w)) == list(full.cut_for_search(w)), (q, w)
    search.lean = True
    try:
        assert search.tokenizer_for("碳汇林") is full  # loaded here already: the full one
    finally:
        search.lean = False
