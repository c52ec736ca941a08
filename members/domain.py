"""Every membership state change, one function each.

Each function takes keyword-only arguments, checks the actor's role (and, for firm
users, that the object is theirs), runs in one transaction, re-reads the row with
select_for_update() and checks the current state (so of two concurrent requests
exactly one wins), writes an audit entry and queues emails (sent after commit).
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.roles import Role, has_role
from portal.core.audit import record
from portal.core.mail import queue_email
from portal.organisations.models import Organisation, OrganisationUser, organisation_for

from .models import (
    DuesItem,
    DuesReminder,
    Expulsion,
    Membership,
    MembershipApplication,
    MembershipEvent,
    MembershipRules,
    MembershipTier,
    NumberSequence,
    Payment,
    WithdrawalRequest,
)

Status = Membership.Status
AppStatus = MembershipApplication.Status


class TransitionError(ValidationError):
    """The object is not in a state that allows this step (shown to the user as is)."""


# --------------------------------------------------------------------------- helpers


def rules() -> MembershipRules:
    return MembershipRules.load()


def _require_role(user, *roles: Role) -> None:
    if not has_role(user, *roles):
        raise PermissionDenied


def _require_own(user, organisation) -> None:
    own = organisation_for(user)
    if own is None or own.pk != organisation.pk:
        raise PermissionDenied


def organisation_recipients(organisation) -> list[str]:
    emails = [organisation.email]
    emails += list(
        OrganisationUser.objects.filter(organisation=organisation).values_list("user__email", flat=True)
    )
    return list(dict.fromkeys(e for e in emails if e))


def role_recipients(*roles: Role) -> list[str]:
    User = get_user_model()
    return list(
        User.objects.filter(groups__name__in=[str(r) for r in roles], is_active=True)
        .values_list("email", flat=True)
        .distinct()
    )


def _email_org(organisation, subject: str, template: str, context: dict) -> None:
    to = organisation_recipients(organisation)
    if to:
        queue_email(to=to, subject=subject, template=template, context={"organisation": organisation, **context})


def next_number(key: str) -> int:
    """The next value of a never-reused counter (row locked; call inside a transaction)."""
    try:
        with transaction.atomic():
            NumberSequence.objects.get_or_create(key=key)
    except IntegrityError:  # created concurrently by another transaction: it exists now
        pass
    seq = NumberSequence.objects.select_for_update().get(key=key)
    seq.last = F("last") + 1
    seq.save(update_fields=["last"])
    seq.refresh_from_db(fields=["last"])
    return seq.last


def allocate_member_number(year: int) -> str:
    return f"ZJXY-{year}-{next_number(f'member-{year}'):04d}"


def allocate_receipt_number(year: int) -> str:
    return f"SJ-{year}-{next_number(f'receipt-{year}'):05d}"


def _event(membership, kind, *, on, user=None, note="", from_status="", to_status=""):
    return MembershipEvent.objects.create(
        membership=membership, kind=kind, on=on, by=user if getattr(user, "pk", None) else None, note=note,
        from_status=from_status, to_status=to_status,
    )


# --------------------------------------------------------------------------- organisation


def register_organisation(*, organisation: Organisation, user, request=None) -> Organisation:
    """Create a firm user's organisation and attach the user to it."""
    if organisation_for(user) is not None:
        raise TransitionError(_("Your account already belongs to an organisation."))
    with transaction.atomic():
        organisation.save()
        OrganisationUser.objects.create(user=user, organisation=organisation)
        record(organisation, "members.organisation.register", user=user, request=request,
               data={"credit_code": organisation.credit_code})
    user._organisation_cache = organisation
    return organisation


def update_organisation(*, organisation: Organisation, user, request=None, changed=()) -> Organisation:
    _require_own(user, organisation)
    with transaction.atomic():
        organisation.save()
        record(organisation, "members.organisation.edit", user=user, request=request, data={"fields": list(changed)})
    return organisation


# --------------------------------------------------------------------------- applications


def open_application_for(organisation) -> MembershipApplication | None:
    return (
        MembershipApplication.objects.filter(organisation=organisation, status__in=MembershipApplication.OPEN_STATUSES)
        .select_related("tier")
        .first()
    )


def current_membership_for(organisation) -> Membership | None:
    if organisation is None:
        return None
    return (
        Membership.objects.filter(organisation=organisation, status__in=[Status.ACTIVE, Status.LAPSED])
        .select_related("tier", "next_tier")
        .first()
    )


def save_application_draft(*, application: MembershipApplication, user, request=None) -> MembershipApplication:
    """Create or update a draft (or a returned application) of the user's own organisation."""
    _require_own(user, application.organisation)
    with transaction.atomic():
        if application.pk:
            current = MembershipApplication.objects.select_for_update().get(pk=application.pk)
            if not current.is_editable:
                raise TransitionError(_("This application can no longer be changed."))
        else:
            if current_membership_for(application.organisation):
                raise TransitionError(_("Your organisation is already a member."))
            if open_application_for(application.organisation):
                raise TransitionError(_("Your organisation already has an open application."))
            application.created_by = user
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError as exc:  # the partial unique constraint: a concurrent second draft
            raise TransitionError(_("Your organisation already has an open application.")) from exc
        record(application, "members.application.save", user=user, request=request, data={"status": application.status})
    return application


def submit_application(*, application: MembershipApplication, user, request=None) -> MembershipApplication:
    _require_own(user, application.organisation)
    with transaction.atomic():
        app = MembershipApplication.objects.select_for_update(of=("self",)).select_related("organisation", "tier").get(pk=application.pk)
        if not app.is_editable:
            raise TransitionError(_("This application has already been submitted."))
        missing = app.missing_for_submission()
        if missing:
            raise TransitionError(_("Still missing before you can submit: %(items)s.") % {"items": "、".join(missing)})
        app.status = AppStatus.SUBMITTED
        app.submitted_at = timezone.now()
        app.save(update_fields=["status", "submitted_at", "updated_at"])
        record(app, "members.application.submit", user=user, request=request, data={"tier": app.tier.name})
        _email_org(app.organisation, _("Membership application received"), "members/email/application_submitted.txt",
                   {"application": app})
        reviewers = role_recipients(Role.COUNCIL, Role.SECRETARIAT)
        if reviewers:
            queue_email(to=reviewers, subject=_("New membership application: %(name)s") % {"name": app.organisation.name},
                        template="members/email/application_for_review.txt", context={"application": app})
    return app


def _lock_submitted(application) -> MembershipApplication:
    app = MembershipApplication.objects.select_for_update().get(pk=application.pk)
    if app.status != AppStatus.SUBMITTED:
        raise TransitionError(
            _("The application is “%(status)s” and cannot be decided now.") % {"status": app.get_status_display()}
        )
    app.organisation = Organisation.objects.get(pk=app.organisation_id)
    app.tier = MembershipTier.objects.get(pk=app.tier_id)
    return app


def approve_application(*, application: MembershipApplication, user, request=None, today=None) -> Membership:
    """Council approval: the membership record, member number and first dues item."""
    _require_role(user, Role.COUNCIL)
    today = today or timezone.localdate()
    with transaction.atomic():
        app = _lock_submitted(application)
        if current_membership_for(app.organisation):
            raise TransitionError(_("This organisation already has a current membership."))
        app.status = AppStatus.APPROVED
        app.decided_at = timezone.now()
        app.decided_by = user
        app.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
        membership = Membership.objects.create(
            organisation=app.organisation, tier=app.tier, started_on=today, application=app,
            member_number=allocate_member_number(today.year),
        )
        _event(membership, MembershipEvent.Kind.JOINED, on=today, user=user, to_status=Status.ACTIVE)
        items = ensure_dues_items(membership=membership, today=today)
        record(app, "members.application.approve", user=user, request=request,
               data={"member_number": membership.member_number})
        record(membership, "members.membership.create", user=user, request=request,
               data={"member_number": membership.member_number, "tier": app.tier.name})
        _email_org(app.organisation, _("Your membership application was approved"),
                   "members/email/application_approved.txt",
                   {"application": app, "membership": membership, "dues_items": items})
    return membership


def reject_application(*, application: MembershipApplication, user, reason: str, request=None) -> MembershipApplication:
    _require_role(user, Role.COUNCIL)
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("A reason is required to reject an application."))
    with transaction.atomic():
        app = _lock_submitted(application)
        app.status = AppStatus.REJECTED
        app.decided_at = timezone.now()
        app.decided_by = user
        app.decision_note = reason
        app.save(update_fields=["status", "decided_at", "decided_by", "decision_note", "updated_at"])
        record(app, "members.application.reject", user=user, request=request, data={"reason": reason})
        _email_org(app.organisation, _("Your membership application was not approved"),
                   "members/email/application_rejected.txt", {"application": app})
    return app


def return_application(*, application: MembershipApplication, user, message: str, request=None) -> MembershipApplication:
    """Send an application back for more material (council or secretariat)."""
    _require_role(user, Role.COUNCIL, Role.SECRETARIAT)
    message = (message or "").strip()
    if not message:
        raise TransitionError(_("Tell the applicant what is missing."))
    with transaction.atomic():
        app = _lock_submitted(application)
        app.status = AppStatus.RETURNED
        app.decision_note = message
        app.save(update_fields=["status", "decision_note", "updated_at"])
        record(app, "members.application.return", user=user, request=request, data={"message": message})
        _email_org(app.organisation, _("Your membership application needs more material"),
                   "members/email/application_returned.txt", {"application": app})
    return app


# --------------------------------------------------------------------------- dues


def _quantize(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def dues_amount(*, tier, year: int, started_on: datetime.date, the_rules: MembershipRules) -> Decimal:
    annual = tier.annual_dues
    if year == the_rules.dues_year_of(started_on) and not the_rules.charge_joining_year_in_full:
        end = the_rules.dues_year_end(year)
        months = (end.year - started_on.year) * 12 + end.month - started_on.month + 1
        return _quantize(annual * Decimal(months) / Decimal(12))
    return annual


def ensure_dues_items(*, membership: Membership, today: datetime.date, the_rules=None) -> list[DuesItem]:
    """Create the missing dues items up to the dues year containing `today`.

    Call with the membership row locked. A pending tier change applies from its year on.
    """
    the_rules = the_rules or rules()
    first = the_rules.dues_year_of(membership.started_on)
    last = the_rules.dues_year_of(today)
    existing = set(membership.dues_items.values_list("year", flat=True))
    created = []
    for year in range(first, last + 1):
        if membership.next_tier_id and membership.next_tier_from_year and year >= membership.next_tier_from_year:
            old_tier = membership.tier
            membership.tier = membership.next_tier
            membership.next_tier = None
            membership.next_tier_from_year = None
            membership.save(update_fields=["tier", "next_tier", "next_tier_from_year"])
            _event(membership, MembershipEvent.Kind.TIER_CHANGED, on=the_rules.dues_year_start(year),
                   note=_("%(old)s → %(new)s from dues year %(year)s")
                   % {"old": old_tier.name, "new": membership.tier.name, "year": year})
        if year in existing:
            continue
        due_on = max(the_rules.dues_year_start(year), membership.started_on)
        created.append(DuesItem.objects.create(
            membership=membership, year=year, tier=membership.tier, due_on=due_on,
            amount=dues_amount(tier=membership.tier, year=year, started_on=membership.started_on, the_rules=the_rules),
        ))
    return created


def record_payment(*, dues_item: DuesItem, user, amount, paid_on: datetime.date, method: str, reference: str = "",
                   request=None) -> Payment:
    """The secretariat records money received; partial payments allowed, overpayment refused."""
    _require_role(user, Role.SECRETARIAT)
    amount = Decimal(amount)
    if amount <= 0:
        raise TransitionError(_("The amount must be greater than zero."))
    if paid_on > timezone.localdate():
        raise TransitionError(_("The payment date cannot be in the future."))
    with transaction.atomic():
        item = DuesItem.objects.select_for_update().get(pk=dues_item.pk)
        if amount > item.outstanding:
            raise TransitionError(
                _("%(amount)s yuan is more than the %(outstanding)s yuan still owed for %(year)s.")
                % {"amount": amount, "outstanding": item.outstanding, "year": item.year}
            )
        payment = Payment.objects.create(
            dues_item=item, amount=amount, paid_on=paid_on, method=method, reference=reference.strip(),
            recorded_by=user, receipt_number=allocate_receipt_number(paid_on.year),
        )
        item.paid = item.paid + amount
        item.save(update_fields=["paid"])
        membership = Membership.objects.select_related("organisation").get(pk=item.membership_id)
        record(payment, "members.payment.record", user=user, request=request,
               data={"member_number": membership.member_number, "year": item.year, "amount": str(amount),
                     "receipt": payment.receipt_number})
        _email_org(membership.organisation, _("Dues payment received"), "members/email/payment_recorded.txt",
                   {"payment": payment, "item": item, "membership": membership})
    return payment


def arrears_of(membership: Membership, *, today: datetime.date, the_rules=None) -> Decimal:
    """What is still owed for dues years before the current one."""
    the_rules = the_rules or rules()
    current = the_rules.dues_year_of(today)
    total = Decimal("0")
    for item in membership.dues_items.filter(year__lt=current):
        total += item.outstanding
    return total


def change_tier(*, membership: Membership, tier: MembershipTier, user, request=None, today=None) -> Membership:
    """A tier change applies from the next dues year (this year's dues stay as charged)."""
    _require_role(user, Role.SECRETARIAT)
    today = today or timezone.localdate()
    the_rules = rules()
    with transaction.atomic():
        m = Membership.objects.select_for_update().get(pk=membership.pk)
        if m.status != Status.ACTIVE:
            raise TransitionError(_("Only an active membership can change tier."))
        if tier.pk == m.tier_id:
            m.next_tier = None
            m.next_tier_from_year = None
        else:
            m.next_tier = tier
            m.next_tier_from_year = the_rules.dues_year_of(today) + 1
        m.save(update_fields=["next_tier", "next_tier_from_year"])
        _event(m, MembershipEvent.Kind.TIER_CHANGED, on=today, user=user,
               note=_("%(new)s from dues year %(year)s") % {"new": tier.name, "year": m.next_tier_from_year or "—"})
        record(m, "members.membership.tier", user=user, request=request,
               data={"tier": tier.name, "from_year": m.next_tier_from_year})
    return m


# --------------------------------------------------------------------------- lapse and reinstatement


def lapse_membership(*, membership: Membership, today: datetime.date, reason: str, user=None,
                     dues_item: DuesItem | None = None) -> bool:
    """自动退会: a recorded status change (nothing deleted).

    Returns False if the membership is no longer active or `dues_item` has been paid meanwhile.
    """
    with transaction.atomic():
        m = Membership.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=membership.pk)
        if m.status != Status.ACTIVE:
            return False
        if dues_item is not None and DuesItem.objects.select_for_update().get(pk=dues_item.pk).is_paid:
            return False
        m.status = Status.LAPSED
        m.save(update_fields=["status"])
        _event(m, MembershipEvent.Kind.LAPSED, on=today, user=user, note=reason,
               from_status=Status.ACTIVE, to_status=Status.LAPSED)
        record(m, "members.membership.lapse", user=user, data={"reason": reason, "on": today.isoformat()})
        _email_org(m.organisation, _("Your membership has lapsed"), "members/email/membership_lapsed.txt",
                   {"membership": m, "reason": reason})
    return True


def reinstate_membership(*, membership: Membership, user, note: str = "", request=None, today=None) -> Membership:
    """The secretariat reverses a lapse once the arrears are paid."""
    _require_role(user, Role.SECRETARIAT)
    today = today or timezone.localdate()
    the_rules = rules()
    with transaction.atomic():
        m = Membership.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=membership.pk)
        if m.status != Status.LAPSED:
            raise TransitionError(_("Only a lapsed membership can be reinstated."))
        owed = arrears_of(m, today=today, the_rules=the_rules)
        if owed > 0:
            raise TransitionError(
                _("%(amount)s yuan of arrears are still unpaid: record the payment first.") % {"amount": owed}
            )
        m.status = Status.ACTIVE
        m.save(update_fields=["status"])
        _event(m, MembershipEvent.Kind.REINSTATED, on=today, user=user, note=note,
               from_status=Status.LAPSED, to_status=Status.ACTIVE)
        ensure_dues_items(membership=m, today=today, the_rules=the_rules)
        record(m, "members.membership.reinstate", user=user, request=request, data={"note": note})
        _email_org(m.organisation, _("Your membership has been reinstated"), "members/email/membership_reinstated.txt",
                   {"membership": m})
    return m


# --------------------------------------------------------------------------- leaving


def request_withdrawal(*, membership: Membership, user, letter, letter_name: str, reason: str = "",
                       request=None) -> WithdrawalRequest:
    """A firm's written notice of withdrawal (signed letter)."""
    _require_own(user, membership.organisation)
    with transaction.atomic():
        m = Membership.objects.select_for_update().get(pk=membership.pk)
        if m.status not in (Status.ACTIVE, Status.LAPSED):
            raise TransitionError(_("This membership has already ended."))
        if m.withdrawals.filter(status=WithdrawalRequest.Status.PENDING).exists():
            raise TransitionError(_("A withdrawal notice is already waiting for the secretariat."))
        w = WithdrawalRequest.objects.create(
            membership=m, letter=letter, letter_name=letter_name[:200], reason=reason, submitted_by=user
        )
        _event(m, MembershipEvent.Kind.WITHDRAWAL_REQUESTED, on=timezone.localdate(), user=user, note=reason)
        record(w, "members.withdrawal.request", user=user, request=request, data={"member_number": m.member_number})
        secretariat = role_recipients(Role.SECRETARIAT)
        if secretariat:
            queue_email(to=secretariat, subject=_("Withdrawal notice: %(name)s") % {"name": membership.organisation.name},
                        template="members/email/withdrawal_requested.txt", context={"withdrawal": w, "membership": m})
    return w


def confirm_withdrawal(*, withdrawal: WithdrawalRequest, user, certificate_returned_on=None, request=None,
                       today=None) -> Membership:
    _require_role(user, Role.SECRETARIAT)
    today = today or timezone.localdate()
    with transaction.atomic():
        w = WithdrawalRequest.objects.select_for_update().get(pk=withdrawal.pk)
        if w.status != WithdrawalRequest.Status.PENDING:
            raise TransitionError(_("This withdrawal has already been confirmed."))
        m = Membership.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=w.membership_id)
        if m.status not in (Status.ACTIVE, Status.LAPSED):
            raise TransitionError(_("This membership has already ended."))
        w.status = WithdrawalRequest.Status.CONFIRMED
        w.confirmed_by = user
        w.confirmed_at = timezone.now()
        w.certificate_returned_on = certificate_returned_on
        w.save(update_fields=["status", "confirmed_by", "confirmed_at", "certificate_returned_on"])
        old = m.status
        m.status = Status.WITHDRAWN
        m.ended_on = today
        m.certificate_returned_on = certificate_returned_on
        m.save(update_fields=["status", "ended_on", "certificate_returned_on"])
        note = (_("Certificate returned on %(date)s.") % {"date": certificate_returned_on.isoformat()}
                if certificate_returned_on else _("Certificate not yet returned."))
        _event(m, MembershipEvent.Kind.WITHDRAWN, on=today, user=user, note=note, from_status=old,
               to_status=Status.WITHDRAWN)
        record(m, "members.membership.withdraw", user=user, request=request,
               data={"certificate_returned_on": certificate_returned_on.isoformat() if certificate_returned_on else None})
        _email_org(m.organisation, _("Your withdrawal is confirmed"), "members/email/withdrawal_confirmed.txt",
                   {"membership": m, "withdrawal": w})
    return m


def record_certificate_return(*, membership: Membership, user, returned_on: datetime.date, request=None) -> Membership:
    _require_role(user, Role.SECRETARIAT)
    with transaction.atomic():
        m = Membership.objects.select_for_update().get(pk=membership.pk)
        if m.status not in (Status.WITHDRAWN, Status.EXPELLED):
            raise TransitionError(_("The certificate is returned only when a membership ends."))
        m.certificate_returned_on = returned_on
        m.save(update_fields=["certificate_returned_on"])
        record(m, "members.membership.certificate_returned", user=user, request=request,
               data={"on": returned_on.isoformat()})
    return m


def expel_member(*, membership: Membership, user, meeting_date: datetime.date, votes_for: int, votes_against: int,
                 votes_abstaining: int = 0, reason: str, minutes, minutes_name: str, request=None) -> Expulsion:
    """Expulsion (除名) by council vote: passes only with more votes for than against."""
    _require_role(user, Role.COUNCIL)
    if votes_for <= votes_against:
        raise TransitionError(_("The vote did not pass: expulsion needs more votes for than against."))
    if meeting_date > timezone.localdate():
        raise TransitionError(_("The meeting date cannot be in the future."))
    with transaction.atomic():
        m = Membership.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=membership.pk)
        if m.status not in (Status.ACTIVE, Status.LAPSED):
            raise TransitionError(_("This membership has already ended."))
        expulsion = Expulsion.objects.create(
            membership=m, meeting_date=meeting_date, votes_for=votes_for, votes_against=votes_against,
            votes_abstaining=votes_abstaining, reason=reason, minutes=minutes, minutes_name=minutes_name[:200],
            recorded_by=user,
        )
        old = m.status
        m.status = Status.EXPELLED
        m.ended_on = meeting_date
        m.save(update_fields=["status", "ended_on"])
        _event(m, MembershipEvent.Kind.EXPELLED, on=meeting_date, user=user, note=reason, from_status=old,
               to_status=Status.EXPELLED)
        record(m, "members.membership.expel", user=user, request=request,
               data={"votes_for": votes_for, "votes_against": votes_against, "meeting_date": meeting_date.isoformat()})
        _email_org(m.organisation, _("Council decision on your membership"), "members/email/membership_expelled.txt",
                   {"membership": m, "expulsion": expulsion})
    return expulsion


# --------------------------------------------------------------------------- scheduled rules


def activity_model():
    """services.EventRegistration (organisation, event.starts_at, attended), or None before it exists."""
    try:
        return apps.get_model("services", "EventRegistration")
    except LookupError:
        return None


def inactive_memberships(*, today: datetime.date, the_rules=None):
    """Active memberships (older than the window) with no attended event in the window.

    Returns (queryset, activity_recorded): without the events model nothing can be judged.
    """
    the_rules = the_rules or rules()
    since = today - datetime.timedelta(days=the_rules.inactivity_days)
    qs = Membership.objects.filter(status=Status.ACTIVE, started_on__lte=since).select_related("organisation", "tier")
    Registration = activity_model()
    if Registration is None:
        return qs.none(), False
    start = datetime.datetime.combine(since, datetime.time.min, tzinfo=timezone.get_current_timezone())
    end = datetime.datetime.combine(today, datetime.time.max, tzinfo=timezone.get_current_timezone())
    active_orgs = Registration.objects.filter(attended=True, event__starts_at__range=(start, end)).values(
        "organisation_id"
    )
    return qs.exclude(organisation_id__in=active_orgs).order_by("member_number"), True


def run_membership_jobs(*, today: datetime.date, dry_run: bool = False):
    """Dues items for the new dues year, reminders, lapse; yields report lines. Idempotent."""
    the_rules = rules()
    year = the_rules.dues_year_of(today)

    # 1. Dues items for the current dues year.
    missing = list(
        Membership.objects.filter(status=Status.ACTIVE).exclude(dues_items__year=year).values_list("pk", flat=True)
    )
    created = 0
    if not dry_run:
        for pk in missing:
            with transaction.atomic():
                m = Membership.objects.select_for_update(of=("self",)).select_related("tier", "next_tier").get(pk=pk)
                if m.status == Status.ACTIVE:
                    created += len(ensure_dues_items(membership=m, today=today, the_rules=the_rules))
    yield (f"would create dues items for {len(missing)} membership(s) for {year}" if dry_run
           else f"created {created} dues item(s) for {year}")

    # 2. Reminders and 3. lapse, for unpaid items of active memberships.
    lapse_days = datetime.timedelta(days=the_rules.lapse_after_days)
    reminder_days = the_rules.reminder_days
    horizon = today - lapse_days + datetime.timedelta(days=max(reminder_days or [0]))
    unpaid = (
        DuesItem.objects.filter(membership__status=Status.ACTIVE, paid__lt=F("amount"), due_on__lte=horizon)
        .select_related("membership__organisation")
        .order_by("due_on", "pk")
    )
    reminded = lapsed = 0
    lapsed_ids = set()
    for item in unpaid:
        if item.membership_id in lapsed_ids:
            continue
        lapse_on = item.due_on + lapse_days  # lapse the day after this
        if today > lapse_on:
            reason = _("Dues for %(year)s (%(amount)s yuan) unpaid for %(days)s days.") % {
                "year": item.year, "amount": item.outstanding, "days": the_rules.lapse_after_days}
            if dry_run:
                lapsed += 1
            elif lapse_membership(membership=item.membership, today=today, reason=reason, dues_item=item):
                lapsed += 1
            lapsed_ids.add(item.membership_id)
            continue
        reached = [d for d in reminder_days if today >= lapse_on - datetime.timedelta(days=d)]
        if not reached:
            continue
        days = min(reached)
        if dry_run:
            if not item.reminders.filter(days_before_lapse__lte=days).exists():
                reminded += 1
            continue
        if _send_reminder(item=item, days=days, today=today, lapse_on=lapse_on):
            reminded += 1
    verb = "would" if dry_run else ""
    yield f"{verb + ' send' if dry_run else 'sent'} {reminded} dues reminder(s)"
    yield f"{verb + ' lapse' if dry_run else 'lapsed'} {lapsed} membership(s)"

    # 4. Members without activity: listed for the secretariat, never lapsed automatically.
    inactive, recorded = inactive_memberships(today=today, the_rules=the_rules)
    if recorded:
        yield f"{inactive.count()} active member(s) without activity in {the_rules.inactivity_days} days (listed in the admin)"


def _send_reminder(*, item: DuesItem, days: int, today: datetime.date, lapse_on: datetime.date) -> bool:
    with transaction.atomic():
        locked = DuesItem.objects.select_for_update().get(pk=item.pk)
        if locked.is_paid or locked.reminders.filter(days_before_lapse__lte=days).exists():
            return False
        DuesReminder.objects.create(dues_item=locked, days_before_lapse=days, sent_on=today)
        membership = item.membership
        record(locked, "members.dues.remind", data={"days": days, "member_number": membership.member_number})
        _email_org(membership.organisation, _("Reminder: membership dues for %(year)s are unpaid") % {"year": item.year},
                   "members/email/dues_reminder.txt",
                   {"item": locked, "membership": membership, "lapse_on": lapse_on, "days": days})
    return True


def dues_overview(membership: Membership):
    """Dues items with their payments for display (2 queries)."""
    return list(membership.dues_items.select_related("tier").prefetch_related("payments").order_by("-year"))

