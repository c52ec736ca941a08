"""Revocation of a title, or exclusion of a unit from the programme (L1361–L1366): grounds, evidence, the
announcement (公告) and the participation ban."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.roles import Role, has_role
from portal.core.cache import invalidate_public_pages
from portal.core.numbering import formatted, highest_suffix
from portal.core.workflow import WorkflowError
from showcase.domain import notify
from showcase.models import Application, ApplicationEvent, ParticipationBan
from showcase.workflows import APPLICATIONS

from ..models import Revocation, Title
from ..workflows import TITLES


def default_announcement(*, unit, title, ground, revoked_on, ban_until) -> str:
    what = (_("its title of credit demonstration member unit (certificate %(number)s) is cancelled") % {
        "number": title.certificate_number}) if title else _("it is ordered to withdraw from the programme")
    return _(
        "Under article 18 of the implementing measures, %(unit)s (%(ground)s): %(what)s as of %(date)s. "
        "The unit may not take part in the programme until %(until)s, and its dishonesty is reported to the "
        "provincial public credit information platform."
    ) % {"unit": unit, "ground": ground, "what": what, "date": revoked_on.isoformat(),
         "until": ban_until.isoformat()}


def announcement_number(year: int) -> str:
    """QX-<year>-<nnn>: the announcement's number, one sequence per year (portal.core.numbering)."""
    prefix = f"QX-{year}-"
    return formatted(f"awards.revocation.{year}", prefix + "{n:03d}",
                     floor=lambda: highest_suffix(Revocation.objects.exclude(number=None), "number", prefix))


def _record(application, title, *, user, ground, facts, revoked_on, evidence, announcement) -> Revocation:
    """The ban and the revocation with its numbered announcement (inside the step's transaction)."""
    org = application.organisation
    ground_label = str(Revocation.Ground(ground).label)
    ban = ParticipationBan.objects.create(
        organisation=org, starts_on=revoked_on, ends_on=ParticipationBan.end_for(revoked_on), recorded_by=user,
        reason=_("Revocation: %(ground)s. %(facts)s") % {"ground": ground_label, "facts": facts})
    if not announcement.strip():
        announcement = default_announcement(unit=application.unit_name or org.name, title=title, ground=ground_label,
                                            revoked_on=revoked_on, ban_until=ban.ends_on)
    revocation = Revocation(number=announcement_number(revoked_on.year), organisation=org, application=application,
                            title=title, ground=ground, facts=facts,
                            revoked_on=revoked_on, unit_name=application.unit_name or org.name,
                            credit_code=application.credit_code or org.credit_code,
                            announcement=announcement.strip(), ban=ban, recorded_by=user)
    if evidence is not None:
        revocation.evidence_name = (getattr(evidence, "name", "") or "evidence")[:200]
        revocation.evidence.save(revocation.evidence_name, evidence, save=False)
    revocation.save()
    return revocation


def revoke(*, application: Application, user, ground: str, facts: str, revoked_on: datetime.date, evidence=None,
           announcement: str = "", request=None) -> Revocation:
    """Cancel the unit's title (or exclude it from the programme), announce it and ban it (`ban_years`)."""
    if not has_role(user, Role.SECRETARIAT):
        raise PermissionDenied(_("You do not have the role required for this action."))
    facts = facts.strip()
    if ground not in Revocation.Ground.values:
        raise WorkflowError(_("Choose one of the four grounds for revocation."))
    if not facts:
        raise WorkflowError(_("Describe the facts."))
    if revoked_on > timezone.localdate():
        raise WorkflowError(_("The revocation date cannot be in the future."))
    made = []
    details = {"user": user, "ground": ground, "facts": facts, "revoked_on": revoked_on, "evidence": evidence,
               "announcement": announcement}

    def emails(_obj):
        notify.send(notify.unit(made[0].application), _("Revocation of the credit demonstration member unit title"),
                    "awards/email/revoked.txt", revocation=made[0])
        invalidate_public_pages()

    ground_label = str(Revocation.Ground(ground).label)
    data = {"ground": ground, "revoked_on": revoked_on.isoformat()}
    title = Title.objects.filter(application=application).first()
    if title is not None:  # the title is cancelled; the application stays accepted (it was)
        def revoke_title(current):
            made.append(_record(current.application, current, **details))
            ApplicationEvent.objects.create(application=current.application, kind=ApplicationEvent.Kind.NOTE,
                                            actor=user, message=_("Title revoked on %(date)s: %(ground)s.") % {
                                                "date": revoked_on.isoformat(), "ground": ground_label})

        TITLES.transition(title, "revoke", user=user, request=request, change=revoke_title, notify=emails, data=data)
    else:  # 责令退出: the application ends in its final state, wherever it was
        def exclude(current):
            made.append(_record(current, None, **details))

        APPLICATIONS.transition(application, "exclude", user=user, request=request, change=exclude, notify=emails,
                                note=_("Excluded from the programme on %(date)s: %(ground)s.") % {
                                    "date": revoked_on.isoformat(), "ground": ground_label}, data=data)
    return made[0]
