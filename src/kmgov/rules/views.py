from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext

from .errors import RuleError
from .forms import fields_from_schema, parse_form
from .inputs import today
from .registry import RULES, get_rule
from .single import decide


def rule_list(request):
    from django.apps import apps

    groups: dict[str, list] = {}
    for r in sorted(RULES.values(), key=lambda r: r.id):
        # each policy by its app's name (the document it implements), never by its code
        try:
            name = str(apps.get_app_config(r.policy).verbose_name)
        except LookupError:
            name = gettext("其他规定")
        groups.setdefault(name, []).append(r)
    return render(request, "rules/list.html", {"groups": groups})


def rule_form(request, rule_id: str):
    try:
        rule = get_rule(rule_id)
    except RuleError:
        raise Http404(rule_id) from None
    fields = fields_from_schema(rule.schema(), getattr(rule.inputs, "ALIASES", None))
    as_of = next((f for f in fields if f.name == "as_of"), None)
    if as_of is not None:
        as_of.value = today().isoformat()  # "适用日期（默认今天）": today, shown in the picker
    decision, errors, general = None, {}, []
    if request.method == "POST" or request.GET.get("submit"):
        data = request.POST if request.method == "POST" else request.GET
        inputs, errors = parse_form(fields, data)
        if as_of is not None and "as_of" not in inputs and not errors:
            inputs["as_of"] = today().isoformat()
            as_of.value = inputs["as_of"]
        if not errors:
            try:
                decision = decide(rule.id, inputs).to_dict()
            except RuleError as exc:
                for e in exc.errors():
                    key = e["field"].split(".", 1)[0]
                    if any(f.name == key for f in fields):
                        errors[key] = e["message"]
                    else:
                        general.append(e["message"])
    elif request.GET:
        _prefill(fields, request.GET)
    for f in fields:
        f.error = errors.get(f.name, "")
    outputs = []
    if decision:
        # outputs other than amounts (those are in the plain outcome), each named and in words
        from .plain import field_label, fmt_value, unit_of
        from .templatetags.rules_plain import _label

        for k in rule.outputs:
            if k.endswith("_yuan") or decision.get(k) is None:
                continue
            name = _label(k, {}, rule.policy)
            if name == k:
                name = field_label(rule.id, k) or gettext("结果")
            outputs.append((name, fmt_value(decision.get(k), unit_of(k))))
    status = 400 if (errors or general) else 200
    return render(request, "rules/form.html", {"rule": rule, "fields": fields, "decision": decision, "outputs": outputs,
                                               "general_errors": general}, status=status)


def _prefill(fields, data) -> None:
    """`/rules/<id>/?field=value…`: the form filled with those values (links from the desk's
    answers that compute), not yet submitted; unknown names are ignored."""
    for f in fields:
        if f.name not in data:
            continue
        raw = data.get(f.name, "")[:200]
        if f.widget == "checkbox":
            f.value = raw in ("on", "true", "1")
        else:
            f.value = raw
