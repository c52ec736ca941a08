from io import StringIO

from portal.core.demo import Demo
from portal.services.models import Event, EventRegistration, Provider, ServiceItem, ServiceRequest


def _counts():
    return (Provider.objects.count(), ServiceItem.objects.count(), Event.objects.count(),
            EventRegistration.objects.count(), ServiceRequest.objects.count())


def test_services_demo_loader_is_idempotent(home_page):
    """The loader registered as `register_demo_loader` (order 30), run twice (other areas' loaders left out)."""
    from wagtail import hooks

    from portal.services.wagtail_hooks import load_services_demo

    assert load_services_demo in hooks.get_hooks("register_demo_loader")
    load_services_demo(Demo(stdout=StringIO()))
    first = _counts()
    load_services_demo(Demo(stdout=StringIO()))
    assert first == _counts() == (5, 14, 3, 1, 1)
    provider = Provider.objects.get(name="浙江新中天信用评估咨询有限公司")
    assert list(provider.users.values_list("email", flat=True)) == ["provider@demo.zjxyxh.org"]
    assert EventRegistration.objects.get().attended is True
