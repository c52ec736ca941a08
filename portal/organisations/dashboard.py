"""The secretariat's worklist of units (issue #14.10): first claims of a credit code to verify against the
licence, disputed claims to decide, and changes of registered details to vet. Rows come from the tables
(`portal.core.worklists.actionable`), so a row is offered only when the object's page offers the step."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.display import person_name
from portal.core.worklists import WorklistPanel, WorkRow, WorkSection, actionable

from .models import OrganisationClaim, RegisteredDetailsChange
from .workflows import CLAIMS, DETAILS_CHANGES


def _day(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d}" if moment else "—"


def secretariat_panel(user) -> WorklistPanel:
    claims = actionable(CLAIMS, user, OrganisationClaim.objects.select_related("organisation", "claimant")
                        .order_by("created_at", "pk"), "verify", "reject")
    changes = actionable(DETAILS_CHANGES, user, RegisteredDetailsChange.objects.select_related("organisation")
                         .order_by("pk"), "approve", "reject")
    return WorklistPanel("organisations-secretariat", _("Units: awaiting the secretariat"), [
        WorkSection(_("Unit claims to verify"), [_("Unit"), _("Claimant"), _("Made at")], [
            WorkRow(reverse("organisation_claims:inspect", args=[c.pk]),
                    [c.organisation.name, person_name(c.claimant) or c.claimant.email, _day(c.created_at)])
            for c in claims], empty=_("No claim is waiting."),
            more_url=reverse("organisation_claims:index"), more_label=_("Unit claims")),
        WorkSection(_("Changes of registered details to vet"), [_("Unit")], [
            WorkRow(reverse("organisation_changes:inspect", args=[c.pk]), [c.organisation.name]) for c in changes],
            empty=_("No change is waiting."), more_url=reverse("organisation_changes:index")),
    ], order=70)
