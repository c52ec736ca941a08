"""The published joining rules (入会须知, seed L1412–L1462), as translatable text."""

from django.utils.translation import gettext_lazy as _

CONDITIONS = [
    _("Accepts and supports the charter of the association."),
    _("Wishes to join the association."),
    _("Is an enterprise or institution, credit service agency, university, research unit or related organisation "
      "committed to credit management research and in good standing."),
]

PROCEDURE = [
    _("Submit the application letter and the related materials."),
    _("The council discusses and approves the application."),
    _("Complete the membership registration."),
    _("Receive the member certificate and the charter of the association."),
]

RIGHTS = [
    _("The right to vote, to stand for election and to vote on resolutions of the association."),
    _("Taking part in the association's activities."),
    _("Priority use of the services the association provides."),
    _("Criticising, making suggestions on and supervising the association's work."),
    _("Joining voluntarily and leaving freely."),
    _("Asking the association to convey its wishes to government departments."),
]

OBLIGATIONS = [
    _("Implementing national and provincial laws, regulations and policies on social credit system building."),
    _("Observing the charter, carrying out the association's resolutions and protecting its lawful rights and "
      "reputation."),
    _("Completing work entrusted by the association and actively taking part in and supporting its activities."),
    _("Reporting to the association and providing information and material."),
    _("Paying the membership dues as required."),
]

LEAVING = [
    _("A member who leaves notifies the association in writing and returns the member certificate."),
    _("A member who pays no dues for one year or takes part in no activity for one year is treated as having "
      "left the association."),
    _("A member who seriously breaches the charter is expelled by a vote of the council."),
]
