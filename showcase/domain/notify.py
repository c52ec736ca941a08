"""Who hears of the programme's steps, and the one way the programme sends an email.

Addresses come from `portal.core.recipients` (active accounts only, each once) and from the
application's own record (its contact address).
"""

from django.contrib.auth import get_user_model

from portal.accounts.roles import Role
from portal.core import recipients
from portal.core.mail import queue_email


def send(to, subject, template: str, **context) -> None:
    """Queue one email (sent after commit) to the given addresses, if any remain."""
    to = recipients.unique(to)
    if to:
        queue_email(to=to, subject=subject, template=template, context=context)


def applicant(application) -> list[str]:
    """The application's contact address and the user who started it."""
    creator = application.created_by
    return recipients.unique([application.contact_email, *recipients.of_users([creator])])


def unit(application) -> list[str]:
    """The unit as a whole: the application's contact, the organisation's address and its users."""
    organisation = application.organisation
    users = get_user_model().objects.filter(organisation_link__organisation_id=organisation.pk)
    return recipients.unique([application.contact_email, organisation.email, *recipients.of_users(users)])


def agency(application) -> list[str]:
    """The agency users of the application's campaign (all agency users when none is appointed)."""
    users = get_user_model().objects.filter(groups__name=str(Role.AGENCY))
    if application.campaign.agency_id:
        users = users.filter(organisation_link__organisation_id=application.campaign.agency_id)
    return recipients.of_users(users.distinct())


def secretariat() -> list[str]:
    return recipients.with_roles(Role.SECRETARIAT)


def users(*people) -> list[str]:
    return recipients.of_users(people)
