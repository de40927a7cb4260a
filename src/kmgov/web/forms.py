"""The one form renderer of the site (settings.FORM_RENDERER): every Django form rendered with
`{{ form }}` uses the design system's field markup — label, hint, the error message above the
input, `aria-describedby` naming the hint and the error (`web/forms/form.html`,
`web/forms/field.html`). The inputs themselves take the design system's look from kmgov.css
(bare controls inside the main area extend govuk-input/-select/-textarea), so the admin's
widgets, outside that area, are untouched. The procedure step forms and the rule forms are not
Django forms; their templates write the same markup by hand (docs/architecture.md)."""

from django.forms.renderers import DjangoTemplates


class KmgovFormRenderer(DjangoTemplates):
    form_template_name = "web/forms/form.html"
    field_template_name = "web/forms/field.html"
