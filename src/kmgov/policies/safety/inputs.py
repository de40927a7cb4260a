"""Typed inputs of the safety procedures' steps and services (Chinese titles: the forms)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_noop
from pydantic import Field

from kmgov.procedures.inputs import StepInput


class AnswerInput(StepInput):
    """106号 附件 第九条: 将采取的措施和落实情况报发出告诫通知的单位备案."""

    measures: str = Field(title=gettext_noop("采取的措施和落实情况"), min_length=5, max_length=4000)


GROUND_FIELDS = (
    "leader_dual_post_not_performed", "safeguards_not_in_place", "duties_unclear",
    "target_or_emergency_system_missing", "other_prompt", "department_duty_not_performed",
    "major_hazard_rectification_inadequate", "major_hazard_source_monitoring_inadequate",
    "zero_report_inadequate", "other_notice", "major_hazard_unrectified_after_supervision",
    "unsafe_enterprise_not_closed", "no_measures_after_prompt_or_notice", "other_admonition",
    "dual_post_still_inadequate", "gaps_remain", "major_hazard_measures_not_implemented",
    "major_hazard_source_measures_not_implemented", "zero_report_late_incomplete_or_untrue",
    "other_disclosure", "no_effective_measures_after_all_warnings", "needs_principal_leader",
    "other_important_matter",
)


class WarningDraftInput(StepInput):
    """A warning to be issued: the warned unit, the action, the grounds (106号 第四条–第八条).
    The counts of 第六条(一)(二)(五) are read from the registers, never typed."""

    recipient: str = Field(title=gettext_noop("警示对象（单位代码）"), max_length=64)
    level: str = Field(title=gettext_noop("警示措施"), max_length=20)
    grounds: list[str] = Field(default_factory=list, title=gettext_noop("警示事由"), max_length=30)
    notice_text: str = Field("", title=gettext_noop("通知内容"), max_length=4000)


class AccidentInput(StepInput):
    """国务院令第493号 grades; 106号 第六条(一)(二) counts them."""

    org: str = Field(title=gettext_noop("事故单位（单位代码）"), max_length=64)
    occurred_on: dt.date = Field(title=gettext_noop("事故日期"))
    grade: str = Field(title=gettext_noop("事故等级"), max_length=16)
    deaths: int = Field(0, title=gettext_noop("死亡人数"), ge=0, le=10000)
    summary: str = Field(title=gettext_noop("事故概况"), min_length=2, max_length=300)
