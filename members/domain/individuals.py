"""Individual members (个人会员): the secretariat registers them, bills their dues when their tier has an amount,
records their payments (receipts as for units) and ends or renews their membership."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from portal.core.numbering import formatted, highest_suffix

from ..models import IndividualDuesItem, IndividualMember, IndividualPayment
from ..workflows import INDIVIDUAL_DUES, INDIVIDUALS
from .common import moment, rules
from .dues import add_payment, allocate_receipt_number, checked_payment, payment_action


def allocate_individual_number(year: int) -> str:
    prefix = f"ZJXY-GR-{year}-"
    return formatted(f"individual-member-{year}", prefix + "{n:04d}",
                     floor=lambda: highest_suffix(IndividualMember.objects.all(), "member_number", prefix))


def register_individual(*, member: IndividualMember, user, request=None, today=None) -> IndividualMember:
    """A new individual member: a member number, and this year's dues if the tier has an amount."""
    today = today or timezone.localdate()
    member.joined_on = member.joined_on or today
    member.registered_by = user
    INDIVIDUALS.check_actor(user, member, INDIVIDUALS["register"])
    with transaction.atomic():
        member.member_number = allocate_individual_number(member.joined_on.year)
        INDIVIDUALS.create(member, "register", user=user, request=request, when=moment(today),
                           data={"member_number": member.member_number, "tier": member.tier.name})
        ensure_individual_dues(member=member, today=today)
    return member


def withdraw_individual(*, member: IndividualMember, user, note: str = "", request=None, today=None):
    today = today or timezone.localdate()

    def change(m):
        m.ended_on = today

    return INDIVIDUALS.transition(member, "withdraw", user=user, request=request, note=note, change=change)


def readmit_individual(*, member: IndividualMember, user, note: str = "", request=None, today=None):
    today = today or timezone.localdate()

    def change(m):
        m.ended_on = None
        m.joined_on = today

    member = INDIVIDUALS.transition(member, "readmit", user=user, request=request, note=note, change=change)
    ensure_individual_dues(member=member, today=today)
    return member


def ensure_individual_dues(*, member: IndividualMember, today: datetime.date, the_rules=None) -> list:
    """Bill the dues years from joining to today that have no item yet, for an active member whose tier has an
    amount (none is billed while the association sets no amount for individuals)."""
    if member.status != IndividualMember.Status.ACTIVE or member.tier.annual_dues is None:
        return []
    the_rules = the_rules or rules()
    existing = set(member.dues_items.values_list("year", flat=True))
    created = []
    for year in range(the_rules.dues_year_of(member.joined_on), the_rules.dues_year_of(today) + 1):
        if year not in existing and member.tier.annual_dues > 0:
            created.append(IndividualDuesItem.objects.create(
                member=member, year=year, tier=member.tier, amount=member.tier.annual_dues,
                due_on=max(the_rules.dues_year_start(year), member.joined_on),
            ))
    return created


def bill_individuals(*, today: datetime.date, dry_run: bool = False):
    """The daily job: this year's dues of every active individual member whose tier has an amount."""
    members = IndividualMember.objects.filter(status=IndividualMember.Status.ACTIVE, tier__annual_dues__gt=0)
    created = 0
    for member in members.select_related("tier"):
        if dry_run:
            year = rules().dues_year_of(today)
            created += not member.dues_items.filter(year=year).exists()
            continue
        with transaction.atomic():
            locked = IndividualMember.objects.select_for_update().select_related("tier").get(pk=member.pk)
            created += len(ensure_individual_dues(member=locked, today=today))
    if created:
        yield f"{'would bill' if dry_run else 'billed'} {created} individual dues item(s)"


def record_individual_payment(*, item: IndividualDuesItem, user, amount, paid_on: datetime.date, method: str,
                              reference: str = "", request=None, bank_line=None) -> IndividualPayment:
    """Money received from an individual member; partial payments allowed, overpayment refused; a receipt."""
    from ..pdfs import receipt_pdf

    amount = checked_payment(amount, paid_on)
    seen = IndividualDuesItem.objects.get(pk=item.pk)
    action = payment_action(seen, amount)
    made = {}

    def change(current):
        add_payment(current, amount, action)
        member = IndividualMember.objects.select_related("tier").get(pk=current.member_id)
        payment = IndividualPayment(
            item=current, amount=amount, paid_on=paid_on, method=method, reference=(reference or "").strip()[:100],
            recorded_by=user, receipt_number=allocate_receipt_number(paid_on.year), bank_line=bank_line,
            payer_name=member.name, member_number=member.member_number, dues_year=current.year,
            tier_name=current.tier.name, amount_due=current.amount, paid_to_date=current.paid,
            outstanding_after=current.amount - current.paid,
        )
        payment.receipt_file.save(f"{payment.receipt_number}.pdf", ContentFile(receipt_pdf(payment)), save=False)
        payment.save()
        made["payment"] = payment

    INDIVIDUAL_DUES.transition(seen, action, user=user, request=request, change=change,
                               data={"year": seen.year, "amount": str(amount)})
    return made["payment"]
