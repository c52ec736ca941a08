"""Whether a unit is a member now, asked of the app that keeps memberships.

Shared code and other processes (services, the programme) need to know who is a member, but
must not import the membership app. The membership app answers through the Wagtail hook
`active_member_ids`: a function taking organisation ids and returning those with an active
membership (one query).
"""

from wagtail import hooks

HOOK = "active_member_ids"


def active_member_ids(organisation_ids) -> set[int]:
    """Ids among `organisation_ids` whose membership is active now."""
    ids = list(organisation_ids)
    found: set[int] = set()
    for answer in hooks.get_hooks(HOOK):
        found |= set(answer(ids))
    return found


def is_active_member(organisation) -> bool:
    return organisation is not None and organisation.pk in active_member_ids([organisation.pk])
