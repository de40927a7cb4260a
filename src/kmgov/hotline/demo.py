"""Demo of the 96128 desk for `kmgov demo` (idempotent: the tickets are filed once): a 话务员
(hotline operator), 联络员 (department liaisons) of 市林业局 and 市国土资源局, and tickets in
each state of the lifecycle — answered, dispatched with a supporting unit, refused and
re-dispatched, replied, closed and called back, reopened after a dissatisfied call-back,
merged, paused, with an extension request — plus a missed call to call back."""

import datetime as dt

from kmgov.core import calendar
from kmgov.core.demo_accounts import ensure_account
from kmgov.core.models import Role

from . import services
from .models import KbEntry, Ticket

MARK = "（演示）"


def contribute(stdout):
    op = ensure_account("demo-96128-hwy", "96128 话务员", Role.HOTLINE_OPERATOR,
                        "city-mayors-hotline", "话务员")
    lin = ensure_account("demo-shi-lyj-lly", "市林业局联络员", Role.DEPARTMENT_LIAISON,
                         "city-forestry", "联络员")
    land = ensure_account("demo-shi-gtj-lly", "市国土资源局联络员", Role.DEPARTMENT_LIAISON,
                          "city-land", "联络员")
    stdout.write("  96128: demo-96128-hwy（话务员）, demo-shi-lyj-lly / demo-shi-gtj-lly（联络员）\n")
    if Ticket.objects.filter(text__endswith=MARK).exists():
        return
    # The last working day before today, 10:00: the desk's day of the demo.
    day = calendar.local(dt.datetime.now(tz=calendar.TZ)).date()
    day = calendar.add_working_days(day, -1) if calendar.is_working_day(day) else \
        calendar.add_working_days(calendar.next_working_day(day), -1)
    now = dt.datetime.combine(day, dt.time(10), tzinfo=calendar.TZ)

    def file(text, kind="other", phone="13800000001", name="市民", **kw):
        return services.ticket_create(channel="phone", request_type=kind, text=text + MARK,
                                      actor=op, now=now, route=False, caller_name=name,
                                      caller_phone=phone, **kw)

    entry = KbEntry.objects.filter(key="ag-conversion-subsidy").first()
    if entry is not None:
        t = file("田里改种苗木每亩补助多少？", kind="query", phone="13800000002", name="王先生")
        services.ticket_answer(ticket=t, entry=entry, actor=op, now=now)
    t = file("林区边上有人烧荒，请管一管", phone="13800000003", name="赵女士")
    services.ticket_dispatch(ticket=t, lead="city-forestry", supporting=["city-land"],
                             actor=op, now=now, note="请林业局牵头，国土局配合")
    services.ticket_note(ticket=t, text="来电人说烧荒多在下午", actor=op, now=now)
    services.ticket_extension_request(ticket=t, days=3, reason="需会同乡镇现场核查",
                                      actor=lin, now=now)
    t = file("村后山坡有裂缝，担心滑坡", phone="13800000004", name="李先生")
    services.ticket_dispatch(ticket=t, lead="city-forestry", actor=op, now=now)
    services.ticket_refuse(ticket=t, reason="地质灾害隐患由国土资源部门负责", actor=lin, now=now)
    t = file("小区旁采石场放炮震裂墙体", phone="13800000005", name="周女士")
    services.ticket_dispatch(ticket=t, lead="city-land", actor=op, now=now)
    services.reply_record(ticket=t, method="phone", text="已责令采石场停止爆破并评估损失",
                          actor=land, now=now)
    master = file("公园里的古树被人砍了枝", phone="13800000006", name="孙先生")
    master = services.ticket_dispatch(ticket=master, lead="city-forestry", actor=op, now=now)
    master = services.reply_record(ticket=master, method="phone", text="已立案调查并补种",
                                   actor=lin, now=now)
    master = services.ticket_finish(ticket=master, result="林业局已立案调查，并在原处补种。", actor=op,
                           now=now)
    dup = file("公园古树被砍，请查一下", phone="13800000007", name="钱女士")
    services.ticket_merge(ticket=dup, master_number=master.number, actor=op, now=now)
    services.ticket_call_back(ticket=master, satisfaction=4, actor=op, now=now)
    again = file("护林员没来巡查", phone="13800000006", name="孙先生")
    again = services.ticket_dispatch(ticket=again, lead="city-forestry", actor=op, now=now)
    again = services.reply_record(ticket=again, method="phone", text="已安排巡查", actor=lin,
                                  now=now)
    again = services.ticket_finish(ticket=again, result="已安排护林员每日巡查。", actor=op, now=now)
    services.ticket_call_back(ticket=again, satisfaction=2, note="仍未见到护林员", actor=op,
                              now=now)
    t = file("想问林权证补办，材料没带齐", phone="13800000008", name="吴先生")
    t = services.ticket_dispatch(ticket=t, lead="city-forestry", actor=op, now=now)
    services.ticket_suspend(ticket=t, note="请来电人补充林权证编号", actor=op, now=now)
    services.missed_call_record(phone="13800000009", actor=op, at=now)
    stdout.write("  96128: 演示工单已生成（答复、派单、退单、并单、办结、回访、挂起、延期申请、未接来电）\n")
