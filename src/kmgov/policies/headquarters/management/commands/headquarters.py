"""`kmgov headquarters export|step …` (see kmgov.policies._recognition_cli)."""

from kmgov.policies._recognition_cli import make_command
from kmgov.policies.headquarters.models import GreenChannelCard, HeadquartersApplication


def _card(c):
    card = GreenChannelCard.objects.filter(application=c).first()
    return card.number if card else ""


def _card_until(c):
    card = GreenChannelCard.objects.filter(application=c).first()
    return card.valid_until.isoformat() if card else ""


Command = make_command(HeadquartersApplication, title="总部企业认定", extra_columns=[
    ("hq_type", "申报类型", lambda c: c.hq_type_label()),
    ("type_qualifies", "规则判定符合所报类型", lambda c: {True: "是", False: "否"}.get(c.type_qualifies(), "")),
    ("card", "绿色通道服务卡", _card),
    ("card_until", "服务卡有效期至", _card_until),
    ("last_report_year", "最近报送统计资料年度", lambda c: c.last_report_year or ""),
])
