from django.http import Http404
from django.shortcuts import render

from .errors import RuleError
from .forms import fields_from_schema, parse_form
from .registry import RULES, get_rule
from .single import decide


def rule_list(request):
    groups: dict[str, list] = {}
    for r in sorted(RULES.values(), key=lambda r: r.id):
        groups.setdefault(r.policy, []).append(r)
    return render(request, "rules/list.html", {"groups": groups})


def rule_form(request, rule_id: str):
    try:
        rule = get_rule(rule_id)
    except RuleError:
        raise Http404(rule_id) from None
    fields = fields_from_schema(rule.schema())
    decision, errors, general = None, {}, []
    if request.method == "POST" or request.GET.get("submit"):
        data = request.POST if request.method == "POST" else request.GET
        inputs, errors = parse_form(fields, data)
        if not errors:
            try:
                decision = decide(rule.id, inputs).to_dict()
            except RuleError as exc:
                for e in exc.errors():
                    key = e["field"].split(".", 1)[0]
                    if any(f.name == key for f in fields):
                        errors[key] = e["message"]
                    else:
                        general.append(f"{e['field']}: {e['message']}")
    elif request.GET:
        _prefill(fields, request.GET)
    for f in fields:
        f.error = errors.get(f.name, "")
    outputs = []
    if decision:
        outputs = [(k, decision.get(k)) for k in rule.outputs]
    status = 422 if (errors or general) else 200
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
