"""What a caller sends with each step of a 96128 ticket (typed step inputs of the kernel).

Each is validated by the kernel before anything is locked or written (422 with a Chinese
message per field, unknown fields refused) whichever channel sends it: the desk's pages and
JSON API, the kernel's `POST /api/v1/cases/hotline/{reference}/steps/{step}`, the CLI.
"""

from __future__ import annotations

import enum
from typing import Annotated

from django.utils.translation import gettext_noop as N_
from pydantic import Field, StringConstraints, field_validator

from kmgov.procedures.inputs import StepInput, org_choices

#: A department's reply or a note: the desk's limit on any text (SPEC X-9).
MAX_TEXT = 5000

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT)]


def _clean(cls, v):
    from .kb import clean_text

    return clean_text(v) if isinstance(v, str) else v


_clean = classmethod(_clean)


class ReplyMethod(str, enum.Enum):
    phone = "phone"
    email = "email"

    @property
    def label(self) -> str:
        return {"phone": "电话", "email": "邮件"}[self.value]


class AnswerInput(StepInput):
    entry_id: int = Field(title=N_("知识库条目"), ge=1,
                          description=N_("部门授权、在授权期内的知识库条目"))
    text: Note = Field(default="", title=N_("答复内容"),
                       description=N_("预填所选条目的答案，话务员可以修改；不填即用条目原文"))

    clean_answer = field_validator("text", mode="before")(_clean)

    @classmethod
    def form_choices(cls, name: str):
        """The answerable entries today, by their question (the form never asks for a number)."""
        if name != "entry_id":
            return None
        from django.utils import timezone

        from .models import EntryStatus, KbEntry

        today = timezone.localdate()
        qs = (KbEntry.objects.filter(status=EntryStatus.ACTIVE, valid_from__lte=today)
              .exclude(valid_to__lt=today).order_by("question"))
        return [(str(e.pk), e.question) for e in qs]


class RouteInput(StepInput):
    note: Note = Field(default="", title=N_("转办说明"))

    clean_note = field_validator("note", mode="before")(_clean)


class TransferInput(StepInput):
    to_org: str = Field(title=N_("转办单位"), min_length=1, max_length=64,
                        description=N_("承办的委办局、县（市）区或开发（度假）区"))
    note: Note = Field(default="", title=N_("转办说明"))

    clean_note = field_validator("note", mode="before")(_clean)

    @classmethod
    def form_choices(cls, name: str):
        if name != "to_org":
            return None
        return org_choices(kinds=("department", "county", "zone", "other_body"))


class ReplyInput(StepInput):
    method: ReplyMethod = Field(title=N_("回复方式"))
    text: Text = Field(title=N_("回复内容"))

    clean_text = field_validator("text", mode="before")(_clean)


class CallBackInput(StepInput):
    satisfaction: int | None = Field(default=None, title=N_("满意度"), ge=1, le=5,
                                     description=N_("5 非常满意、4 满意、3 基本满意、2 不满意、"
                                                    "1 非常不满意；未能联系来电人时不填"))
    note: Note = Field(default="", title=N_("回访记录"))

    clean_note = field_validator("note", mode="before")(_clean)


def _unit_choices():
    return org_choices(kinds=("department", "county", "zone", "other_body", "unit"))


class DispatchInput(StepInput):
    lead_org: str = Field(title=N_("主办单位"), min_length=1, max_length=64,
                          description=N_("牵头办理并答复的单位"))
    supporting_orgs: list[str] = Field(default_factory=list, title=N_("协办单位"), max_length=10,
                                       description=N_("配合主办单位办理的单位（可不填）"))
    note: Note = Field(default="", title=N_("派单说明"))

    clean_note = field_validator("note", mode="before")(_clean)

    @classmethod
    def form_choices(cls, name: str):
        # 协办 stays a list of codes, one per line, on the kernel's generic form
        return _unit_choices() if name == "lead_org" else None


class RefuseInput(StepInput):
    reason_text: Text = Field(title=N_("退单理由"), description=N_("为什么不属于本单位职责、应由哪个单位办理"))

    clean_reason = field_validator("reason_text", mode="before")(_clean)


class MergeInput(StepInput):
    master: str = Field(title=N_("主工单号"), min_length=1, max_length=24,
                        description=N_("重复诉求并入的工单（同一事项先受理的工单）"))
    note: Note = Field(default="", title=N_("并单说明"))

    clean_note = field_validator("note", mode="before")(_clean)


class FinishInput(StepInput):
    result: Text = Field(title=N_("办结结果"), description=N_("告知来电人的办理结果"))

    clean_result = field_validator("result", mode="before")(_clean)


class ExtendInput(StepInput):
    days: int = Field(title=N_("同意延期（工作日）"), ge=1, le=60)
    note: Note = Field(default="", title=N_("审批意见"))

    clean_note = field_validator("note", mode="before")(_clean)


class SuspendInput(StepInput):
    note: Text = Field(title=N_("挂起原因"), description=N_("等待来电人补充什么"))

    clean_note = field_validator("note", mode="before")(_clean)


class ResumeInput(StepInput):
    note: Note = Field(default="", title=N_("恢复说明"))

    clean_note = field_validator("note", mode="before")(_clean)
