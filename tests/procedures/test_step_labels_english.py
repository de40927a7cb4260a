"""English step forms name their fields in English (look13's walk: about 77 labels of the
geohazards, construction, forestry, safety and carbon step forms were Chinese on English
pages). A step input's `title` and `description` are the form's label and hint; the form
translates them (`{% translate f.label %}`), so each must be a catalogue msgid — marked
`gettext_noop` where it is declared, so makemessages extracts it — with its English in
docs/ui-strings-en.tsv.

What may stay Chinese is what stays Chinese in the findings (docs/rules.md → "English"): the
gazette's addresses (附件 第十八条, 四(二), 62号). The inputs of the zero-report tables
(kmgov.policies.safety.forms, generated from the gazette's tables, quoting their items) are
not step labels of this kind and are not checked here."""

import importlib
import inspect
import re

from django.utils.translation import gettext
from tsv_english import english_from_tsv

from kmgov.policies.construction.models import FindingInput
from kmgov.policies.geohazards.inputs import QuickReportInput
from kmgov.procedures.inputs import FormField, StepInput

MODULES = (
    "kmgov.policies.geohazards.inputs", "kmgov.policies.construction.models",
    "kmgov.policies.forestry.models", "kmgov.policies.safety.inputs",
    "kmgov.policies.carbon.services", "kmgov.policies.carbon.models",
    "kmgov.policies.headquarters.models", "kmgov.policies.buildings.register_inputs",
)
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
_NUM = "一二三四五六七八九十"
#: A gazette address: 附件1, 第十八条, 四(二), 62号; several joined by 、.
_ONE = rf"(?:附件\d*|第[{_NUM}]+条|[{_NUM}]+\([{_NUM}\d]+\)|\d+号)"
ADDRESS = re.compile(rf"{_ONE}(?:、{_ONE})*")


def _inputs():
    for name in MODULES:
        module = importlib.import_module(name)
        for obj in vars(module).values():
            if (isinstance(obj, type) and issubclass(obj, StepInput) and obj is not StepInput
                    and obj.__module__ == name):
                yield obj


def test_every_label_and_hint_is_marked_where_it_is_declared():
    # A bare literal (title="督查日期") never reaches the catalogue: makemessages reads only
    # marked strings, and the English page then shows the Chinese.
    bare = re.compile(r'\b(title|description)="[^"]*[\u4e00-\u9fff]')
    found = {cls.__name__: bare.findall(inspect.getsource(cls)) for cls in _inputs()}
    assert len(found) >= 25  # the inputs of the eight modules (a module renamed fails here)
    assert {k: v for k, v in found.items() if v} == {}


def test_every_label_and_hint_has_its_english():
    untranslated = []
    with english_from_tsv():
        for cls in _inputs():
            for name, info in cls.model_fields.items():
                for text in (info.title, info.description):
                    if text and CJK.search(ADDRESS.sub("", gettext(text))):
                        untranslated.append((cls.__name__, name, text))
    assert untranslated == []
    with english_from_tsv():
        # the form's own field: the quick report's 直接经济损失（万元） is an amount whose unit
        # is chosen beside it, so the English label carries none
        loss = FormField("economic_loss", QuickReportInput.model_fields["economic_loss"])
        assert loss.label == "Direct economic loss"
        assert gettext(FindingInput.model_fields["deadline"].title) == (
            "Rectification deadline (left empty: the default number of days)")
