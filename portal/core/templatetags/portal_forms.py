from django import template

from portal.core.forms import marked_label

register = template.Library()


@register.filter
def label_with_mark(bound_field, kind: str = "label"):
    """``{{ field|label_with_mark }}`` / ``{{ field|label_with_mark:"legend" }}``: see portal.core.forms."""
    return marked_label(bound_field, legend=kind == "legend")
