"""Activity participation (参加协会活动): a member that takes part in no activity for a year is treated as
having left (SPEC §2, L1458).

Activity is any recorded participation: an attended association event (`portal.services`) or an
activity the secretariat records by hand (`ActivityRecord`). The year counts from the latest of: the
start of the membership, its last reinstatement, its last activity.
"""

from __future__ import annotations

import datetime

from django.db.models import Max
from django.utils import timezone

from portal.services.models import EventRegistration

from ..models import ActivityRecord, Membership


def last_activity(organisation_ids, *, today: datetime.date) -> dict[int, datetime.date]:
    """{organisation id: the day of its latest recorded activity up to `today`} (two queries)."""
    ids = list(organisation_ids)
    end = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min))
    latest: dict[int, datetime.date] = {}
    attended = (EventRegistration.objects.filter(organisation_id__in=ids, attended=True, event__starts_at__lt=end)
                .values("organisation_id").annotate(last=Max("event__starts_at")))
    for row in attended:
        latest[row["organisation_id"]] = timezone.localdate(row["last"])
    recorded = (ActivityRecord.objects.filter(organisation_id__in=ids, on__lte=today)
                .values("organisation_id").annotate(last=Max("on")))
    for row in recorded:
        org = row["organisation_id"]
        latest[org] = max(latest.get(org, row["last"]), row["last"])
    return latest


def counted_from(membership: Membership, activity: datetime.date | None) -> datetime.date:
    """The day the year without activity counts from."""
    return max(d for d in (membership.started_on, membership.reinstated_on, activity) if d is not None)


def inactivity_lapse_on(membership: Membership, activity: datetime.date | None, the_rules) -> datetime.date:
    """The last day the membership is kept without further activity (it lapses the day after)."""
    return counted_from(membership, activity) + datetime.timedelta(days=the_rules.inactivity_days)


def activity_watch(*, today: datetime.date, the_rules, within_days: int | None = None):
    """Active memberships with their last activity and lapse date, soonest lapse first.

    `within_days`: only those lapsing within that many days from `today` (or already due).
    """
    memberships = list(Membership.objects.filter(status=Membership.Status.ACTIVE).select_related("organisation", "tier"))
    latest = last_activity({m.organisation_id for m in memberships}, today=today)
    rows = []
    for m in memberships:
        activity = latest.get(m.organisation_id)
        lapse_on = inactivity_lapse_on(m, activity, the_rules)
        if within_days is None or lapse_on <= today + datetime.timedelta(days=within_days):
            rows.append((m, activity, lapse_on))
    return sorted(rows, key=lambda row: (row[2], row[0].member_number))
