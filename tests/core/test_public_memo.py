"""public_memo: per-process memory in front of the shared cache, keyed by the public data version."""

from django.core.cache import cache
from django.test import RequestFactory

from portal.core.cache import VERSION_KEYS, near_cache, public_data_version, public_memo
from portal.core.routing import site_for_request


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return f"value {self.calls}"


def test_remembered_in_this_process_and_in_the_shared_cache(fragment_cache):
    compute = Counter()
    request = RequestFactory().get("/")
    assert public_memo(request, "thing", compute) == "value 1"
    assert public_memo(RequestFactory().get("/"), "thing", compute) == "value 1"
    near_cache.clear()  # another worker: finds it in the shared cache
    assert public_memo(RequestFactory().get("/"), "thing", compute) == "value 1"
    assert compute.calls == 1


def test_an_invalidation_on_another_server_reaches_this_process(fragment_cache):
    compute = Counter()
    public_memo(RequestFactory().get("/"), "thing", compute)
    before = public_data_version()
    cache.set(VERSION_KEYS["members"], "bumped-elsewhere", None)  # what invalidate_public_pages() does on any server
    assert public_memo(RequestFactory().get("/"), "thing", compute) == "value 2"
    assert before != public_data_version()


def test_a_memo_outlives_invalidations_of_families_it_does_not_depend_on(fragment_cache):
    compute = Counter()
    public_memo(RequestFactory().get("/"), "thing", compute, families=("magazine",))
    cache.set(VERSION_KEYS["members"], "bumped-elsewhere", None)
    assert public_memo(RequestFactory().get("/"), "thing", compute, families=("magazine",)) == "value 1"
    cache.set(VERSION_KEYS["magazine"], "bumped-elsewhere", None)
    assert public_memo(RequestFactory().get("/"), "thing", compute, families=("magazine",)) == "value 2"


def test_version_is_read_once_per_request(fragment_cache):
    request = RequestFactory().get("/")
    first = public_data_version(request)
    cache.set(VERSION_KEYS["site"], "changed-mid-request", None)
    assert public_data_version(request) == first  # one request sees one consistent version
    assert public_data_version(RequestFactory().get("/"), families=("site",)) == "changed-mid-request"[:12]


def test_values_refused_by_keep_are_not_remembered(fragment_cache):
    compute = Counter()
    for _ in range(2):
        public_memo(RequestFactory().get("/"), "thing", compute, keep=lambda value: False)
    assert compute.calls == 2


def test_off_when_fragment_cache_seconds_is_zero(settings):
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 0
    compute = Counter()
    for _ in range(2):
        public_memo(RequestFactory().get("/"), "thing", compute)
    assert compute.calls == 2


def test_near_cache_is_bounded(fragment_cache):
    for n in range(near_cache.size + 10):
        near_cache.set(f"key {n}", n)
    assert len(near_cache.entries) == near_cache.size
    assert near_cache.get("key 0") is None
    assert near_cache.get(f"key {near_cache.size + 9}") == near_cache.size + 9


def test_site_is_remembered_until_a_site_changes(home_page, fragment_cache, django_assert_num_queries,
                                                 django_capture_on_commit_callbacks):
    from wagtail.models import Site

    factory = RequestFactory(HTTP_HOST="localhost")
    assert site_for_request(factory.get("/")).root_page.specific_class.__name__ == "HomePage"
    with django_assert_num_queries(0):
        site = site_for_request(factory.get("/"))
    with django_capture_on_commit_callbacks(execute=True):
        Site.objects.filter(pk=site.pk).update(site_name="浙江省信用协会门户")
        Site.objects.get(pk=site.pk).save()  # the signal the admin's Site form sends
    assert site_for_request(factory.get("/")).site_name == "浙江省信用协会门户"


def test_a_host_outside_allowed_hosts_is_refused_and_not_remembered(home_page, fragment_cache, client):
    fragment_cache.ALLOWED_HOSTS = ["localhost"]
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400
    assert not [key for key in near_cache.entries if "evil.example" in key]
    assert client.get("/", HTTP_HOST="localhost").status_code == 200
