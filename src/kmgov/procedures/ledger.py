"""Money of the procedures kernel, policy-free: a payments ledger and capped budgets.

- `Payment`: one tranche paid on a case (or its reversal, a claw-back). A tranche is paid at
  most once: the database refuses a second row with the same (case, tranche) — unique
  constraint — and `payment_record` turns that into `AlreadyPaid` (409).
- `Budget`: a capped amount (e.g. a programme's total), drawn on inside the caller's
  transaction with the row locked (`SELECT … FOR UPDATE`), so that drawings made at the same
  moment never push `committed` past `cap`.
- `ledger_rows` / `ledger_write`: the payments of some procedures as rows, to csv or xlsx.

Policies decide amounts (with the rules engine) and when to pay; this module only records.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from kmgov.core.audit import audit_record

from .errors import ProcedureError
from .models import CaseRef

FEN = Decimal("0.01")


def money(value) -> Decimal:
    """An amount in 元 rounded half-up to the fen."""
    return Decimal(str(value)).quantize(FEN, rounding=ROUND_HALF_UP)


class AlreadyPaid(ProcedureError):
    status = 409
    code = "already_paid"


class BudgetExceeded(ProcedureError):
    status = 409
    code = "budget_exceeded"


class Payment(CaseRef):
    """One tranche of money paid on a case; a claw-back is a negative row reversing one."""

    procedure = models.CharField("办事程序", max_length=40, db_index=True)
    tranche = models.CharField("款项", max_length=64)
    label = models.CharField("款项名称", max_length=100)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    payer = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+",
                              verbose_name="付款单位")
    payee = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+",
                              verbose_name="收款单位")
    reverses = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="reversals", verbose_name="冲回的款项")
    citation = models.CharField("依据", max_length=200, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    paid_at = models.DateTimeField("支付时间")
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name="经办人")

    class Meta:
        ordering = ["paid_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "tranche"],
                                    name="payment_once_per_tranche"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = "支付记录"
        verbose_name_plural = "支付记录"


class Budget(models.Model):
    """A capped amount; `committed` (reserved or paid) never exceeds `cap`."""

    key = models.CharField(max_length=64, unique=True)
    label = models.CharField("名称", max_length=100)
    cap = models.DecimalField("总额（元）", max_digits=14, decimal_places=2)
    committed = models.DecimalField("已占用（元）", max_digits=14, decimal_places=2,
                                    default=Decimal("0"))
    citation = models.CharField("依据", max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "经费额度"
        verbose_name_plural = "经费额度"
        constraints = [
            models.CheckConstraint(condition=models.Q(committed__lte=models.F("cap")),
                                   name="budget_committed_within_cap"),
            models.CheckConstraint(condition=models.Q(committed__gte=0),
                                   name="budget_committed_not_negative"),
        ]

    @property
    def remaining(self) -> Decimal:
        return self.cap - self.committed


# ---------------------------------------------------------------- payments

def payment_record(case, *, tranche: str, label: str, amount, payer, payee, actor,
                   citation: str = "", note: str = "", now: dt.datetime | None = None,
                   reverses: Payment | None = None) -> Payment:
    """Record a tranche paid on `case` (call inside the step's transaction). A second payment
    of the same tranche is refused with `AlreadyPaid` and nothing is written."""
    ct = ContentType.objects.get_for_model(type(case))
    amount = money(amount)
    try:
        with transaction.atomic():
            row = Payment.objects.create(
                content_type=ct, object_id=case.pk, case_reference=case.reference,
                procedure=case.procedure.code, tranche=tranche, label=label, amount=amount,
                payer=payer, payee=payee, reverses=reverses, citation=citation[:200],
                note=note[:300], paid_at=now or timezone.now(),
                paid_by=actor if getattr(actor, "is_authenticated", False) else None)
    except IntegrityError:
        raise AlreadyPaid(f"事项“{case.reference}”的“{label}”已支付，不能重复支付",
                          field="tranche") from None
    audit_record(actor=actor, action=f"{case.procedure.code}.payment", obj=case, org=case.org,
                 from_state=case.state, to_state=case.state, reason=note,
                 extra={"tranche": tranche, "amount": str(amount), "payer": payer.code,
                        "payee": payee.code, "citation": citation,
                        "reverses": reverses.pk if reverses else None})
    return row


def payment_clawback(payment: Payment, *, tranche: str, amount, actor, reason: str,
                     case=None, now=None) -> Payment:
    """Reverse (part of) a payment: a negative row, once per `tranche` key."""
    case = case or payment.case
    return payment_record(
        case, tranche=tranche, label=f"追回：{payment.label}", amount=-money(amount),
        payer=payment.payee, payee=payment.payer, actor=actor, citation=payment.citation,
        note=reason, now=now, reverses=payment)


def payments_of(case):
    ct = ContentType.objects.get_for_model(type(case))
    return Payment.objects.filter(content_type=ct, object_id=case.pk).select_related(
        "payer", "payee", "paid_by")


def paid_total(case) -> Decimal:
    return payments_of(case).aggregate(s=models.Sum("amount"))["s"] or Decimal("0")


# ---------------------------------------------------------------- budgets

def budget_ensure(key: str, *, label: str, cap, citation: str = "") -> Budget:
    """The budget row `key`, created with `cap` the first time (race-safe)."""
    try:
        with transaction.atomic():
            row, _ = Budget.objects.get_or_create(
                key=key, defaults=dict(label=label, cap=money(cap), citation=citation[:200]))
    except IntegrityError:
        row = Budget.objects.get(key=key)
    return row


def budget_draw(key: str, amount, *, actor=None, reason: str = "") -> Budget:
    """Commit `amount` of the budget `key`, inside the caller's transaction. The row is locked
    first, the remaining amount checked after the lock: concurrent drawings queue, and the one
    that would pass the cap is refused with `BudgetExceeded` (its transaction rolls back)."""
    amount = money(amount)
    row = Budget.objects.select_for_update().get(key=key)
    if row.committed + amount > row.cap:
        raise BudgetExceeded(
            f"“{row.label}”余额不足：总额{row.cap}元，已占用{row.committed}元，"
            f"尚余{row.remaining}元，本次需{amount}元（{row.citation}）", field="amount")
    row.committed += amount
    row.save(update_fields=["committed", "updated_at"])
    audit_record(actor=actor, action="budget.draw", object_type="procedures.budget",
                 object_id=row.key, reason=reason,
                 extra={"amount": str(amount), "committed": str(row.committed),
                        "cap": str(row.cap)})
    return row


def budget_release(key: str, amount, *, actor=None, reason: str = "") -> Budget:
    amount = money(amount)
    row = Budget.objects.select_for_update().get(key=key)
    row.committed = max(Decimal("0"), row.committed - amount)
    row.save(update_fields=["committed", "updated_at"])
    audit_record(actor=actor, action="budget.release", object_type="procedures.budget",
                 object_id=row.key, reason=reason,
                 extra={"amount": str(amount), "committed": str(row.committed)})
    return row


# ---------------------------------------------------------------- export

LEDGER_COLUMNS = ("事项编号", "办事程序", "款项", "款项名称", "金额（元）", "付款单位", "收款单位",
                  "支付时间", "经办人", "依据", "说明")


def ledger_rows(procedures, *, qs=None) -> list[list]:
    qs = qs if qs is not None else Payment.objects.filter(procedure__in=list(procedures))
    out = []
    for p in qs.select_related("payer", "payee", "paid_by").order_by("paid_at", "id"):
        out.append([p.case_reference, p.procedure, p.tranche, p.label, p.amount, p.payer.name,
                    p.payee.name, timezone.localtime(p.paid_at).strftime("%Y-%m-%d %H:%M"),
                    p.paid_by.username if p.paid_by else "", p.citation, p.note])
    return out


def ledger_write(rows: list[list], path, fmt: str) -> int:
    """Write the rows (with the header) to `path` as "csv" (UTF-8 with BOM, for Excel) or
    "xlsx". Returns the number of payment rows written."""
    if fmt == "csv":
        with open(path, "w", newline="", encoding="utf-8-sig") as fh:
            w = csv.writer(fh)
            w.writerow(LEDGER_COLUMNS)
            for r in rows:
                w.writerow([str(v) for v in r])
    elif fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "支付台账"
        ws.append(list(LEDGER_COLUMNS))
        for r in rows:
            ws.append([float(v) if isinstance(v, Decimal) else v for v in r])
        wb.save(path)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return len(rows)
