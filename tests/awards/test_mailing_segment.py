"""Membership mailings to credit demonstration units: the programme answers which units hold a current title."""

import datetime

from django.utils import timezone


def test_demonstration_units_segment_lists_the_units_with_a_current_title(awarded, make_organisation):
    from members.domain.mailings import recipients_for
    from members.models import Mailing

    holder = make_organisation(email="holder@example.com")
    expired = make_organisation(email="expired@example.com")
    awarded(holder, accepted_on=timezone.localdate() - datetime.timedelta(days=60))
    awarded(expired, accepted_on=timezone.localdate() - datetime.timedelta(days=1000))
    assert {r.email for r in recipients_for(Mailing(segment="demonstration"))} == {"holder@example.com"}
