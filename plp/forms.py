"""How every form field renders: one template, so a field's label, help and errors always sit together."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """``{{ form.as_div }}`` and ``{{ field.as_field_group }}`` render each field with ``forms/field.html``:
    the label, the widget, its help, then its errors, which the widget names in ``aria-describedby`` (so
    a screen reader reads the message with the field, and the page shows it next to what was typed)."""

    field_template_name = "forms/field.html"
