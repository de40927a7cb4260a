"""楼宇经济发展指数的数据 (昆政发〔2010〕62号 附件2).

- `Indicator`: the 47 indicators of the annex's table (一(二)), as parsed from the gazette,
  each with its unit (the printed one kept beside the one used: 指标11), direction and source;
- `IndicatorValue`: the data set, one value per county, year and indicator (entered or
  imported; 附件2 三.4: 各有关部门负责有关指标的统计、审核和提供);
- `IndexSpec`: the pipeline specification and weights, versioned (附件2 二(三): expert weights
  without numbers, so every weight is an interpretation; 一(三): the system is adjusted over
  time). A new version never changes an old run;
- `IndexRun`: one computation, kept with its specification, framework, inputs, result,
  sensitivity analysis and the discrepancies of the annex (12 vs 11 indicators, the unit typo).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

DOC = "昆政发〔2010〕62号"


class Indicator(models.Model):
    number = models.PositiveSmallIntegerField("序号", unique=True)
    subsystem = models.CharField("子系统", max_length=20)
    domain = models.CharField("领域", max_length=20)
    name = models.CharField("指标名称", max_length=100)
    unit = models.CharField("单位", max_length=20)
    unit_printed = models.CharField("公报所印单位", max_length=20)
    direction = models.SmallIntegerField("方向", choices=[(1, "越大越好"), (-1, "越小越好")], default=1)
    source = models.CharField("数据来源", max_length=100, blank=True)
    citation = models.CharField("出处", max_length=100)

    class Meta:
        ordering = ["number"]
        verbose_name = "发展指数指标"
        verbose_name_plural = "发展指数指标"

    def __str__(self) -> str:
        return f"{self.number}. {self.name}（{self.unit}）"

    @property
    def code(self) -> str:
        return f"i{self.number:02d}"


class IndicatorValue(models.Model):
    org = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+",
                            verbose_name="县（市）区")
    year = models.PositiveSmallIntegerField("年度")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values",
                                  verbose_name="指标")
    value = models.FloatField("数值")
    note = models.CharField("说明", max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "year", "indicator"],
                                               name="devindex_value_once")]
        ordering = ["year", "org__code", "indicator__number"]
        verbose_name = "指标数值"
        verbose_name_plural = "指标数值"


class IndexSpec(models.Model):
    version = models.PositiveIntegerField("版本", unique=True)
    spec = models.JSONField("规格")
    reason = models.CharField("修订理由", max_length=500)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = "指数规格与权重"
        verbose_name_plural = "指数规格与权重"

    def __str__(self) -> str:
        return f"第{self.version}版"


class IndexRun(models.Model):
    year = models.PositiveSmallIntegerField("年度")
    spec = models.ForeignKey(IndexSpec, on_delete=models.PROTECT, related_name="runs",
                             verbose_name="规格版本")
    spec_data = models.JSONField("所用规格")
    framework = models.JSONField("指标体系")
    inputs = models.JSONField("输入数据")
    result = models.JSONField("结果")
    sensitivity = models.JSONField("敏感性分析", default=dict)
    discrepancies = models.JSONField("公报中的不一致", default=list)
    fingerprint = models.CharField("指纹", max_length=64, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-created_at", "-id"]
        verbose_name = "指数计算"
        verbose_name_plural = "指数计算"

    def __str__(self) -> str:
        return f"{self.year}年楼宇经济发展指数（第{self.spec.version}版规格）"
