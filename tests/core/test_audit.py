import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.admin.viewsets import viewsets
from wagtail.log_actions import registry
from wagtail.models import ModelLogEntry, PageLogEntry
from wagtail.snippets.models import get_snippet_models

from portal.accounts.roles import Role
from portal.core import audit


def role_entries(user):
    return list(
        ModelLogEntry.objects.filter(object_id=str(user.pk), action__startswith="accounts.role.").order_by("pk")
    )


def test_role_added_is_logged_with_role_and_utc_time(make_user):
    user = make_user()
    user.groups.add(Group.objects.get(name=str(Role.COUNCIL)))
    (entry,) = role_entries(user)
    assert entry.action == audit.ROLE_ADDED
    assert entry.data["role"] == str(Role.COUNCIL)
    assert entry.timestamp.utcoffset() == datetime.timedelta(0)
    assert entry.user_id is None  # no request: a shell or migration change
    assert entry.content_type.model == "user"


def test_role_removed_and_cleared_are_logged(make_user):
    user = make_user(Role.EDITOR, Role.EXPERT)
    user.groups.remove(Group.objects.get(name=str(Role.EDITOR)))
    user.groups.clear()
    actions = [(e.action, e.data["role"]) for e in role_entries(user)]
    assert actions == [
        (audit.ROLE_ADDED, str(Role.EDITOR)),
        (audit.ROLE_ADDED, str(Role.EXPERT)),
        (audit.ROLE_REMOVED, str(Role.EDITOR)),
        (audit.ROLE_REMOVED, str(Role.EXPERT)),
    ]


def test_role_change_from_group_side_is_logged(make_user):
    user = make_user()
    group = Group.objects.get(name=str(Role.AGENCY))
    group.user_set.add(user)
    group.user_set.remove(user)
    assert [(e.action, e.data["role"]) for e in role_entries(user)] == [
        (audit.ROLE_ADDED, str(Role.AGENCY)),
        (audit.ROLE_REMOVED, str(Role.AGENCY)),
    ]


def test_non_role_group_is_not_logged(make_user):
    user = make_user()
    user.groups.add(Group.objects.create(name="newsletter"))
    assert role_entries(user) == []


def test_role_cache_is_refreshed_after_change(make_user):
    from portal.accounts.roles import has_role

    user = make_user()
    assert not has_role(user, Role.COUNCIL)
    user.groups.add(Group.objects.get(name=str(Role.COUNCIL)))
    assert has_role(user, Role.COUNCIL)


def test_role_change_in_admin_records_actor_and_address(client_for, make_user, settings):
    admin = make_user(is_superuser=True, is_staff=True)
    target = make_user(email="target@example.com")
    client = client_for(admin)
    edit_url = f"/admin/users/edit/{target.pk}/"
    form = client.get(edit_url).context["form"]
    data = {
        "email": target.email, "first_name": "三", "last_name": "张", "username": target.username,
        "is_active": "on", "groups": [Group.objects.get(name=str(Role.SECRETARIAT)).pk],
    }
    assert "groups" in form.fields
    response = client.post(edit_url, data, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    (entry,) = role_entries(target)
    assert entry.data == {"role": str(Role.SECRETARIAT), "user_id": target.pk, "ip": "10.1.2.3"}
    assert entry.user_id == admin.pk


def test_refused_logs_object_user_address_and_path(rf, firm_a, firm_b_user):
    request = rf.get("/members/applications/7/?x=1", REMOTE_ADDR="192.0.2.9")
    request.user = firm_b_user
    entry = audit.refused(request, firm_a, reason="other firm")
    assert entry.action == audit.REFUSED
    assert entry.user_id == firm_b_user.pk
    assert entry.object_id == str(firm_a.pk)
    assert entry.data == {"path": "/members/applications/7/?x=1", "method": "GET", "reason": "other firm",
                          "ip": "192.0.2.9"}
    assert entry.timestamp.utcoffset() == datetime.timedelta(0)


def test_refused_with_label_is_logged_against_the_user(rf, firm_b_user, settings):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1/32"]
    request = rf.get("/showcase/units/3/", HTTP_X_FORWARDED_FOR="203.0.113.5, 10.0.0.1")
    request.user = firm_b_user
    entry = audit.refused(request, "showcase.unit 3")
    assert entry.object_id == str(firm_b_user.pk)
    assert entry.data["object"] == "showcase.unit 3"
    assert entry.data["ip"] == "203.0.113.5"


def test_audit_ignores_a_forwarded_address_the_client_wrote(rf, firm_b_user, settings):
    settings.PORTAL_TRUSTED_PROXIES = []
    request = rf.get("/showcase/units/3/", HTTP_X_FORWARDED_FOR="203.0.113.5", REMOTE_ADDR="198.51.100.7")
    request.user = firm_b_user
    assert audit.refused(request, "showcase.unit 3").data["ip"] == "198.51.100.7"


def test_refused_anonymous_with_label_goes_to_the_logger(rf, db, caplog):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/members/x/")
    request.user = AnonymousUser()
    with caplog.at_level("INFO", logger="portal.audit"):
        assert audit.refused(request, "members.x 1") is None
    assert "access refused" in caplog.text
    assert "members.x 1" in caplog.text


def test_refused_entry_has_a_readable_message(rf, firm_a, firm_b_user):
    request = rf.get("/members/x/")
    request.user = firm_b_user
    entry = audit.refused(request, firm_a)
    assert registry.action_exists(audit.REFUSED)
    assert str(entry.message).startswith("Access refused to") or str(entry.message).startswith("拒绝访问")


@pytest.mark.parametrize("action", [audit.REFUSED, audit.ROLE_ADDED, audit.ROLE_REMOVED])
def test_core_log_actions_are_registered(action):
    assert registry.action_exists(action)


def test_site_history_shows_entries_read_only(client_for, make_user, firm_a, rf, firm_b_user):
    request = rf.get("/members/x/")
    request.user = firm_b_user
    audit.refused(request, firm_a)
    admin = make_user(is_superuser=True, is_staff=True)
    client = client_for(admin)
    response = client.get("/admin/reports/site-history/")
    assert response.status_code == 200
    assert "拒绝访问" in response.content.decode()
    count = ModelLogEntry.objects.count()
    # The report accepts no writes.
    assert client.post("/admin/reports/site-history/", {"action": "delete"}).status_code in (200, 405)
    assert ModelLogEntry.objects.count() == count


def _all_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _all_patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def test_no_view_edits_or_deletes_log_entries(db):
    log_models = {ModelLogEntry, PageLogEntry}
    for viewset in viewsets.viewsets:
        model = getattr(viewset, "model", None)
        assert model not in log_models, viewset
    assert not log_models & set(get_snippet_models())
    for route, _pattern in _all_patterns():
        lowered = route.lower()
        assert not ("log" in lowered and any(w in lowered for w in ("edit", "delete"))), route
    from django.urls import NoReverseMatch, reverse

    with pytest.raises(NoReverseMatch):
        reverse("admin:index")  # django.contrib.admin is installed but never routed
