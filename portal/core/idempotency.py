"""Create forms are taken once, however often they are posted.

A double click, a reload of the result page or a client retry must not create a second service
request, application, objection, evidence file or payment (each emailing people). Every create form
carries a one-time token (`{% submit_once %}` in its template, from `portal_tags`); the view wraps the
domain call in `submit_once`:

    outcome = submit_once(request, lambda: domain.submit_request(...), url_of=lambda r: r.get_absolute_url())
    if outcome.duplicate:
        messages.info(request, ALREADY_SUBMITTED)
    return redirect(outcome.url)

The token is recorded in the same transaction as the record it creates: the first post wins, a
concurrent second post waits on the unique index and then finds it, and a step that fails (a
`WorkflowError`) leaves the token unused so the person can correct the form and send it again.
Posts without a token (scripts, old pages) are processed normally.
"""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import FormSubmission

FIELD = "_once"
ALREADY_SUBMITTED = _("This form had already been sent; it was not sent twice.")
KEEP_DAYS = 7


@dataclass
class Outcome:
    result: Any
    duplicate: bool
    url: str


def new_token() -> str:
    return uuid.uuid4().hex


def _token(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None


def submit_once(request, step: Callable[[], Any], *, url_of: Callable[[Any], str]) -> Outcome:
    """Run `step()` unless this form's token was already used by the same person; see the module docstring."""
    token = _token(request)
    user = request.user if request.user.is_authenticated else None
    if token is None:
        result = step()
        return Outcome(result, False, url_of(result))
    with transaction.atomic():
        try:
            with transaction.atomic():
                mark = FormSubmission.objects.create(token=token, user=user)
        except IntegrityError:
            earlier = FormSubmission.objects.filter(token=token).first()
            if earlier is not None and earlier.user_id == getattr(user, "pk", None):
                return Outcome(None, True, earlier.result_url)
            mark = None  # someone else's token: no protection to offer, but no refusal either
        result = step()
        url = url_of(result)
        if mark is not None:
            mark.result_url = url[:500]
            mark.save(update_fields=["result_url"])
    return Outcome(result, False, url)


def forget_old(*, today: datetime.date, dry_run: bool = False) -> int:
    """Delete tokens older than KEEP_DAYS (a due job): a form left open that long is posted anew."""
    old = FormSubmission.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(days=KEEP_DAYS))
    return old.count() if dry_run else old.delete()[0]
