"""The one adapter from workflow errors to HTTP, for every view that takes a step.

- `WorkflowError` (wrong state, failed guard, bad input) → its messages shown to the user, the
  view continues (usually re-rendering the form with what was typed, or redirecting back);
- `NotFound` is an `Http404` and `PermissionDenied` a 403: both propagate to Django's handlers.
"""

from django import forms
from django.contrib import messages
from django.utils.translation import gettext_lazy as _

from .workflow import WorkflowError

_FAILED = object()


def run_step(request, step, /, *args, success: str | None = None, **kwargs):
    """Call `step(*args, **kwargs)`; on `WorkflowError` show its messages and return None.

    On success, show `success` (if given) and return the step's result.
    """
    try:
        result = step(*args, **kwargs)
    except WorkflowError as exc:
        for text in exc.messages_for_user:
            messages.error(request, text)
        return None
    if success:
        messages.success(request, success)
    return result


def show_form_errors(request, form) -> None:
    """A form's errors as messages, labelled with their field (for forms posted from a detail page)."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


class ActionForm(forms.Form):
    """Choose one of the steps the table allows now, with an optional note (the history shows it)."""

    action = forms.ChoiceField(label=_("Next step"), widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(t.action, t.label) for t in actions]
