"""`kmgov buildings export|step …` (see kmgov.policies._recognition_cli)."""

from kmgov.policies._recognition_cli import make_command
from kmgov.policies.buildings.models import BuildingApplication


def _n(v):
    return float(v) if v is not None else ""


Command = make_command(BuildingApplication, title="商务楼宇认定", extra_columns=[
    ("cert", "产权证号", lambda c: c.building.property_certificate_no),
    ("this_year", "当年财力贡献（元）", lambda c: _n(c.contribution_this_year_yuan)),
    ("last_year", "上年财力贡献（元）", lambda c: _n(c.contribution_last_year_yuan)),
    ("proposed", "拟奖励（元）", lambda c: _n(c.proposed_reward_yuan)),
    ("cap", "上限（元）", lambda c: _n(c.reward_cap_yuan)),
    ("relaxed", "放宽理由", lambda c: c.relax_reason),
    ("chosen", "择优享受", lambda c: c.chosen_policy),
    ("amount", "本项奖励（元）", lambda c: _n(c.reward_amount_yuan)),
])
