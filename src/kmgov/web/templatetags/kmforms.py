"""`{{ field|described }}`: a bound field's widget with `aria-describedby` naming its hint and
error message (the ids web/forms/field.html gives them) and `aria-invalid` when it has errors."""

from django import template

register = template.Library()


@register.filter
def described(field):
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    attrs = {"aria-describedby": " ".join(ids)} if ids else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def lookup(mapping, key):
    """`{{ field_errors|lookup:fid }}`: a dict's value for a key computed in the template."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""
