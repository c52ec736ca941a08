"""The portal's form rendering (FORM_RENDERER): every `{{ form }}` / `as_div` field gets a visible marker when it
is required, before the label's suffix, which Django takes from the ":" msgid (core's catalogue: "：" in Chinese,
issue #14.18). The Wagtail admin renders its own fields and is not affected."""

from functools import cached_property
from pathlib import Path

import django.forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

REQUIRED_MARK = '<span class="required-mark" aria-hidden="true">*</span>'


class PortalFormRenderer(DjangoTemplates):
    field_template_name = "core/forms/field.html"
    # as_p (allauth's forms use it) names its template on the form class, not on the renderer
    OVERRIDES = {"django/forms/p.html": "core/forms/p.html"}

    def get_template(self, template_name):
        return super().get_template(self.OVERRIDES.get(template_name, template_name))

    @cached_property
    def engine(self):
        return self.backend({
            "APP_DIRS": True,
            "DIRS": [Path(settings.BASE_DIR) / "templates", Path(django.forms.__file__).parent / "templates"],
            "NAME": "portalforms",
            "OPTIONS": {"builtins": ["portal.core.templatetags.portal_forms"]},
        })


def marked_label(bound_field, *, legend: bool = False) -> str:
    """The field's <label> (or <legend>) with the required marker between the text and the suffix."""
    contents = conditional_escape(bound_field.label)
    if bound_field.field.required:
        contents = format_html("{}{}", contents, mark_safe(REQUIRED_MARK))
    tag = bound_field.legend_tag if legend else bound_field.label_tag
    return tag(contents=contents)
