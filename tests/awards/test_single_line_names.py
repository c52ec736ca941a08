"""Issue #12.8: names typed into public forms are stored on one line."""

import datetime

from django.urls import reverse
from django.utils import timezone


def test_objector_name_with_a_line_break_is_stored_on_one_line(client, firm_a, make_accepted, publish):
    from showcase.awards.models import Objection

    notice = publish([make_accepted(firm_a)], timezone.now() - datetime.timedelta(hours=1))
    entry = notice.entries.get()
    client.post(reverse("awards:notice", args=[notice.pk]), {
        "entry": entry.pk, "name": "王\r\n五", "phone": "13800000000", "email": "",
        "relationship": "customer", "content": "第一行\n第二行"})
    objection = Objection.objects.get()
    assert objection.name == "王 五"
    assert objection.content == "第一行\n第二行"  # a multi-line field keeps its lines
