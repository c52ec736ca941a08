from io import StringIO

from django.core.management import call_command

from portal.services.models import Event, EventRegistration, Provider, ServiceItem, ServiceRequest


def test_load_demo_is_idempotent(home_page):
    call_command("load_demo", stdout=StringIO())
    counts = (Provider.objects.count(), ServiceItem.objects.count(), Event.objects.count(),
              EventRegistration.objects.count(), ServiceRequest.objects.count())
    call_command("load_demo", stdout=StringIO())
    again = (Provider.objects.count(), ServiceItem.objects.count(), Event.objects.count(),
             EventRegistration.objects.count(), ServiceRequest.objects.count())
    assert counts == again == (5, 14, 3, 1, 1)
    provider = Provider.objects.get(name="浙江新中天信用评估咨询有限公司")
    assert list(provider.users.values_list("email", flat=True)) == ["provider@demo.zjxyxh.org"]
    assert EventRegistration.objects.get().attended is True
