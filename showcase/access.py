"""Who may see which application: role *and* object checks (objects not visible answer 404)."""

from django.db.models import Q
from django.http import Http404

from portal.accounts.roles import Role, has_role
from portal.organisations.models import organisation_for

from .models import Application, ExpertAssignment


def is_secretariat(user) -> bool:
    return has_role(user, Role.SECRETARIAT)


def agency_organisation_id(user):
    org = organisation_for(user)
    return org.pk if org else None


def is_agency_for(user, campaign) -> bool:
    """An agency user acts for a campaign whose appointed agency is their organisation (or none is set)."""
    if not has_role(user, Role.AGENCY):
        return False
    if user.is_superuser or campaign.agency_id is None:
        return True
    return agency_organisation_id(user) == campaign.agency_id


def staff_applications(user):
    """Applications a secretariat or agency user works on (submitted ones: drafts stay private)."""
    qs = Application.objects.exclude(status=Application.Status.DRAFT)
    if is_secretariat(user):
        return qs
    if has_role(user, Role.AGENCY):
        org_id = agency_organisation_id(user)
        return qs.filter(Q(campaign__agency__isnull=True) | Q(campaign__agency_id=org_id))
    return qs.none()


def firm_applications(user):
    org = organisation_for(user)
    if org is None:
        return Application.objects.none()
    return Application.objects.filter(organisation=org)


def active_assignment(user, application):
    """The expert's declared (no conflict) assignment on any round of the application, else None."""
    if not has_role(user, Role.EXPERT):
        return None
    return (
        ExpertAssignment.objects.filter(
            expert=user, round__application=application, status=ExpertAssignment.Status.ACTIVE
        )
        .order_by("-round__number")
        .first()
    )


def can_read_application(user, application) -> bool:
    """Firm of the application, secretariat, its agency, or an assigned expert who declared no conflict."""
    own = organisation_for(user)
    if own is not None and own.pk == application.organisation_id:
        return True
    if application.status != Application.Status.DRAFT:
        if is_secretariat(user) or is_agency_for(user, application.campaign):
            return True
    return active_assignment(user, application) is not None


def staff_application_or_404(user, pk):
    try:
        return staff_applications(user).select_related("campaign__standard", "organisation").get(pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404 from exc


def firm_application_or_404(user, pk):
    try:
        return firm_applications(user).select_related("campaign__standard", "organisation").get(pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404 from exc


# ------------------------------------------------------------------ what a workflow object concerns


def application_of(obj) -> Application:
    """The application a programme object concerns (an application, round, assignment or score sheet)."""
    from .models import ReviewRound, ScoreSheet

    if isinstance(obj, Application):
        return obj
    if isinstance(obj, ReviewRound):
        return obj.application
    if isinstance(obj, ExpertAssignment):
        return obj.round.application
    if isinstance(obj, ScoreSheet):
        return obj.assignment.round.application
    raise TypeError(f"not a programme object: {obj!r}")


def campaign_of(obj):
    return application_of(obj).campaign


def unit_id_of(obj) -> int:
    """The unit concerned (for recusal): the applying organisation."""
    return application_of(obj).organisation_id


def expert_id_of(obj) -> int | None:
    """The expert an assignment or score sheet belongs to."""
    from .models import ScoreSheet

    if isinstance(obj, ExpertAssignment):
        return obj.expert_id
    if isinstance(obj, ScoreSheet):
        return obj.assignment.expert_id
    return None
