"""Administrators' dated overrides of interpretation parameters (SPEC §13, X-3).

Only parameters marked `metadata.interpretation: true` may be overridden; each override takes
effect on its date and is recorded in the audit log (see services.parameter_override_create).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class ParameterOverride(models.Model):
    parameter = models.CharField("参数", max_length=200, db_index=True)
    value = models.JSONField("取值")
    effective_from = models.DateField("生效日期")
    note = models.TextField("理由", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["parameter", "effective_from", "id"]
        verbose_name = "解释性参数的调整"
        verbose_name_plural = "解释性参数的调整"

    def __str__(self) -> str:
        return f"{self.parameter} = {self.value!r} (从 {self.effective_from})"

    def clean(self):
        from .parameters import PARAMETERS

        par = PARAMETERS.get(self.parameter)
        if par is None:
            raise ValidationError({"parameter": f"unknown parameter: {self.parameter}"})
        if not par.interpretation:
            raise ValidationError({"parameter": "only interpretation parameters may be changed here; "
                                                "the gazette's own numbers change only with the gazette"})
        if not isinstance(self.value, (int, float, bool, str, list)) or self.value is None:
            raise ValidationError({"value": "a number, boolean, string or list"})
