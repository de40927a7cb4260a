"""`kmgov carbon …` — 碳汇造林（昆政发〔2010〕60号）from the command line:

  kmgov carbon public [--json]                    捐资公示
  kmgov carbon verify CODE [--json]               验证荣誉证书（无效时退出码 1）
  kmgov carbon fund [--json]                      资金进度（按年度，含判定过程）
  kmgov carbon greening [--json]                  绿化指标与2015年目标
  kmgov carbon accounts --as USER [--json]        本人可见的账户
  kmgov carbon record account|donation|appropriation|greening --as USER --data JSON
  kmgov carbon pdf receipt|certificate REFERENCE --as USER --out FILE

A donation is credited with `kmgov procedures step carbon-donation REF credit --as USER
--data '{"monitor": "…"}'`."""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kmgov.core.errors import Refusal, command_error
from kmgov.policies.carbon import api, pdf, selectors, services
from kmgov.policies.carbon.models import INDICATORS

LABELS = {k: label for k, label, _ in INDICATORS}
OUTCOMES = {"met": "已达到", "not_met": "未达到", "not_applicable": "不在安排年度"}


def _dump(v):
    return json.dumps(v, ensure_ascii=False, indent=2, default=str)


class Command(BaseCommand):
    help = "碳汇造林（昆政发〔2010〕60号）：捐资账户、公示、证书验证、资金进度、绿化指标"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in [("public", "捐资公示"), ("fund", "资金进度"), ("greening", "绿化指标")]:
            sub.add_parser(name, help=text).add_argument("--json", action="store_true")
        v = sub.add_parser("verify", help="验证荣誉证书的验证码")
        v.add_argument("code")
        v.add_argument("--json", action="store_true")
        a = sub.add_parser("accounts", help="本人可见的捐资账户")
        a.add_argument("--as", dest="as_user", required=True)
        a.add_argument("--json", action="store_true")
        r = sub.add_parser("record", help="开户、登记捐资、登记市级资金、填报绿化指标")
        r.add_argument("what", choices=["account", "donation", "appropriation", "greening"])
        r.add_argument("--as", dest="as_user", required=True)
        r.add_argument("--data", required=True, help="JSON 对象")
        p = sub.add_parser("pdf", help="捐资收据或荣誉证书（PDF）")
        p.add_argument("kind", choices=["receipt", "certificate"])
        p.add_argument("reference")
        p.add_argument("--as", dest="as_user", required=True)
        p.add_argument("--out", required=True)
        p.add_argument("--verify-url", default="/carbon/verify/")

    def _user(self, name):
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise CommandError(f"没有用户“{name}”", returncode=2)
        return user

    def handle(self, *args, **o):
        try:
            return self._handle(o)
        except Refusal as exc:
            raise command_error(exc) from None

    def _handle(self, o):
        act = o["action"]
        if act == "public":
            rows = api.public(None)
            if o["json"]:
                return self.stdout.write(_dump(rows))
            for r in rows:
                self.stdout.write(f"{r['name']}\t{r['account_label']}\t{r['yuan']}元\t{r['co2_tonnes']}吨\t"
                                  f"{r['area_mu']}亩\t{'挂牌' if r['sign_eligible'] else ''}")
        elif act == "verify":
            r = selectors.certificate_verify(o["code"])
            if o["json"]:
                self.stdout.write(_dump({"valid": r is not None, **(r or {})}))
            elif r:
                self.stdout.write(f"证书有效：{r['reference']} {r['name']} {r['amount_yuan']}元 "
                                  f"{r['co2_tonnes']}吨 {r['area_mu']}亩")
            if r is None:
                raise CommandError("验证码无效：没有与之相符的荣誉证书", returncode=1)
        elif act == "fund":
            rows = api.fund(None)
            if o["json"]:
                return self.stdout.write(_dump(rows))
            for r in rows:
                self.stdout.write(f"{r['year']}\t市级{r['city_yuan']}元\t企业{r['enterprise_yuan']}元\t"
                                  f"个人{r['individual_yuan']}元\t启动资金{r['startup_yuan']}元\t"
                                  f"市级安排{OUTCOMES.get(r['outcome'], r['outcome'])}")
        elif act == "greening":
            rows = api.greening(None)
            if o["json"]:
                return self.stdout.write(_dump(rows))
            for u in rows:
                for y in u["years"]:
                    met = "、".join(LABELS[k] for k in y["met"]) or "—"
                    unmet = "、".join(LABELS[k] for k in y["not_met"]) or "—"
                    self.stdout.write(f"{u['name']}\t{y['year']}\t达到：{met}\t未达到：{unmet}")
        elif act == "accounts":
            rows = [api.account_out(a) for a in selectors.accounts_visible(self._user(o["as_user"]))]
            if o["json"]:
                return self.stdout.write(_dump(rows))
            for r in rows:
                self.stdout.write(f"{r['number']}\t{r['name']}\t{r['total_yuan']}元\t"
                                  f"{'可挂牌' if r['sign_eligible'] else ''}")
        elif act == "record":
            try:
                data = json.loads(o["data"])
            except ValueError:
                raise CommandError("--data：须为JSON对象", returncode=2) from None
            fn = {"account": services.account_open, "donation": services.donation_record,
                  "appropriation": services.appropriation_record,
                  "greening": services.greening_record}[o["what"]]
            row = fn(data if isinstance(data, dict) else None, actor=self._user(o["as_user"]))
            self.stdout.write(getattr(row, "reference", None) or getattr(row, "number", None) or str(row.pk))
        elif act == "pdf":
            d = selectors.donation_get(o["reference"], self._user(o["as_user"]))
            if d is None:
                raise CommandError("reference：没有找到该笔捐资，或您无权查看", returncode=2)
            if o["kind"] == "certificate":
                if d.state != "credited":
                    raise CommandError("reference：该笔捐资尚未登记入账户，还没有荣誉证书", returncode=2)
                data = pdf.certificate_pdf(d, verify_url=o["verify_url"])
            else:
                data = pdf.receipt_pdf(d)
            with open(o["out"], "wb") as f:
                f.write(data)
            self.stdout.write(o["out"])
