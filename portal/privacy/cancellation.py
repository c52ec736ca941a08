"""Account cancellation (注销账号): the person's data goes, the association's records stay.

Records (memberships, receipts, decisions, applications, audit entries) keep their rows and their link to
the user row, which from then on carries only a pseudonym ("已注销用户 ZX3F9A1C2B"): no name, email,
password, second factor or firm link. Each process replaces the personal fields of its own rows through
the `anonymise_personal_data` hook. While a process still needs the person (an application under review,
an objection under investigation …) the request waits, and `run_due_jobs` completes it when nothing is
left open.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.core.models import OutboundEmail
from portal.core.workflow import WorkflowError

from .hooks import anonymise_personal_data, cancellation_blockers
from .models import CancellationRequest, Consent
from .workflows import CANCELLATION

S = CancellationRequest.Status
CANCELLED_NAME = "已注销用户 {pseudonym}"
REMOVED_RECIPIENT = "removed@invalid"


def anonymous_name(pseudonym: str) -> str:
    """What records show instead of a cancelled person (stored data, the same in every language)."""
    return CANCELLED_NAME.format(pseudonym=pseudonym)


def new_pseudonym() -> str:
    while True:
        candidate = f"ZX{secrets.token_hex(4).upper()}"
        if not CancellationRequest.objects.filter(pseudonym=candidate).exists():
            return candidate


def pending_request(user) -> CancellationRequest | None:
    return CancellationRequest.objects.filter(user=user, status=S.PENDING).first()


def request_cancellation(*, user, request=None) -> tuple[CancellationRequest, list[str]]:
    """Record the person's request and cancel the account now if nothing is open.

    Returns the request (completed, or pending) and the reasons it waits (empty when completed). A second
    request while one is pending is the same request (double submits create nothing).
    """
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()  # one request at a time
        pending = pending_request(user)
        if pending is None:
            blockers = cancellation_blockers(user)
            pending = CancellationRequest(user=user, pseudonym=new_pseudonym(), blockers=blockers)
            try:
                with transaction.atomic():
                    CANCELLATION.create(pending, "request", user=user, request=request,
                                        data={"open_matters": len(blockers)})
            except IntegrityError:  # a concurrent request won the race (PostgreSQL without the user lock)
                pending = pending_request(user)
    return complete_if_possible(pending, user=user, request=request)


def complete_if_possible(cancellation: CancellationRequest, *, user=None, request=None):
    """Take the `complete` step if no blocker remains (user None: the scheduled job)."""
    try:
        done = CANCELLATION.transition(cancellation, "complete", user=user, request=request,
                                       change=_anonymise, data={"pseudonym": cancellation.pseudonym})
    except WorkflowError as exc:
        if exc.code != "guard":
            raise
        reasons = [str(getattr(p, "message", p)) for p in exc.problems]
        CancellationRequest.objects.filter(pk=cancellation.pk).update(blockers=reasons)
        cancellation.blockers = reasons
        return cancellation, reasons
    return done, []


def withdraw(*, cancellation: CancellationRequest, user, request=None) -> CancellationRequest:
    return CANCELLATION.transition(cancellation, "withdraw", user=user, request=request)


def _anonymise(cancellation: CancellationRequest) -> None:
    cancellation.completed_at = timezone.now()
    cancellation.blockers = []
    anonymise_account(cancellation.user, cancellation.pseudonym)


def anonymise_account(user, pseudonym: str) -> None:
    """Remove the person's personal information, keep the rows that refer to them (see the module docstring)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from wagtail.models import ModelLogEntry

    email = user.email
    anonymise_personal_data(user, pseudonym)  # the processes first: they may match on the email
    name = anonymous_name(pseudonym)
    _forget_emails_to(email)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    Consent.objects.filter(user=user).update(ip=None)
    user_type = ContentType.objects.get_for_model(user, for_concrete_model=False)
    ModelLogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).update(label=name)
    _forget_avatar(user)
    user.email = f"cancelled-{user.pk}@invalid"
    user.username = f"cancelled-{pseudonym}"
    user.first_name = user.last_name = ""
    user.display_name = name
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()  # also ends every other session of the account
    user.save()


def _forget_emails_to(email: str) -> None:
    """Emails queued for or sent to the person: no text, no address; unsent ones are not sent any more."""
    if not email:
        return
    for row in OutboundEmail.objects.select_for_update().filter(to__icontains=email):
        if not any(str(r).lower() == email.lower() for r in row.to):
            continue
        row.to = [REMOVED_RECIPIENT if str(r).lower() == email.lower() else r for r in row.to]
        if row.to == [REMOVED_RECIPIENT]:
            row.body = ""
            if row.status == OutboundEmail.Status.PENDING:
                row.status = OutboundEmail.Status.FAILED
                row.last_error = "recipient's account cancelled"
        row.save(update_fields=["to", "body", "status", "last_error"])


def _forget_avatar(user) -> None:
    profile = getattr(user, "wagtail_userprofile", None)
    if profile is not None and profile.avatar:
        profile.avatar.delete(save=True)


def complete_due(*, dry_run: bool = False):
    """Scheduled: complete every pending request whose open matters have ended. Yields report lines."""
    done = waiting = 0
    for cancellation in CancellationRequest.objects.filter(status=S.PENDING).select_related("user").order_by("pk"):
        if dry_run:
            if cancellation_blockers(cancellation.user):
                waiting += 1
            else:
                done += 1
            continue
        try:
            _result, reasons = complete_if_possible(cancellation)
        except WorkflowError:  # completed or withdrawn meanwhile (another server's run)
            continue
        if reasons:
            waiting += 1
        else:
            done += 1
    verb = "would cancel" if dry_run else "cancelled"
    if done:
        yield f"{verb} {done} account(s) whose open matters have ended"
    if waiting:
        yield f"{waiting} cancellation request(s) still waiting for open matters"
