"""Single-line text: names, titles, addresses, phone numbers (issue #12.8).

A line break in a unit's name once stopped every email whose subject contained it ("Header
values can't contain newlines"), and control characters break other things downstream
(PostgreSQL refuses NUL, terminals and spreadsheets interpret escapes, bidi overrides disguise
text). Single-line text is therefore normalised where it enters:
- `SingleLineCharField` (form field) cleans what users type, before validation;
- `SingleLineModelField` (model field, a CharField) gives model forms and the Wagtail admin that
  form field and normalises whatever code saves, including `QuerySet.update()`.
`portal.core.mail.queue_email` also puts subjects on one line, as a second line of defence.
"""

import re
import unicodedata

from django import forms
from django.db import models

_WHITESPACE = re.compile(r"\s+")


def _drop(ch: str) -> bool:
    """Control (Cc) and format (Cf: zero-width, bidi overrides, soft hyphen) characters go;
    whitespace controls (tab, line breaks) become spaces instead."""
    return not ch.isspace() and unicodedata.category(ch) in ("Cc", "Cf")


def single_line(value: str) -> str:
    """One line: control and format characters removed, every run of whitespace (line breaks,
    tabs, U+2028/U+2029, full-width spaces) one space, no space at either end."""
    if not value:
        return value
    if value.isprintable() and "  " not in value:  # the common case, quickly
        return value.strip()
    cleaned = "".join(ch for ch in value if not _drop(ch))
    return _WHITESPACE.sub(" ", cleaned).strip()


class SingleLineCharField(forms.CharField):
    """A form CharField whose value is put on one line before it is validated."""

    def to_python(self, value):
        value = super().to_python(value)
        return single_line(value) if isinstance(value, str) else value


class SingleLineModelField(models.CharField):
    """A CharField that stores its value on one line.

    It deconstructs as a plain `models.CharField`, so using it needs no migration.
    """

    def formfield(self, **kwargs):
        if not self.choices:
            kwargs.setdefault("form_class", SingleLineCharField)
        return super().formfield(**kwargs)

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = single_line(value)
            setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return single_line(value) if isinstance(value, str) else value

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs
