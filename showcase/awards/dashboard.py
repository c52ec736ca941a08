"""The titles' worklists on the secretariat's dashboard (issue #14.10): objections to investigate, and accepted
units awaiting their public notice. Rows come from the tables (`portal.core.worklists.actionable`)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.worklists import WorklistPanel, WorkRow, WorkSection, actionable

from .domain import noticeable_applications
from .models import Notice, Objection
from .workflows import NOTICES, OBJECTIONS


def secretariat_panel(user) -> WorklistPanel:
    objections = actionable(OBJECTIONS, user, Objection.objects.select_related("entry").order_by("submitted_at", "pk"),
                            "dismiss", "uphold")
    open_rows = [WorkRow(reverse("awards_admin:objection", args=[o.pk]), [
        o.number, o.entry.unit_name, f"{timezone.localtime(o.submitted_at):%Y-%m-%d %H:%M}",
        o.get_confirmation_state_display()]) for o in objections]
    sections = [WorkSection(_("Objections to investigate"), [_("Acknowledgement number"), _("Unit"),
                                                              _("Submitted at"), _("Confirmation")], open_rows,
                            empty=_("No objection is waiting."), more_url=reverse("awards_objections:index"),
                            more_label=_("Objections"))]
    if NOTICES["publish"].permits(user, Notice()):
        waiting = [WorkRow(reverse("awards_admin:notice_create"), [a.number, a.unit_name])
                   for a in noticeable_applications().order_by("number")[:20]]
        sections.append(WorkSection(_("Accepted units awaiting their public notice"),
                                    [_("Application number"), _("Unit")], waiting,
                                    empty=_("Every accepted unit has been in a public notice."),
                                    more_url=reverse("awards_notices:index"), more_label=_("Public notices")))
    return WorklistPanel("awards-secretariat", _("Demonstration unit titles: awaiting the secretariat"), sections,
                         order=95)
