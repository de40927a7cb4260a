"""Answers that compute, stored and sent (issue 13 item 8): the operator's "answer from the
knowledge base" keeps the amount the ticket's own facts compute, with its provision, and the
caller receives it through the outbox; and the computed sentences come from the catalogue
(Chinese by default, English when chosen)."""

import datetime as dt
import html
import re

import pytest
import yaml
from tsv_english import english_from_tsv, tsv_table

from kmgov.core import calendar
from kmgov.hotline import compute, services
from kmgov.hotline.models import KbEntry, TicketStatus
from kmgov.procedures import notify
from kmgov.procedures.models import Delivery

WED = dt.datetime(2026, 11, 25, 10, 0, tzinfo=calendar.TZ)  # a Wednesday, in office hours
QUESTION = "我们合作社流转了2500亩土地，一次性奖励能拿多少？"
# 59号 四(五): 流转2000亩—3000亩的每亩150元 → 2500亩 × 150元 = 375000元（37.5万元）
COMPUTED = "按流转2500亩、每亩150元计算，一次性奖励375000元（37.5万元）（依据昆政发〔2010〕59号 四(五)）。"


def _ticket(operator, text=QUESTION, **kw):
    return services.ticket_create(channel="phone", request_type="query", text=text,
                                  actor=operator, now=WED, route=False,
                                  caller_phone="13900002222", **kw)


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["", "entry"])  # nothing typed, or the prefilled entry unchanged
def test_answer_from_the_entry_stores_and_sends_the_computed_amount(
        operator, django_capture_on_commit_callbacks, typed):
    entry = KbEntry.objects.get(key="ag-land-transfer-reward")
    notify.LoggingSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        t = _ticket(operator)
        t = services.ticket_answer(ticket=t, entry=entry, actor=operator, now=WED,
                                   text=entry.answer if typed else "")
    assert t.state == TicketStatus.ANSWERED and t.answer_entry == entry
    assert t.answer_text == COMPUTED + entry.answer
    # what was stored is what the desk would send unchanged: not an edit
    assert t.events.get(kind="answered").extra["edited"] is False
    # the answer reaches the caller through the outbox with the amount and its provision
    rows = Delivery.objects.filter(notification__ref=t.number, channel="sms").order_by("id")
    assert [d.status for d in rows] == ["sent", "sent"]  # receipt, answer
    assert rows[1].notification.body == t.answer_text
    assert "375000元" in notify.LoggingSmsBackend.outbox[-1]["text"]


@pytest.mark.django_db
def test_the_operators_own_words_are_kept(operator):
    entry = KbEntry.objects.get(key="ag-land-transfer-reward")
    t = services.ticket_answer(ticket=_ticket(operator), entry=entry, actor=operator, now=WED,
                               text="奖励375000元，请到县农业局申报。")
    assert t.answer_text == "奖励375000元，请到县农业局申报。"
    assert t.events.get(kind="answered").extra["edited"] is True


@pytest.mark.django_db
def test_the_console_prefills_the_computed_answer_and_sending_it_is_not_an_edit(
        client, operator):
    entry = KbEntry.objects.get(key="ag-land-transfer-reward")
    t = _ticket(operator)
    client.force_login(operator)
    url = f"/hotline/console/t/{t.number}/"
    page = client.get(url, {"entry": entry.pk}).content.decode()
    box = re.search(r'<textarea[^>]*id="answer-text-input"[^>]*>(.*?)</textarea>', page, re.S)
    # 59号 四(五): 2500亩 × 150元 = 375000元, before the entry's own text
    assert box and html.unescape(box.group(1)) == COMPUTED + entry.answer
    # sent as prefilled (a browser sends a textarea's line breaks as CRLF)
    r = client.post(url, {"action": "answer", "entry_id": entry.pk,
                          "text": html.unescape(box.group(1)).replace("\n", "\r\n")})
    assert r.status_code == 302
    t.refresh_from_db()
    assert t.state == TicketStatus.ANSWERED and t.answer_text == COMPUTED + entry.answer
    assert t.events.get(kind="answered").extra["edited"] is False


@pytest.mark.django_db
def test_a_changed_computed_answer_is_recorded_as_edited(client, operator):
    entry = KbEntry.objects.get(key="ag-land-transfer-reward")
    t = _ticket(operator)
    client.force_login(operator)
    text = (COMPUTED + entry.answer).replace("375000元", "37.5万元")
    client.post(f"/hotline/console/t/{t.number}/",
                {"action": "answer", "entry_id": entry.pk, "text": text})
    t.refresh_from_db()
    assert t.answer_text == text and t.events.get(kind="answered").extra["edited"] is True


@pytest.mark.django_db
def test_without_the_fact_the_console_prefills_the_entry_as_written(client, operator):
    entry = KbEntry.objects.get(key="ag-land-transfer-reward")
    t = _ticket(operator, text="流转土地有没有奖励？")  # no area: nothing computes
    client.force_login(operator)
    page = client.get(f"/hotline/console/t/{t.number}/", {"entry": entry.pk}).content.decode()
    box = re.search(r'<textarea[^>]*id="answer-text-input"[^>]*>(.*?)</textarea>', page, re.S)
    assert box and html.unescape(box.group(1)) == entry.answer
    assert "375000" not in box.group(1)


@pytest.mark.django_db
def test_without_the_fact_the_entry_is_sent_as_written(operator):
    # no area in the ticket: nothing to compute, no guess — the entry's own text
    entry = KbEntry.objects.get(key="ag-land-transfer-reward")
    t = services.ticket_answer(ticket=_ticket(operator, text="流转土地有没有奖励？"), entry=entry,
                               actor=operator, now=WED)
    assert t.answer_text == entry.answer


@pytest.mark.django_db
def test_the_stored_answer_is_chinese_whoever_answers_in_english(operator):
    entry = KbEntry.objects.get(key="ag-land-transfer-reward")
    t = _ticket(operator)
    with english_from_tsv():
        t = services.ticket_answer(ticket=t, entry=entry, actor=operator, now=WED)
    assert t.answer_text.startswith(COMPUTED)


@pytest.mark.django_db
def test_computed_answers_in_english(desk):
    with english_from_tsv():
        first = compute.answers(QUESTION, limit=3, include_nodes=False)[0]
        ask = compute.answers("流转土地的一次性奖励能拿多少", limit=3, include_nodes=False)[0]
        carbon = [a for a in compute.answers("每年烧2000升油，抵消要捐多少？", limit=3,
                                             include_nodes=False) if a.computed][0]
    assert first.text.startswith(
        "At 150 yuan per mu for 2500 mu transferred, the one-off reward is 375000 yuan "
        "(37.5 × 10,000 yuan) (under 昆政发〔2010〕59号 四(五))")
    assert ask.text.startswith("Please tell me the area of land transferred (mu), and the amount "
                               "will be worked out for you")
    # 60号 三(二): 2000升 × 2.7千克/升 = 5.4吨; × 1000元/吨 = 5400元
    assert carbon.text.startswith("Burning 2000 litres of fuel emits about 5.4 tonnes of CO2")
    assert "5400 yuan" in carbon.text
    # and Chinese again outside
    assert compute.answers(QUESTION, limit=1, include_nodes=False)[0].text.startswith("按流转2500亩")


def test_every_sentence_of_compute_yaml_is_in_the_catalogue_with_its_english():
    spec = yaml.safe_load(compute.SPEC_FILE.read_text(encoding="utf-8"))
    texts = set()
    for s in spec.values():
        for group in ("inputs", "one_of", "any_of"):
            for src in (s.get(group) or {}).values():
                texts |= {src[k] for k in ("ask", "assume") if src.get(k)}
        texts |= {s["ask"]} if s.get("ask") else set()
        texts |= set((s.get("say") or {}).values())
        texts |= {w for m in (s.get("labels") or {}).values() for w in m.values()}
    assert texts == set(compute.CATALOGUE)
    english = tsv_table()
    missing = sorted(t for t in texts if not english.get(t))
    assert missing == []
    for t in texts:  # the placeholders survive translation
        assert sorted(re.findall(r"\{\w+\}", t)) == sorted(re.findall(r"\{\w+\}", english[t])), t
